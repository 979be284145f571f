import { Injectable } from '@nestjs/common';
import { Counter, Gauge, type Metric, collectDefaultMetrics } from 'prom-client';
import { ChainRegistry } from '../chains/chain-registry';
import { AppConfig } from '../config/app-config';
import { formatUsd } from '../limits/usd';
import { DepositState } from '../store/deposit-state';
import { type HeldReasonCount, type InFlightAmountRow, type KindStateCount, MessageStatsRepository } from '../store/message-stats.repository';
import { type ChainProgressEntry, ChainProgress } from '../watcher/chain-progress';
import { DIRECTION, MessageKind } from '../store/message-kind';
import { MetricsRegistry } from './metrics-registry';

const IN_FLIGHT_LABELS = ['chain', 'eid', 'token', 'symbol', 'kind', 'direction'] as const;
type InFlightLabels = Record<(typeof IN_FLIGHT_LABELS)[number], string>;
const CHAIN_LABELS = ['chain', 'eid'] as const;
const RPC_LABELS = ['chain', 'eid', 'provider'] as const;

type InFlightGroup = { labels: InFlightLabels; n: number; raw: bigint; usd: bigint };
/** What one scrape reads from the database, shared by the deposit families of that scrape. */
type DepositSnapshot = { byState: KindStateCount[]; held: HeldReasonCount[]; rows: InFlightAmountRow[]; inFlight: InFlightGroup[] };

/**
 * Token amounts are bigint; prom-client (and Prometheus, which stores every sample as a float64) take numbers.
 * `Number(bigint)` and `Number(decimal text)` round to the nearest float64 — the very value Prometheus would have
 * parsed from the exact decimal the hand-written exposition used to print — so nothing Prometheus keeps is lost;
 * only the text of /metrics shows fewer digits above 2^53 ≈ 9.007e15 base units (0.009 of an 18-decimal token, 9
 * billion of a 6-decimal one): about 16 significant digits. The exact figures are in the API (GET /in-flight,
 * /solvency, /deposits: decimal strings).
 */
const exactAsFloat = (value: bigint): number => Number(value);

/**
 * The scrape-time metrics, added to the app's registry (MetricsRegistry) as prom-client collectors: deposits by
 * state and by held reason (database), in-flight count, raw and USD per chain and asset (database, bigint sums),
 * head / cursors / lag per source chain (the watcher's last round), calls and errors per RPC endpoint (the chain
 * clients); then prom-client's default process metrics (`process_*`, `nodejs_*`: CPU, memory, event loop lag, GC,
 * handles — prom-client's own names, unprefixed, so the usual Node.js dashboards read them).
 */
