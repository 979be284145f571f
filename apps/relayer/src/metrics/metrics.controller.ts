import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MetricsService } from './metrics.service';
import { EXPOSITION_CONTENT_TYPE } from './render-exposition';

@ApiTags('status')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus text exposition format (0.0.4). */
  @Get('metrics')
  @Header('Content-Type', EXPOSITION_CONTENT_TYPE)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus metrics', type: String })
  metricsText(): Promise<string> {
    return this.metrics.render();
  }
}
