import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ChainRegistry } from '../chains/chain-registry';
import { AppConfig } from '../config/app-config';
import { MarkerService } from '../marks/marker.service';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { PosterService, type PostRoundResult } from '../poster/poster.service';
import { VALUATION_PAGE, ValuationService, type ValuationRoundResult } from '../valuation/valuation.service';
import { WatcherService, type WatchRoundResult } from '../watcher/watcher.service';
import { Loop } from './loop';
import { DepositRepository } from '../store/deposit.repository';

export type TickResult = { watched: WatchRoundResult[]; valued: ValuationRoundResult; posted: PostRoundResult };

/**
 * Drives the stages: one loop per chain (watcher, at the chain's poll interval), one valuation loop and one
 * poster loop (each at pipeline.intervalMs; their writes meet in the store's single write queue). Started after boot unless `pipeline.autoStart` is false;
 * stopped cleanly on shutdown (the round in progress finishes first).
 */
@Injectable()
export class PipelineService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PipelineService.name);
  private readonly loops: Loop[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly chains: ChainRegistry,
    private readonly watcher: WatcherService,
    private readonly valuation: ValuationService,
    private readonly poster: PosterService,
    private readonly metrics: MetricsRegistry,
    marker: MarkerService,
    private readonly deposits: DepositRepository,
  ) {
    // Each loop goes again at once while its stage has more ready (a backlog), else waits its interval; a stage that
    // hands work on nudges the next one (watcher → valuation → poster) instead of leaving it to its timer.
    const post = new Loop('post', config.pipeline.intervalMs, () => this.metrics.time('post', () => this.poster.post()), this.logger, (r) => (r as PostRoundResult).posted > 0); // the round returns a PostRoundResult
    const value = new Loop('value', config.pipeline.intervalMs, () => this.metrics.time('value', () => this.valuation.valueDue()), this.logger, (r) => {
      const v = r as ValuationRoundResult; // the round returns a ValuationRoundResult
      if (v.valued > 0) post.nudge();
      return v.valued + v.held >= VALUATION_PAGE;
    });
    // Every chain is watched: a source chain's vault (locks, release results), the derivatives chain's receiver (withdrawals).
    for (const chain of chains.all())
      this.loops.push(
        new Loop(`watch ${chain.name}`, chain.pollIntervalMs, () => this.watcher.watch(chain), this.logger, (r) => {
          const w = r as WatchRoundResult; // the round returns a WatchRoundResult
          if (w.finalizedCount > 0) {
            value.nudge();
            post.nudge();
          }
          return w.cursor < w.finalized;
        }),
      );
    // Valuation and posting in separate loops: valuing a large backlog does not hold back batches ready to post.
    this.loops.push(value, post);
    // The marker (when `marks` is configured): its own loop at marks.intervalMs, never faster (no backlog to drain).
    if (marker.enabled && config.marks !== undefined) this.loops.push(new Loop('marks', config.marks.intervalMs, () => this.metrics.time('mark', () => marker.round()), this.logger));
  }

  /** A restart (after a config or feed fix, say) retries every HELD message at once, then starts the loops. */
  async onApplicationBootstrap(): Promise<void> {
    const due = await this.deposits.retryHeldNow();
    if (due > 0) this.logger.log(`restart: ${due} held message(s) retried now rather than at their next-attempt time`);
    if (this.config.pipeline.autoStart) this.start();
  }

  start(): void {
    for (const loop of this.loops) loop.start();
    this.logger.log(`pipeline started: ${this.chains.sources().length} source chain(s) → ${this.chains.destination().name}`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.loops.map((l) => l.stop()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** One full pass by hand (tests, `autoStart: false`): every watcher, then valuation, then posting. */
  async tick(): Promise<TickResult> {
    const watched: WatchRoundResult[] = [];
    for (const chain of this.chains.all()) watched.push(await this.watcher.watch(chain));
    const { valued, posted } = await this.processRound();
    return { watched, valued, posted };
  }

  private async processRound(): Promise<{ valued: ValuationRoundResult; posted: PostRoundResult }> {
    const valued = await this.metrics.time('value', () => this.valuation.valueDue());
    const posted = await this.metrics.time('post', () => this.poster.post());
    return { valued, posted };
  }
}
