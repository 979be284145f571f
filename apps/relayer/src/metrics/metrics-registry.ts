import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Metric, Registry } from 'prom-client';
import { relayerVersion } from '../cli/version';
import { RelayerError } from '../common/relayer-error';

/** Histogram buckets for stage durations, in seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/** A label value: `chain` is the chain's configured name, `eid` its endpoint id (a number, written as decimal text). */
export type LabelValue = string | number;
export type Labels = Readonly<Record<string, LabelValue>>;

type Spec = { readonly help: string; readonly labels: readonly string[] };

/**
 * Counters the pipeline increments: name → help and label names (every increment gives exactly these labels).
 * Counters start at 0 at boot, as Prometheus expects: one with labels that nothing has incremented yet shows an
 * unlabelled 0 sample until its first increment, so "must stay 0" can be alerted on from boot.
 */
export const COUNTERS = {
  ccr_batches_posted_total: { help: 'Batches signed and broadcast to the receiver.', labels: [] },
  ccr_credits_posted_total: { help: 'Credits (packets) in broadcast batches.', labels: [] },
  ccr_credits_confirmed_total: { help: 'Credits confirmed on the destination chain by a batch receipt.', labels: [] },
  ccr_credits_reconciled_total: { help: "Deposits marked CREDITED from the receiver's lastNonce (credited by an earlier process or batch).", labels: [] },
  ccr_would_revert_total: { help: 'Simulations the receiver refused; the batch was not sent (label: decoded error).', labels: ['error'] },
  ccr_posts_reverted_total: { help: 'Poster transactions mined but reverted. Must stay 0: every batch is simulated first.', labels: [] },
  ccr_tx_replacements_total: { help: 'Stuck poster transactions replaced with higher fees (same nonce).', labels: [] },
  ccr_deposits_observed_total: { help: 'Deposits first seen by the watcher (labels: chain, eid).', labels: ['chain', 'eid'] },
  ccr_deposits_reorged_total: { help: 'OBSERVED deposits whose log left the canonical chain before finality (label: chain).', labels: ['chain'] },
  ccr_finality_violations_total: { help: 'Finality violations seen (a final block changed hash, a final log changed or vanished, an outbound nonce disagrees with the store); each halts its pathway (label: chain).', labels: ['chain'] },
  ccr_dest_reorged_total: { help: 'Messages applied on their destination whose transaction a destination reorg dropped (posted again) (label: chain).', labels: ['chain'] },
  ccr_posts_preempted_total: { help: 'Poster transactions that reverted because another transaction had applied the same messages first (reconciled, not a failure) (label: chain).', labels: ['chain'] },
  ccr_voids_requested_total: { help: 'Deposits an operator voided (a VOID is posted at their nonce; the collateral is refunded) (label: reason).', labels: ['reason'] },
  ccr_marks_posted_total: { help: 'Asset marks (REVALUATION) applied on the receiver by a submitMarks receipt (label: asset).', labels: ['asset'] },
  ccr_marks_skipped_total: { help: 'Marker rounds that posted nothing for an asset because its price or mark was refused (labels: asset, reason).', labels: ['asset', 'reason'] },
  ccr_attester_refusals_total: { help: 'Answers of an attester that did not count for a batch: its refusal reasons (not-seen, value-mismatch …) or a transport/signature problem (timeout, unreachable, bad-signature …) (labels: attester, reason).', labels: ['attester', 'reason'] },
  ccr_solana_releases_total: { help: 'Solana vault releases finalized (labels: chain, outcome released | failed).', labels: ['chain', 'outcome'] },
} as const satisfies Record<string, Spec>;

export type CounterName = keyof typeof COUNTERS;

