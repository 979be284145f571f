import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { AttesterStatus } from '../attester/quorum-attestation-provider';
import { ChainRegistry } from '../chains/chain-registry';
import { Clock } from '../common/clock';
import { describeError } from '../common/relayer-error';
import { AppConfig } from '../config/app-config';
import { CursorKind } from '../store/chain-cursor.entity';
import { CursorRepository } from '../store/cursor.repository';
import { DepositState, HeldReason, IN_FLIGHT_STATES } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { DepositRepository, type ListDepositsFilter, type RetryCandidateFilter } from '../store/deposit.repository';
import { PosterService, type PosterStatus } from '../poster/poster.service';
import type { TransitionParameters } from '../store/transition';
import type { ProviderStatus } from '../chains/chain-adapter';
import { ChainProgress } from '../watcher/chain-progress';
import { type AssetLabel, type DepositDetailView, type DepositView, finalityView, toDepositView, toTransitionView } from './deposit-view';
import { toBytes32 } from '../chains/address-bytes32';
import { encodeCursor } from './list-cursor';
import { DIRECTION, type Direction, MessageKind } from '../store/message-kind';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { toWithdrawalView, type WithdrawalView } from './withdrawal-view';
import { type HaltView, SolvencyService } from '../solvency/solvency.service';
import { type FeedFreshness, type PosterBalance, type ReadinessProblem, readinessProblems } from './readiness';

/** Operator VOID reasons (the VOID message's reason code). */
export const VOID_REASONS = { 'unsupported-asset': 1, 'invalid-deposit': 2, operator: 3 } as const;
export type VoidReasonName = keyof typeof VOID_REASONS;
/** States a deposit can be voided from: not yet in a batch on its way (nor applied). */
const VOIDABLE: readonly DepositState[] = [DepositState.FINAL, DepositState.VALUED, DepositState.HELD, DepositState.FAILED];

export type InFlightRow = {
  /** credit (a deposit on its way in), withdrawal (frozen, on its way out), result (released or failed, closing a withdrawal). */
  kind: MessageKind;
  direction: Direction;
  srcEid: number;
  dstEid: number;
  token: string;
  symbol: string | null;
  state: string;
  count: number;
  /** Sum of raw amounts, token base units. */
  rawAmount: string;
  /** Sum of haircut values of the valued ones, USD 18 decimals. */
  haircutValueUsd: string;
  /** Sum of amount · price of the valued ones, USD 18 decimals. */
  marketValueUsd: string;
  unvalued: number;
  oldestCreatedAt: string;
};

/** GET /health (and /readyz): `ok` false, with every problem, is a 503. */
export type HealthView = {
  ok: boolean;
  problems: ReadinessProblem[];
  chains: ChainHealth[];
  feeds: FeedFreshness[];
  posterBalances: PosterBalance[];
  poster: PosterStatus & { address: string };
  posters: (PosterStatus & { chain: string; eid: number; role: string })[];
  attesters: AttesterStatus[];
  halted: HaltView[];
};

export type InFlightView = { totals: InFlightRow[]; count: number; haircutValueUsd: string; oldestAgeSeconds: number | null };

export type ChainHealth = {
  name: string;
  eid: number;
  role: string;
  head: number | null;
  finalized: number | null;
  /** Final cursor: every block up to here scanned at finality. */
  cursor: number | null;
  /** Head cursor: every block up to here scanned at head (OBSERVED deposits). */
  headCursor: number | null;
  lag: number | null;
  error: string | null;
  /** Each configured RPC endpoint (redacted URL), in config order; `active` is the one in use. */
  providers: ProviderStatus[];
};

/** Operator retry by filter (like Hyperlane's retry-by-matching-list). At least one field. */
export type RetryFilter = RetryCandidateFilter;

/** What the controllers show. Reads only, except `retry`, which goes through the one transition function. */
@Injectable()
export class ApiService {
  constructor(
    private readonly deposits: DepositRepository,
    private readonly cursors: CursorRepository,
    private readonly chains: ChainRegistry,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly poster: PosterService,
    private readonly progress: ChainProgress,
    private readonly metrics: MetricsRegistry,
    private readonly solvency: SolvencyService,
  ) {}

