import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { describeError } from '../common/relayer-error';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { ApiService } from './api.service';
import type { ReadinessProblem } from './readiness';

const KINDS: readonly ReadinessProblem['kind'][] = ['chain-unreachable', 'pathway-halted', 'feed-stale', 'feed-unreadable', 'poster-balance-low'];

/**
 * Readiness as metrics, for Prometheus (which scrapes /metrics, not /health): every `health.intervalMs` the same
 * checks as GET /readyz — `ccr_ready` (1/0), `ccr_not_ready_problems{kind}`, and (set by the checks themselves) each
 * feed's age and each poster's balance. A change of readiness is logged once.
 */
@Injectable()
export class ReadinessMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Readiness');
  private timer: NodeJS.Timeout | undefined;
  private last: boolean | undefined;

  constructor(
    private readonly api: ApiService,
    private readonly metrics: MetricsRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.pipeline.autoStart) return;
    this.timer = setInterval(() => void this.check(), this.config.health.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  async check(): Promise<void> {
    try {
      const { ok, problems } = await this.api.health();
      this.metrics.set('ccr_ready', {}, ok ? 1 : 0);
      for (const kind of KINDS) this.metrics.set('ccr_not_ready_problems', { kind }, problems.filter((p) => p.kind === kind).length);
      if (ok !== this.last) {
        if (ok) this.logger.log('ready');
        else this.logger.warn(`not ready: ${problems.map((p) => p.detail).join('; ')}`);
      }
      this.last = ok;
    } catch (error) {
      this.logger.warn(`readiness check failed: ${describeError(error)}`);
    }
  }
}