@Injectable()
export class MetricsService {
  private pending: Promise<DepositSnapshot> | undefined;

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly stats: MessageStatsRepository,
    private readonly progress: ChainProgress,
    private readonly chains: ChainRegistry,
    private readonly config: AppConfig,
  ) {
    // Ahead of the registry's own counters and gauges: the exposition starts with ccr_deposits (the format check of
    // test/relayer/reorg-and-operator.test.ts), then the pipeline's metrics, ccr_build_info, the process metrics.
    registry.prepend([...this.depositMetrics(), ...this.chainMetrics(), ...this.rpcMetrics()]);
    collectDefaultMetrics({ register: registry.register });
  }

  /** The exposition (text format 0.0.4) of the app's registry. */
  render(): Promise<string> {
    return this.registry.register.metrics();
  }

  get contentType(): string {
    return this.registry.register.contentType;
  }

  /** One database read per scrape: the registry collects every metric at once, so the first collector's read is shared. */
  private snapshot(): Promise<DepositSnapshot> {
    if (this.pending === undefined) {
      const reading = (async (): Promise<DepositSnapshot> => {
        const byState = await this.stats.countsByKindAndState();
        const held = await this.stats.heldByReason();
        const rows = await this.stats.inFlightRows();
        return { byState, held, rows, inFlight: this.inFlightGroups(rows) };
      })();
      const done = (): void => {
        if (this.pending === reading) this.pending = undefined;
      };
      reading.then(done, done);
      this.pending = reading;
    }
    return this.pending;
  }

  private inFlightGroups(rows: readonly InFlightAmountRow[]): InFlightGroup[] {
    const groups = new Map<string, InFlightGroup>();
    for (const d of rows) {
      // Per kind: a credit and a release result are counted on their source chain, a withdrawal on the vault's chain.
      const eid = d.kind === MessageKind.Withdrawal ? d.dstEid : d.srcEid;
      const key = `${d.kind}:${eid}:${d.token}`;
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { labels: { chain: this.chainName(eid), eid: String(eid), token: d.token, symbol: d.symbol ?? '', kind: d.kind, direction: DIRECTION[d.kind] }, n: 0, raw: 0n, usd: 0n }));
      if (g.labels.symbol === '' && d.symbol !== null) g.labels.symbol = d.symbol;
      g.n++;
      g.raw += BigInt(d.amount);
      if (d.haircutValue !== null) g.usd += BigInt(d.haircutValue);
    }
    return [...groups.values()];
  }

  private depositMetrics(): Metric[] {
    const snapshot = (): Promise<DepositSnapshot> => this.snapshot(); // collect() below runs with `this` the gauge
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (g: Gauge<L>, s: DepositSnapshot) => void): Gauge<L> =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers: [],
        async collect() {
          const s = await snapshot();
          this.reset(); // series that are gone (a state drained, a chain's in-flight paid out) leave the exposition
          fill(this, s);
        },
      });
    const inFlight = (pick: (g: InFlightGroup) => number) => (g: Gauge<(typeof IN_FLIGHT_LABELS)[number]>, s: DepositSnapshot) => {
      for (const group of s.inFlight) g.set(group.labels, pick(group));
    };
    return [
      gauge('ccr_deposits', 'Deposits by state.', ['state'], (g, s) => {
        const counts = new Map(s.byState.filter((r) => r.kind === MessageKind.Credit).map((r) => [r.state, Number(r.n)]));
        for (const state of Object.values(DepositState)) g.set({ state }, counts.get(state) ?? 0);
      }),
      gauge('ccr_messages', 'Messages by kind (credit, withdrawal, result) and state.', ['kind', 'state'], (g, s) => {
        for (const r of s.byState) g.set({ kind: r.kind, state: r.state }, Number(r.n));
      }),
      gauge('ccr_deposits_held', 'HELD and FAILED deposits by reason.', ['state', 'reason'], (g, s) => {
        for (const r of s.held) g.set({ state: r.state, reason: r.reason ?? '' }, Number(r.n));
      }),
      gauge('ccr_in_flight_deposits', 'Deposits not yet credited (OBSERVED … SUBMITTED, HELD, FAILED) per source chain and asset.', IN_FLIGHT_LABELS, inFlight((g) => g.n)),
      // Base units, as before (no decimals applied): exact up to 2^53, the nearest float64 above (see exactAsFloat).
      gauge('ccr_in_flight_raw', 'Raw amount in flight per source chain and asset, token base units.', IN_FLIGHT_LABELS, inFlight((g) => exactAsFloat(g.raw))),
      // The exact 18-decimal text, parsed once: the float64 nearest to the exact USD value.
      gauge('ccr_in_flight_usd', 'Haircut value in flight per source chain and asset (valued deposits only), USD.', IN_FLIGHT_LABELS, inFlight((g) => Number(formatUsd(g.usd)))),
      gauge('ccr_in_flight_oldest_age_seconds', 'Age of the oldest message still in flight (any kind), seconds; 0 when none.', [], (g, s) => {
        const oldest = s.rows.reduce<number | null>((m, d) => (m === null || d.createdAt.getTime() < m ? d.createdAt.getTime() : m), null);
        g.set(oldest === null ? 0 : Math.max(0, Math.floor((Date.now() - oldest) / 1000)));
      }),
    ];
  }

  private chainMetrics(): Metric[] {
    const entries = (): ChainProgressEntry[] => this.progress.all(); // collect() below runs with `this` the gauge
    const chainName = (eid: number): string => this.chainName(eid);
    const gauge = (name: string, help: string, pick: (p: ChainProgressEntry) => number): Gauge<(typeof CHAIN_LABELS)[number]> =>
      new Gauge({
        name,
        help,
        labelNames: CHAIN_LABELS,
        registers: [],
        collect() {
          this.reset();
          for (const p of entries()) this.set({ chain: chainName(p.eid), eid: p.eid }, pick(p));
        },
      });
    return [
      gauge('ccr_chain_head_block', 'Latest block of the source chain at the last watcher round.', (p) => p.head),
      gauge('ccr_chain_finalized_block', 'Finality bound of the source chain at the last watcher round.', (p) => p.finalized),
      gauge('ccr_chain_final_cursor_block', 'Every block up to here scanned at finality.', (p) => p.finalCursor),
      gauge('ccr_chain_head_cursor_block', 'Every block up to here scanned at head.', (p) => p.headCursor),
      gauge('ccr_chain_lag_blocks', 'Finality bound minus final cursor: blocks final but not scanned yet.', (p) => Math.max(0, p.finalized - p.finalCursor)),
      gauge('ccr_chain_last_round_timestamp_seconds', 'When the watcher last finished a round, unix seconds.', (p) => Math.floor(p.at.getTime() / 1000)),
    ];
  }

  private rpcMetrics(): Metric[] {
    type Row = { labels: Record<(typeof RPC_LABELS)[number], string>; s: ReturnType<ReturnType<ChainRegistry['get']>['rpcStatus']>[number] };
    const rows = (): Row[] => this.config.chains.flatMap((c) => this.chains.get(c.eid).rpcStatus().map((s) => ({ labels: { chain: c.name, eid: String(c.eid), provider: `${s.index}:${s.url}` }, s })));
    // The chain clients count calls and errors since boot: the counters take their totals at each scrape.
    const counter = (name: string, help: string, pick: (s: Row['s']) => number): Counter<(typeof RPC_LABELS)[number]> =>
      new Counter({
        name,
        help,
        labelNames: RPC_LABELS,
        registers: [],
        collect() {
          this.reset();
          for (const r of rows()) this.inc(r.labels, pick(r.s));
        },
      });
    const gauge = (name: string, help: string, pick: (s: Row['s']) => number): Gauge<(typeof RPC_LABELS)[number]> =>
      new Gauge({
        name,
        help,
        labelNames: RPC_LABELS,
        registers: [],
        collect() {
          this.reset();
          for (const r of rows()) this.set(r.labels, pick(r.s));
        },
      });
    return [
      counter('ccr_rpc_requests_total', 'RPC calls per endpoint.', (s) => s.calls),
      counter('ccr_rpc_errors_total', 'RPC calls that failed at the endpoint (connection, timeout, HTTP error, rate limit) per endpoint.', (s) => s.errors),
      gauge('ccr_rpc_provider_active', '1 for the endpoint calls go to first.', (s) => (s.active ? 1 : 0)),
      gauge('ccr_rpc_provider_healthy', '1 unless the endpoint is failing (error within the cooldown) or stalled.', (s) => (s.status === 'failing' || s.status === 'stalled' ? 0 : 1)),
    ];
  }

  private chainName(eid: number): string {
    return this.config.chains.find((c) => c.eid === eid)?.name ?? String(eid);
  }
}