  async withdrawal(guid: string): Promise<WithdrawalView> {
    const w = await this.deposits.find(guid);
    if (w === null || w.kind !== MessageKind.Withdrawal) throw new NotFoundException(`no withdrawal ${guid}`);
    return this.withdrawalViewOf(w);
  }

  async withdrawals(filter: { account?: string | undefined; limit: number }): Promise<WithdrawalView[]> {
    const rows = await this.deposits.list({ ...filter, kind: MessageKind.Withdrawal });
    return Promise.all(rows.map((w) => this.withdrawalViewOf(w)));
  }

  private async withdrawalViewOf(w: Deposit): Promise<WithdrawalView> {
    const result = await this.deposits.resultOf(w.guid);
    const [wh, rh] = await Promise.all([this.deposits.history(w.guid), result === null ? [] : this.deposits.history(result.guid)]);
    return toWithdrawalView(w, wh.map(toTransitionView), result, rh.map(toTransitionView));
  }

  /**
   * Operator VOID of a deposit that can never be credited (unsupported asset, invalid deposit): it becomes VOIDING, and
   * the poster sends a VOID at its nonce instead of its CREDIT — the receiver skips the nonce (the later deposits of
   * the vault move on) and requests a refund of the collateral to the depositor through the release path.
   */
  async voidDeposit(guid: string, reason: VoidReasonName): Promise<{ guid: string; from: string; to: string }> {
    const d = await this.deposits.find(guid);
    if (d === null || d.kind !== MessageKind.Credit) throw new NotFoundException(`no deposit ${guid}`);
    if (!VOIDABLE.includes(d.state)) throw new ConflictException(`deposit ${d.guid} is ${d.state}; only ${VOIDABLE.join(', ')} deposits can be voided`);
    const at = this.clock.now();
    await this.deposits.move(d.guid, d.state, DepositState.VOIDING, {
      reason: HeldReason.Voided,
      detail: { voidReason: reason, previousReason: d.reason },
      patch: { voidReason: VOID_REASONS[reason], nextAttemptAt: null, attempts: 0, reasonDetail: `voided by the operator (${reason}): a VOID is posted at nonce ${d.nonce}; the collateral is refunded to ${d.depositor}` },
      at,
    });
    this.metrics.inc('ccr_voids_requested_total', { reason });
    return { guid: d.guid, from: d.state, to: DepositState.VOIDING };
  }

  async deposit(guid: string): Promise<DepositDetailView> {
    const d = await this.deposits.find(guid);
    if (d === null || d.kind !== MessageKind.Credit) throw new NotFoundException(`no deposit ${guid}`);
    const history = await this.deposits.history(d.guid);
    return { ...toDepositView(d, await this.deposits.blockerOf(d), this.assetLabel(d)), ...finalityView(d, this.progress.get(d.srcEid)), history: history.map(toTransitionView) };
  }

  /** One page of deposits, newest first; `nextCursor` continues after its last row (null: no more). */
  async list(filter: Omit<ListDepositsFilter, 'kind'>): Promise<{ items: DepositView[]; nextCursor: string | null }> {
    const rows = await this.deposits.list({ ...filter, kind: MessageKind.Credit, limit: filter.limit + 1 });
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    const nextCursor = rows.length > filter.limit && last !== undefined ? encodeCursor({ createdAt: last.createdAt.getTime(), guid: last.guid }) : null;
    return { items: await Promise.all(page.map(async (d) => toDepositView(d, await this.deposits.blockerOf(d), this.assetLabel(d)))), nextCursor };
  }

  /** The configured symbol and decimals of a deposit's asset (known before it is valued). */
  private assetLabel(d: Deposit): AssetLabel | undefined {
    this.labels ??= new Map(this.config.assets.map((a) => [`${a.eid}:${toBytes32(a.token)}`, { symbol: a.symbol, decimals: a.decimals }]));
    return this.labels.get(`${d.srcEid}:${d.token}`);
  }

  private labels: Map<string, AssetLabel> | undefined;

