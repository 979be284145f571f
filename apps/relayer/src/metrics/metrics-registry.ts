import { Injectable } from '@nestjs/common';
import type { Labels, MetricFamily, Sample } from './render-exposition';

/** Histogram buckets for stage durations, in seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/** Counters the pipeline increments (name → help). Counters start at 0 at boot, as Prometheus expects. */
export const COUNTERS = {
  ccr_batches_posted_total: 'Batches signed and broadcast to the receiver.',
  ccr_credits_posted_total: 'Credits (packets) in broadcast batches.',
  ccr_credits_confirmed_total: 'Credits confirmed on the destination chain by a batch receipt.',
  ccr_credits_reconciled_total: "Deposits marked CREDITED from the receiver's lastNonce (credited by an earlier process or batch).",
  ccr_would_revert_total: 'Simulations the receiver refused; the batch was not sent (label: decoded error).',
  ccr_posts_reverted_total: 'Poster transactions mined but reverted. Must stay 0: every batch is simulated first.',
  ccr_tx_replacements_total: 'Stuck poster transactions replaced with higher fees (same nonce).',
  ccr_deposits_observed_total: 'Deposits first seen by the watcher.',
  ccr_deposits_reorged_total: 'OBSERVED deposits whose log left the canonical chain before finality.',
  ccr_finality_violations_total: 'Finality violations seen (a final block changed hash, a final log changed or vanished, an outbound nonce disagrees with the store); each halts its pathway (label: chain).',
  ccr_dest_reorged_total: 'Messages applied on their destination whose transaction a destination reorg dropped (posted again).',
  ccr_posts_preempted_total: 'Poster transactions that reverted because another transaction had applied the same messages first (reconciled, not a failure).',
  ccr_voids_requested_total: 'Deposits an operator voided (a VOID is posted at their nonce; the collateral is refunded).',
  ccr_marks_posted_total: 'Asset marks (REVALUATION) applied on the receiver by a submitMarks receipt (label: asset).',
  ccr_marks_skipped_total: 'Marker rounds that posted nothing for an asset because its price or mark was refused (labels: asset, reason).',
  ccr_attester_refusals_total: "Answers of an attester that did not count for a batch: its refusal reasons (not-seen, value-mismatch …) or a transport/signature problem (timeout, unreachable, bad-signature …) (labels: attester, reason).",
  ccr_solana_releases_total: 'Solana vault releases finalized (labels: chain, outcome released | failed).',
} as const;

export type CounterName = keyof typeof COUNTERS;

/** Gauges a stage sets (name → help), shown once set. */
export const GAUGES = {
  ccr_mark_age_seconds: "Age of the asset's mark on the receiver at the marker's last round, seconds (label: asset).",
  ccr_solvency_discrepancy: 'Solvency identity per pathway and asset at the last round: totalLocked − (credited + frozen + in flight), token base units (0: it holds).',
  ccr_solvency_ok: '1 when the solvency identity held to the base unit at the last round, else 0.',
  ccr_solvency_balance_covers: "1 when the vault's token balance is at least its totalLocked at the last round, else 0.",
  ccr_pathway_halted: '1 while a pathway (source chain, vault) is halted: its credits and voids are not posted.',
  ccr_limit_used_usd: "Haircut value (USD) credited or being credited from a source chain within its limits' sliding window, at the last valuation round or GET /limits (label: chain).",
  ccr_limit_remaining_usd: "USD the source chain's window limit still takes (limit − used, never below 0), at the last valuation round or GET /limits (label: chain).",
  ccr_feed_age_seconds: "Age of an asset's price feed's latest round at the last GET /health or /readyz, seconds, against the wall clock or the feed chain's block time, whichever is later (labels: asset, eid).",
  ccr_ready: '1 when the last readiness check (the rules of GET /readyz) found nothing wrong, else 0.',
  ccr_not_ready_problems: 'Problems the last readiness check found, by kind (chain-unreachable, pathway-halted, feed-stale, feed-unreadable, poster-balance-low).',
  ccr_poster_balance: "A poster account's native balance at the last GET /health or /readyz, in the chain's smallest unit (labels: chain, eid).",
} as const;

