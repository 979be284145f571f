import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ChainRegistry } from '../chains/chain-registry';
import { describeError } from '../common/relayer-error';
import { AppConfig } from '../config/app-config';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { Loop } from '../pipeline/loop';
import { CursorKind } from '../store/chain-cursor.entity';
import { CursorRepository } from '../store/cursor.repository';
import { VALUATION_PAGE, ValuationService, type ValuationRoundResult } from '../valuation/valuation.service';
import { WatcherService, type WatchRoundResult } from '../watcher/watcher.service';

/**
 * The attester role's loops: one watcher loop per chain (its own RPC URLs, its own finality, its own store) and the
 * valuation loop (its own view of each deposit's value and holds, e.g. unsupported-asset) — the relayer's pipeline
 * without the poster and the marker: an attester never sends a transaction.
 */
@Injectable()
export class AttesterPipeline implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AttesterPipeline');
  private readonly loops: Loop[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly chains: ChainRegistry,
    private readonly cursors: CursorRepository,
    watcher: WatcherService,
    valuation: ValuationService,
    metrics: MetricsRegistry,
  ) {
    const value = new Loop('value', config.pipeline.intervalMs, () => metrics.time('value', () => valuation.valueDue()), this.logger, (r) => {
      const v = r as ValuationRoundResult; // the round returns a ValuationRoundResult
      return v.valued + v.held >= VALUATION_PAGE;
    });
    for (const chain of chains.all())
      this.loops.push(
        new Loop(`watch ${chain.name}`, chain.pollIntervalMs, () => watcher.watch(chain), this.logger, (r) => {
          const w = r as WatchRoundResult; // the round returns a WatchRoundResult
          if (w.finalizedCount > 0) value.nudge();
          return w.cursor < w.finalized;
        }),
      );
    this.loops.push(value);
  }

  onApplicationBootstrap(): void {
    if (!this.config.pipeline.autoStart) return;
    for (const loop of this.loops) loop.start();
    this.logger.log(`attester pipeline started: watching ${this.chains.all().length} chain(s)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((l) => l.stop()));
  }

  /** Per chain: head, finality bound and the two scan cursors (what this attester has seen, and at its finality). */
  async chainsView(): Promise<Record<string, unknown>[]> {
    return Promise.all(
      this.config.chains.map(async (c) => {
        const base = { name: c.name, eid: c.eid, cursor: (await this.cursors.get(c.eid, CursorKind.Final)) ?? null, headCursor: (await this.cursors.get(c.eid, CursorKind.Head)) ?? null };
        try {
          const adapter = this.chains.get(c.eid);
          const [head, finalized] = await Promise.all([adapter.head(), adapter.finalizedCursor()]);
          return { ...base, head, finalized, error: null };
        } catch (error) {
          return { ...base, head: null, finalized: null, error: describeError(error) };
        }
      }),
    );
  }
}