  async inFlight(): Promise<InFlightView> {
    const rows = await this.deposits.inState(IN_FLIGHT_STATES);
    const lastPrice = await this.deposits.lastPrices();
    const groups = new Map<string, InFlightRow & { raw: bigint; haircut: bigint; market: bigint; oldest: Date }>();
    let haircutTotal = 0n;
    let oldest: Date | undefined;
    for (const d of rows) {
      const key = `${d.kind}:${d.srcEid}:${d.dstEid}:${d.token}:${d.state}`;
      let g = groups.get(key);
      if (g === undefined) {
        g = { kind: d.kind, direction: DIRECTION[d.kind], srcEid: d.srcEid, dstEid: d.dstEid, token: d.token, symbol: d.symbol, state: d.state, count: 0, rawAmount: '0', haircutValueUsd: '0', marketValueUsd: '0', unvalued: 0, oldestCreatedAt: '', raw: 0n, haircut: 0n, market: 0n, oldest: d.createdAt };
        groups.set(key, g);
      }
      g.count++;
      g.raw += BigInt(d.amount);
      const known = lastPrice.get(d.token);
      if (d.haircutValue !== null && d.price !== null && d.assetDecimals !== null) {
        g.haircut += BigInt(d.haircutValue);
        g.market += (BigInt(d.amount) * BigInt(d.price)) / 10n ** BigInt(d.assetDecimals);
        haircutTotal += BigInt(d.haircutValue);
      } else if (known !== undefined) {
        // A withdrawal, a result or a held deposit carries no valuation: its market value at the token's last guarded
        // price (rounded down), so held exposure shows in USD; still counted as unvalued when it is a credit.
        g.market += (BigInt(d.amount) * BigInt(known.price)) / 10n ** BigInt(known.decimals);
        if (d.kind === MessageKind.Credit) g.unvalued++;
      } else g.unvalued++;
      g.symbol ??= d.symbol ?? known?.symbol ?? this.assetLabel(d)?.symbol ?? null;
      if (d.createdAt < g.oldest) g.oldest = d.createdAt;
      if (oldest === undefined || d.createdAt < oldest) oldest = d.createdAt;
    }
    const totals = [...groups.values()].map(({ raw, haircut, market, oldest: o, ...g }) => ({
      ...g,
      rawAmount: raw.toString(),
      haircutValueUsd: haircut.toString(),
      marketValueUsd: market.toString(),
      oldestCreatedAt: o.toISOString(),
    }));
    return {
      totals,
      count: rows.length,
      haircutValueUsd: haircutTotal.toString(),
      oldestAgeSeconds: oldest === undefined ? null : Math.floor((this.clock.now().getTime() - oldest.getTime()) / 1000),
    };
  }

  async health(): Promise<HealthView> {
    const chains = await Promise.all(
      this.config.chains.map(async (c): Promise<ChainHealth> => {
        const cursor = (await this.cursors.get(c.eid, CursorKind.Final)) ?? null;
        const headCursor = (await this.cursors.get(c.eid, CursorKind.Head)) ?? null;
        const adapter = this.chains.get(c.eid);
        const base = { name: c.name, eid: c.eid, role: c.role, cursor, headCursor };
        try {
          const [head, finalized] = await Promise.all([adapter.head(), adapter.finalizedCursor(), adapter.probe()]);
          return { ...base, head, finalized, lag: cursor !== null ? Math.max(0, finalized - cursor) : null, error: null, providers: adapter.rpcStatus() };
        } catch (error) {
          return { ...base, head: null, finalized: null, lag: null, error: describeError(error), providers: adapter.rpcStatus() };
        }
      }),
    );
    const posters = this.poster.posters.map((p) => ({ chain: p.destination.name, eid: p.destination.eid, role: p.role, ...p.status }));
    // halted: pathways whose credits the solvency job stopped (GET /solvency has the identity that halted them).
    // attesters: each one's last answer to a batch (signed, refused with its reasons, timeout, bad signature …).
    const halted = await this.solvency.halted();
    const [feeds, balances] = await Promise.all([this.feedFreshness(), this.posterBalances()]);
    const problems = readinessProblems({ chains, halted, feeds, posters: balances });
    return { ok: problems.length === 0, problems, chains, feeds, posterBalances: balances, poster: { address: this.poster.posterAddress(), ...this.poster.status }, posters, attesters: this.poster.attesters(), halted };
  }