/** Gauges a stage sets: name → help and label names; a series shows once set. */
export const GAUGES = {
  ccr_mark_age_seconds: { help: "Age of the asset's mark on the receiver at the marker's last round, seconds (label: asset).", labels: ['asset'] },
  ccr_solvency_discrepancy: { help: 'Solvency identity per pathway and asset at the last round: totalLocked − (credited + frozen + in flight), token base units (0: it holds).', labels: ['chain', 'eid', 'asset', 'symbol'] },
  ccr_solvency_ok: { help: '1 when the solvency identity held to the base unit at the last round, else 0.', labels: ['chain', 'eid', 'asset', 'symbol'] },
  ccr_solvency_balance_covers: { help: "1 when the vault's token balance is at least its totalLocked at the last round, else 0.", labels: ['chain', 'eid', 'asset', 'symbol'] },
  ccr_pathway_halted: { help: '1 while a pathway (source chain, vault) is halted: its credits and voids are not posted (labels: chain, eid).', labels: ['chain', 'eid'] },
  ccr_limit_used_usd: { help: "Haircut value (USD) credited or being credited from a source chain within its limits' sliding window, at the last valuation round or GET /limits (labels: chain, eid).", labels: ['chain', 'eid'] },
  ccr_limit_remaining_usd: { help: "USD the source chain's window limit still takes (limit − used, never below 0), at the last valuation round or GET /limits (labels: chain, eid).", labels: ['chain', 'eid'] },
  ccr_feed_age_seconds: { help: "Age of an asset's price feed's latest round at the last GET /health or /readyz, seconds, against the wall clock or the feed chain's block time, whichever is later (labels: asset, eid).", labels: ['asset', 'eid'] },
  ccr_ready: { help: '1 when the last readiness check (the rules of GET /readyz) found nothing wrong, else 0.', labels: [] },
  ccr_not_ready_problems: { help: 'Problems the last readiness check found, by kind (chain-unreachable, pathway-halted, feed-stale, feed-unreadable, poster-balance-low).', labels: ['kind'] },
  ccr_poster_balance: { help: "A poster account's native balance at the last GET /health or /readyz, in the chain's smallest unit (a float64 above 2^53, as Prometheus stores it) (labels: chain, eid).", labels: ['chain', 'eid'] },
} as const satisfies Record<string, Spec>;

export type GaugeName = keyof typeof GAUGES;

/** The stage histogram's labels: `stage` always, `chain` for the per-chain stages (watch). */
export const STAGE_LABELS = ['stage', 'chain'] as const;

/** Exactly the labels a metric declares (none: an empty object). A label more, less or misspelt is a type error. */
type LabelsOf<L extends readonly string[]> = L extends readonly [] ? { readonly [k: string]: never } : { readonly [K in L[number]]: LabelValue };
export type CounterLabels<N extends CounterName> = LabelsOf<(typeof COUNTERS)[N]['labels']>;
export type GaugeLabels<N extends GaugeName> = LabelsOf<(typeof GAUGES)[N]['labels']>;
/** Labels may be left out only for a metric that has none. */
type LabelArgs<L extends readonly string[], Rest extends unknown[]> = L extends readonly [] ? [labels?: LabelsOf<L>, ...Rest] : [labels: LabelsOf<L>, ...Rest];

/** A metric given labels other than the ones it declares (a programming error: thrown, never a new series). */
export class MetricLabelsError extends RelayerError {
  override readonly name = 'MetricLabelsError' as const;
  constructor(readonly metric: string, readonly expected: readonly string[], readonly given: readonly string[]) {
    super(`metric ${metric} takes labels [${expected.join(', ')}], given [${given.join(', ')}]`, { details: { metric, expected, given } });
  }
}

function checkLabels(metric: string, declared: readonly string[], labels: Labels, optional: readonly string[] = []): void {
  const given = Object.keys(labels);
  const ok = given.every((k) => declared.includes(k)) && declared.every((k) => given.includes(k) || optional.includes(k));
  if (!ok) throw new MetricLabelsError(metric, declared, given);
}

const seriesKey = (name: string, labels: Labels): string =>
  `${name}${JSON.stringify(Object.keys(labels).sort().map((k) => [k, String(labels[k])]))}`;

/**
 * The app's metrics in ONE prom-client `Registry` (never prom-client's global one: tests run several apps in one
 * process): the pipeline's counters and gauges, the `ccr_stage_duration_seconds{stage}` histogram and
 * `ccr_build_info`. The values that live in the database or in the chain clients (deposits by state, in flight,
 * heads, RPC calls) are prom-client collectors MetricsService adds, read at scrape time; it adds the process
 * metrics (collectDefaultMetrics) too. `counter()` and `gauge()` read a value back synchronously (tests).
 */
