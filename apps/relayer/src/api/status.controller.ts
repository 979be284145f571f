import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { PosterStatus } from '../poster/poster.service';
import { ApiService, type ChainHealth, type InFlightView } from './api.service';

@ApiTags('status')
@Controller()
export class StatusController {
  constructor(private readonly api: ApiService) {}

  /** Amounts on their way: totals per chain, asset and state, raw and USD; age of the oldest. */
  @Get('in-flight')
  @ApiOkResponse({ description: 'in-flight totals' })
  inFlight(): Promise<InFlightView> {
    return this.api.inFlight();
  }

  /** Per chain: head, finality bound, scan cursor, lag; the poster's last round and last refused simulation. */
  @Get('health')
  @ApiOkResponse({ description: 'chain health' })
  health(): Promise<{ ok: boolean; chains: ChainHealth[]; poster: PosterStatus & { address: string } }> {
    return this.api.health();
  }
}
