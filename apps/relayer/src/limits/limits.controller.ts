import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type LimitsChainView, LimitsService } from './limits.service';

@ApiTags('status')
@Controller()
export class LimitsController {
  constructor(private readonly limits: LimitsService) {}

  /**
   * Per source chain: its limits (notional per window, single-transfer limit and delay), the window now — used
   * (credited in the window + on its way), remaining, the next expiry — and how many deposits each limits reason holds.
   * USD amounts are 18-decimal integer strings. Also sets `ccr_limit_used_usd` / `ccr_limit_remaining_usd`.
   */
  @Get('limits')
  @ApiOkResponse({ description: 'per source chain: limits, usage of the sliding window, next expiry, deposits waiting' })
  view(): Promise<{ at: string; chains: LimitsChainView[] }> {
    return this.limits.status();
  }
}
