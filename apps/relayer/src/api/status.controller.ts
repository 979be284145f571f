import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiService, type InFlightView } from './api.service';

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

  /** Per chain: head, finality bound, scan cursor, lag; the poster's last round and last refused simulation; halted pathways. */
  @Get('health')
  @ApiOkResponse({ description: 'chain health' })
  health(): ReturnType<ApiService['health']> {
    return this.api.health();
  }
}