@Injectable()
export class MetricsRegistry {
  /** The app's prom-client registry: GET /metrics is `register.metrics()` with `register.contentType`. */
  readonly register = new Registry();
  private readonly counters = new Map<CounterName, Counter<string>>();
  private readonly gauges = new Map<GaugeName, Gauge<string>>();
  /** Labelled counters still showing their unlabelled boot-time 0. */
  private readonly placeholders = new Set<CounterName>();
  /** What was incremented / set, per series, for counter() and gauge() (prom-client reads values asynchronously). */
  private readonly values = new Map<string, number>();
  private readonly durations: Histogram<(typeof STAGE_LABELS)[number]>;

  constructor() {
    const registers = [this.register];
    for (const name of Object.keys(COUNTERS) as CounterName[]) { // COUNTERS is keyed by CounterName: its own keys are exactly those
      const { help, labels } = COUNTERS[name];
      const c = new Counter({ name, help, labelNames: labels, registers });
      if (labels.length > 0) {
        c.inc({}, 0);
        this.placeholders.add(name);
      }
      this.counters.set(name, c);
    }
    for (const name of Object.keys(GAUGES) as GaugeName[]) { // GAUGES is keyed by GaugeName: its own keys are exactly those
      const { help, labels } = GAUGES[name];
      const g = new Gauge({ name, help, labelNames: labels, registers });
      if (labels.length === 0) g.remove({}); // prom-client starts an unlabelled gauge at 0; ours show once set
      this.gauges.set(name, g);
    }
    this.durations = new Histogram({
      name: 'ccr_stage_duration_seconds',
      help: 'Duration of pipeline stages (watch, value, post, attest, simulate, broadcast, confirm, mark), seconds.',
      labelNames: STAGE_LABELS,
      buckets: [...DURATION_BUCKETS],
      registers,
    });
    const commit = process.env.CCR_BUILD_COMMIT?.trim();
    new Gauge({
      name: 'ccr_build_info',
      help: 'Always 1: the relayer version (apps/relayer/package.json), its git commit (env CCR_BUILD_COMMIT, when set) and the Node.js version.',
      labelNames: ['version', 'commit', 'node'],
      registers,
    }).set({ version: relayerVersion(), node: process.version, ...(commit === undefined || commit === '' ? {} : { commit }) }, 1);
  }

  /** Sets a gauge's sample (replacing its last value). */
  set<N extends GaugeName>(name: N, labels: GaugeLabels<N>, value: number): void {
    checkLabels(name, GAUGES[name].labels, labels);
    this.gauges.get(name)!.set(labels, value); // every GaugeName is in the map
    this.values.set(seriesKey(name, labels), value);
  }

  gauge<N extends GaugeName>(name: N, ...[labels = {}]: LabelArgs<(typeof GAUGES)[N]['labels'], []>): number | undefined {
    return this.values.get(seriesKey(name, labels));
  }

  inc<N extends CounterName>(name: N, ...[labels = {}, by = 1]: LabelArgs<(typeof COUNTERS)[N]['labels'], [by?: number]>): void {
    checkLabels(name, COUNTERS[name].labels, labels);
    const c = this.counters.get(name)!; // every CounterName is in the map
    if (this.placeholders.delete(name)) c.remove({});
    c.inc(labels, by);
    const k = seriesKey(name, labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }

  counter<N extends CounterName>(name: N, ...[labels = {}]: LabelArgs<(typeof COUNTERS)[N]['labels'], []>): number {
    return this.values.get(seriesKey(name, labels)) ?? 0;
  }

  /** Records one duration of a pipeline stage, in seconds. */
  observe(stage: string, seconds: number, labels: { readonly chain?: LabelValue } = {}): void {
    const all = { stage, ...labels };
    checkLabels('ccr_stage_duration_seconds', STAGE_LABELS, all, ['chain']);
    this.durations.observe(all, seconds);
  }

  /** Runs `work` and records its duration under `stage` (also when it throws). */
  async time<T>(stage: string, work: () => Promise<T>, labels: { readonly chain?: LabelValue } = {}): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.observe(stage, (performance.now() - started) / 1000, labels);
    }
  }

  /** Puts `metrics` (registered nowhere yet) ahead of the registry's own, in this order: the exposition leads with them. */
  prepend(metrics: readonly Metric[]): void {
    const rest = this.register.getMetricsAsArray().map((m) => this.register.getSingleMetric(m.name)!); // each is registered
    this.register.clear(); // no default labels are set, so clear() only drops the metrics, registered again below
    for (const m of [...metrics, ...rest]) this.register.registerMetric(m);
  }
}
