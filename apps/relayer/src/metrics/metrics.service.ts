import { Injectable } from '@nestjs/common';
import { ChainRegistry } from '../chains/chain-registry';
import { AppConfig } from '../config/app-config';
import { DepositState } from '../store/deposit-state';
import { MessageStatsRepository } from '../store/message-stats.repository';
import { ChainProgress } from '../watcher/chain-progress';
import { DIRECTION, MessageKind } from '../store/message-kind';
import { MetricsRegistry } from './metrics-registry';
import { type MetricFamily, type Sample, fixed18ToDecimal, renderExposition } from './render-exposition';

/**
 * GET /metrics: the registry's counters and stage histograms, plus what is read at scrape time — deposits by state
 * and by held reason (database), in-flight raw and USD per chain and asset (database, bigint sums), head / cursors /
 * lag per source chain (the watcher's last round), calls and errors per RPC endpoint (the chain clients).
 */
@Injectable()
export class MetricsService {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly stats: MessageStatsRepository,
    private readonly progress: ChainProgress,
    private readonly chains: ChainRegistry,
    private readonly config: AppConfig,
  ) {}

  async render(): Promise<string> {
    return renderExposition([...(await this.depositFamilies()), ...this.chainFamilies(), ...this.rpcFamilies(), ...this.registry.families()]);
  }

  private async depositFamilies(): Promise<MetricFamily[]> {
    const byState = await this.stats.countsByKindAndState();
    const counts = new Map(byState.filter((r) => r.kind === MessageKind.Credit).map((r) => [r.state, Number(r.n)]));
    const held = await this.stats.heldByReason();

    const rows = await this.stats.inFlightRows();
    const groups = new Map<string, { labels: Record<string, string>; n: number; raw: bigint; usd: bigint }>();
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
    const inFlight = [...groups.values()];
    const oldest = rows.reduce<number | null>((m, d) => (m === null || d.createdAt.getTime() < m ? d.createdAt.getTime() : m), null);
    return [
      { name: 'ccr_in_flight_oldest_age_seconds', help: 'Age of the oldest message still in flight (any kind), seconds; 0 when none.', type: 'gauge', samples: [{ labels: {}, value: oldest === null ? 0 : Math.max(0, Math.floor((Date.now() - oldest) / 1000)) }] },
      { name: 'ccr_deposits', help: 'Deposits by state.', type: 'gauge', samples: Object.values(DepositState).map((state) => ({ labels: { state }, value: counts.get(state) ?? 0 })) },
      { name: 'ccr_messages', help: 'Messages by kind (credit, withdrawal, result) and state.', type: 'gauge', samples: byState.map((r) => ({ labels: { kind: r.kind, state: r.state }, value: Number(r.n) })) },
      { name: 'ccr_deposits_held', help: 'HELD and FAILED deposits by reason.', type: 'gauge', samples: held.map((r) => ({ labels: { state: r.state, reason: r.reason ?? '' }, value: Number(r.n) })) },
      { name: 'ccr_in_flight_deposits', help: 'Deposits not yet credited (OBSERVED … SUBMITTED, HELD, FAILED) per source chain and asset.', type: 'gauge', samples: inFlight.map((g) => ({ labels: g.labels, value: g.n })) },
      { name: 'ccr_in_flight_raw', help: 'Raw amount in flight per source chain and asset, token base units.', type: 'gauge', samples: inFlight.map((g) => ({ labels: g.labels, value: g.raw })) },
      { name: 'ccr_in_flight_usd', help: 'Haircut value in flight per source chain and asset (valued deposits only), USD.', type: 'gauge', samples: inFlight.map((g) => ({ labels: g.labels, value: fixed18ToDecimal(g.usd) })) },
    ];
  }

  private chainFamilies(): MetricFamily[] {
    const sample = (pick: (p: NonNullable<ReturnType<ChainProgress['get']>>) => number): Sample[] =>
      this.progress.all().map((p) => ({ labels: { chain: this.chainName(p.eid), eid: p.eid }, value: pick(p) }));
    return [
      { name: 'ccr_chain_head_block', help: 'Latest block of the source chain at the last watcher round.', type: 'gauge', samples: sample((p) => p.head) },
      { name: 'ccr_chain_finalized_block', help: 'Finality bound of the source chain at the last watcher round.', type: 'gauge', samples: sample((p) => p.finalized) },
      { name: 'ccr_chain_final_cursor_block', help: 'Every block up to here scanned at finality.', type: 'gauge', samples: sample((p) => p.finalCursor) },
      { name: 'ccr_chain_head_cursor_block', help: 'Every block up to here scanned at head.', type: 'gauge', samples: sample((p) => p.headCursor) },
      { name: 'ccr_chain_lag_blocks', help: 'Finality bound minus final cursor: blocks final but not scanned yet.', type: 'gauge', samples: sample((p) => Math.max(0, p.finalized - p.finalCursor)) },
      { name: 'ccr_chain_last_round_timestamp_seconds', help: 'When the watcher last finished a round, unix seconds.', type: 'gauge', samples: sample((p) => Math.floor(p.at.getTime() / 1000)) },
    ];
  }

  private rpcFamilies(): MetricFamily[] {
    const rows = this.config.chains.flatMap((c) => this.chains.get(c.eid).rpcStatus().map((s) => ({ labels: { chain: c.name, eid: String(c.eid), provider: `${s.index}:${s.url}` }, s })));
    return [
      { name: 'ccr_rpc_requests_total', help: 'RPC calls per endpoint.', type: 'counter', samples: rows.map((r) => ({ labels: r.labels, value: r.s.calls })) },
      { name: 'ccr_rpc_errors_total', help: 'RPC calls that failed at the endpoint (connection, timeout, HTTP error, rate limit) per endpoint.', type: 'counter', samples: rows.map((r) => ({ labels: r.labels, value: r.s.errors })) },
      { name: 'ccr_rpc_provider_active', help: '1 for the endpoint calls go to first.', type: 'gauge', samples: rows.map((r) => ({ labels: r.labels, value: r.s.active ? 1 : 0 })) },
      { name: 'ccr_rpc_provider_healthy', help: '1 unless the endpoint is failing (error within the cooldown) or stalled.', type: 'gauge', samples: rows.map((r) => ({ labels: r.labels, value: r.s.status === 'failing' || r.s.status === 'stalled' ? 0 : 1 })) },
    ];
  }

  private chainName(eid: number): string {
    return this.config.chains.find((c) => c.eid === eid)?.name ?? String(eid);
  }
}