  /** Each configured feed's latest round against its heartbeat (`ccr_feed_age_seconds{asset, eid}` too). */
  private async feedFreshness(): Promise<FeedFreshness[]> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return Promise.all(
      this.config.assets.map(async (a): Promise<FeedFreshness> => {
        const base = { symbol: a.symbol, eid: a.eid, feedEid: a.feed.eid, address: a.feed.address, heartbeatSeconds: a.feed.heartbeatSeconds };
        try {
          const r = await this.chains.get(a.feed.eid).readFeed(a.feed.address);
          const age = Math.max(now, Number(r.blockTimestamp)) - Number(r.updatedAt);
          this.metrics.set('ccr_feed_age_seconds', { asset: a.symbol, eid: a.eid }, age);
          return { ...base, updatedAt: Number(r.updatedAt), ageSeconds: age, fresh: age <= a.feed.heartbeatSeconds, error: null };
        } catch (error) {
          return { ...base, updatedAt: null, ageSeconds: null, fresh: false, error: describeError(error) };
        }
      }),
    );
  }

  /** The poster accounts' native balances (each destination's chain; the Solana releasers' fee payers) against the minimums. */
  private async posterBalances(): Promise<PosterBalance[]> {
    const { minPosterBalanceWei, minSolanaPosterLamports } = this.config.health;
    return Promise.all(
      this.poster.posters.map(async (p): Promise<PosterBalance> => {
        const solana = p.destination.family === 'solana';
        const minimum = solana ? BigInt(minSolanaPosterLamports) : BigInt(minPosterBalanceWei);
        const base = { chain: p.destination.name, eid: p.destination.eid, address: p.posterAddress(), minimum: minimum.toString() };
        try {
          const balance = await this.chains.get(p.destination.eid).nativeBalance(base.address);
          this.metrics.set('ccr_poster_balance', { chain: p.destination.name, eid: p.destination.eid }, Number(balance));
          return { ...base, balance: balance.toString(), low: balance < minimum, error: null };
        } catch (error) {
          return { ...base, balance: null, low: true, error: describeError(error) };
        }
      }),
    );
  }

  /** Operator retry: a HELD deposit is retried now; a FAILED one gets a fresh schedule. */
  async retry(guid: string): Promise<{ guid: string; from: string; to: string }> {
    const d = await this.deposits.find(guid);
    if (d === null) throw new NotFoundException(`no deposit ${guid}`);
    if (d.state !== DepositState.HELD && d.state !== DepositState.FAILED)
      throw new ConflictException(`deposit ${d.guid} is ${d.state}; only HELD or FAILED deposits can be retried`);
    await this.deposits.apply(() => this.retryTransition(d));
    return { guid: d.guid, from: d.state, to: DepositState.HELD };
  }

  /**
   * Operator retry of every HELD/FAILED deposit matching all the given fields (state, reason, source chain, GUIDs).
   * `matched`: how many matched; `retried`: how many were put back on the retry path (a deposit that moved on
   * meanwhile is skipped, not an error). One transaction.
   */
  async retryMatching(filter: RetryFilter): Promise<{ matched: number; retried: number; guids: string[] }> {
    const matched = await this.deposits.retryCandidates(filter);
    const retried = await this.deposits.applyUnlessMoved(matched, (d) => this.retryTransition(d));
    return { matched: matched.length, retried: retried.length, guids: retried };
  }

  private retryTransition(d: Deposit): TransitionParameters {
    const now = this.clock.now();
    return {
      guid: d.guid,
      from: d.state,
      to: DepositState.HELD,
      reason: HeldReason.Manual,
      detail: { previousReason: d.reason },
      patch: { nextAttemptAt: now, attempts: 0, reasonDetail: d.reasonDetail },
      at: now,
    };
  }
}
