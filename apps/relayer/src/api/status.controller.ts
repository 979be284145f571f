import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiService, type HealthView, type InFlightView } from './api.service';
import { UI_PAGE } from './ui-page';

/** What a handler needs of the platform's response (express under Nest): its status code. */
type StatusResponse = { status(code: number): unknown };

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

  /**
   * Per chain: head, finality bound, scan cursor, lag; per feed its age against its heartbeat; the posters' balances,
   * last rounds and last refused simulations; attesters; halted pathways. 503 when not ready (`problems` says why:
   * api/readiness.ts), 200 otherwise.
   */
  @Get('health')
  @ApiOkResponse({ description: 'ready: chain health' })
  @ApiServiceUnavailableResponse({ description: 'not ready: `problems` lists why' })
  async health(@Res({ passthrough: true }) res: StatusResponse): Promise<HealthView> {
    const view = await this.api.health();
    res.status(view.ok ? 200 : 503);
    return view;
  }

  /** Readiness for a probe: 200 `{ ok: true }`, or 503 `{ ok: false, problems }` — the same rules as /health. */
  @Get('readyz')
  @ApiOkResponse({ description: 'ready' })
  @ApiServiceUnavailableResponse({ description: 'not ready' })
  async readyz(@Res({ passthrough: true }) res: StatusResponse): Promise<{ ok: boolean; problems: HealthView['problems'] }> {
    const { ok, problems } = await this.api.health();
    res.status(ok ? 200 : 503);
    return { ok, problems };
  }

  /** The operator's read-only status page (ui-page.ts): it reads this API every 2 s. */
  @Get('ui')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
  @ApiOkResponse({ description: 'HTML status page' })
  ui(): string {
    return UI_PAGE;
  }

  /** Liveness: the process answers (no chain is read). */
  @Get('livez')
  @ApiOkResponse({ description: 'alive' })
  livez(): { ok: true } {
    return { ok: true };
  }
}
