import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MarkerService, type MarksView } from './marker.service';

@ApiTags('status')
@Controller()
export class MarksController {
  constructor(private readonly marker: MarkerService) {}

  /**
   * Per asset: the receiver's mark at the marker's last round (price, haircut, timestamp, nonce, age, stale against the
   * receiver's heartbeat), the last guarded price and whether the marker would post it, the last transaction and error.
   */
  @Get('marks')
  @ApiOkResponse({ description: 'asset marks' })
  marks(): MarksView {
    return this.marker.view();
  }
}