export type GaugeName = keyof typeof GAUGES;

type Histogram = { buckets: number[]; sum: number; count: number };

const key = (labels: Labels): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

/**
 * In-memory counters and stage-duration histograms (`ccr_stage_duration_seconds{stage}`). The values that live in
 * the database or in the chain clients (deposits by state, in flight, heads, RPC errors) are read at scrape time
 * by MetricsService instead.
 */
@Injectable()
export class MetricsRegistry {
  private readonly counters = new Map<CounterName, Map<string, { labels: Labels; value: number }>>();
  private readonly durations = new Map<string, { labels: Labels; h: Histogram }>();
  private readonly gauges = new Map<GaugeName, Map<string, { labels: Labels; value: number }>>();

  /** Sets a gauge's sample (replacing its last value). */
  set(name: GaugeName, labels: Labels, value: number): void {
    let series = this.gauges.get(name);
    if (series === undefined) this.gauges.set(name, (series = new Map()));
    series.set(key(labels), { labels, value });
  }

  gauge(name: GaugeName, labels: Labels = {}): number | undefined {
    return this.gauges.get(name)?.get(key(labels))?.value;
  }

  inc(name: CounterName, labels: Labels = {}, by = 1): void {
    let series = this.counters.get(name);
    if (series === undefined) this.counters.set(name, (series = new Map()));
    const k = key(labels);
    const current = series.get(k);
    if (current === undefined) series.set(k, { labels, value: by });
    else current.value += by;
  }

  counter(name: CounterName, labels: Labels = {}): number {
    return this.counters.get(name)?.get(key(labels))?.value ?? 0;
  }

  /** Records one duration of a pipeline stage, in seconds. */
  observe(stage: string, seconds: number, labels: Labels = {}): void {
    const all = { stage, ...labels };
    const k = key(all);
    let entry = this.durations.get(k);
    if (entry === undefined) this.durations.set(k, (entry = { labels: all, h: { buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 } }));
    DURATION_BUCKETS.forEach((le, i) => {
      if (seconds <= le) entry.h.buckets[i]!++;
    });
    entry.h.sum += seconds;
    entry.h.count++;
  }

  /** Runs `work` and records its duration under `stage` (also when it throws). */
  async time<T>(stage: string, work: () => Promise<T>, labels: Labels = {}): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.observe(stage, (performance.now() - started) / 1000, labels);
    }
  }

  families(): MetricFamily[] {
    // Object.keys of a const object literal: exactly its keys.
    const counters = (Object.keys(COUNTERS) as CounterName[]).map((name): MetricFamily => {
      const series = [...(this.counters.get(name)?.values() ?? [])];
      // A counter nothing has incremented yet still shows 0, so "must stay 0" can be alerted on from boot.
      return { name, help: COUNTERS[name], type: 'counter', samples: series.length === 0 ? [{ labels: {}, value: 0 }] : series.map((s) => ({ labels: s.labels, value: s.value })) };
    });
    const samples: Sample[] = [];
    for (const { labels, h } of this.durations.values()) {
      DURATION_BUCKETS.forEach((le, i) => samples.push({ suffix: '_bucket', labels: { ...labels, le: String(le) }, value: h.buckets[i]! }));
      samples.push({ suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: h.count });
      samples.push({ suffix: '_sum', labels, value: h.sum });
      samples.push({ suffix: '_count', labels, value: h.count });
    }
    const gauges = (Object.keys(GAUGES) as GaugeName[]).map((name): MetricFamily => ({ name, help: GAUGES[name], type: 'gauge', samples: [...(this.gauges.get(name)?.values() ?? [])] })); // keys of a const object literal
    return [...counters, ...gauges, { name: 'ccr_stage_duration_seconds', help: 'Duration of pipeline stages (watch, value, post, attest, simulate, broadcast, confirm), seconds.', type: 'histogram', samples }];
  }
}
