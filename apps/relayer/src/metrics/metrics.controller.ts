import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MetricsService } from './metrics.service';

/** The one thing /metrics sets on the response (the express Response has it). */
type HeaderResponse = { setHeader(name: string, value: string): unknown };

@ApiTags('status')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus text exposition format (0.0.4), from the app's prom-client registry. */
  @Get('metrics')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus metrics', type: String })
  async metricsText(@Res({ passthrough: true }) res: HeaderResponse): Promise<string> {
    const text = await this.metrics.render();
    res.setHeader('Content-Type', this.metrics.contentType);
    return text;
  }
}
