import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { bigintInteger } from './column-transformers';
import { type DepositRow, depositFromRow } from './deposit-row';
import { Database } from './database';
import { DepositState, HeldReason, TERMINAL_STATES } from './deposit-state';
import { DepositTransition } from './deposit-transition.entity';
import { Deposit } from './deposit.entity';
import { nextAttemptAt } from './retry-schedule';
import { MessageKind, readyState } from './message-kind';
import { DepositNotFoundError, StaleStateError } from './store-errors';
import { chunked, execute, limitParameter, placeholders, rowsPerStatement, select } from './sql';
import { toJsonSafe } from '../common/relayer-error';
import { transition, type DepositPatch, type TransitionParameters } from './transition';
import { transitionMany } from './transition-many';

export type ListDepositsFilter = {
  account?: string | undefined;
  state?: DepositState | undefined;
  kind?: MessageKind | undefined;
  srcEid?: number | undefined;
  reason?: string | undefined;
  /** Keyset pagination: only rows after this one in the list's order (newest first, then by GUID). */
  after?: { createdAt: number; guid: string } | undefined;
  limit: number;
};

/** Which HELD/FAILED rows an operator retry takes: all the given fields must match (none given: every HELD/FAILED row). */
export type RetryCandidateFilter = { state?: DepositState | undefined; reason?: string | undefined; srcEid?: number | undefined; guids?: string[] | undefined };

/** Holds whose next attempt is a time the rules set, not a retry (limits: a window's room, a large transfer's delay): a restart keeps them. */
const WAITS_BY_DESIGN: readonly string[] = [HeldReason.RateLimited, HeldReason.LargeTransferDelay, HeldReason.LimitQueued];

/** States whose row can no longer be blocked by an earlier nonce (it is done). */
const UNBLOCKABLE: readonly DepositState[] = [DepositState.CREDITED, DepositState.REORGED, DepositState.VOIDED, DepositState.DELIVERED];

/** A deposit valued this round: the state it was read in, and what VALUED sets. */
export type ValuedItem = { guid: string; from: DepositState; patch: DepositPatch; detail: Record<string, unknown> };

export type HoldParameters = {
  guid: string;
  from: DepositState;
  reason: HeldReason;
  detail?: string | undefined;
  /** Retry schedule unit (config.retry.unitMs) and cap (config.retry.maxAttempts). */
  unitMs: number;
  maxAttempts: number;
  extra?: Record<string, unknown> | undefined;
};

/** Reads and writes of deposits. Every state change goes through `transition()` (store/transition.ts). */
@Injectable()
export class DepositRepository {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** The row of this GUID (any case); DepositNotFoundError when there is none. */
  async get(guid: string): Promise<Deposit> {
    const d = await this.db.reader.findOne(Deposit, { where: { guid: guid.toLowerCase() } });
    if (d === null) throw new DepositNotFoundError(guid);
    return d;
  }

  /** The row of this GUID (any case), or null. */
  find(guid: string): Promise<Deposit | null> {
    return this.db.reader.findOne(Deposit, { where: { guid: guid.toLowerCase() } });
  }

  /** Every transition of this GUID, oldest first. */
  history(guid: string): Promise<DepositTransition[]> {
    return this.db.reader.find(DepositTransition, { where: { guid: guid.toLowerCase() }, order: { id: 'ASC' } });
  }

  /** Newest first (then by GUID), at most `filter.limit`, matching every given field (`account` in any case). */
  list(filter: ListDepositsFilter): Promise<Deposit[]> {
    const q = this.db.reader.createQueryBuilder(Deposit, 'd').orderBy('d.createdAt', 'DESC').addOrderBy('d.guid', 'ASC').limit(filter.limit);
    if (filter.account !== undefined) q.andWhere('d.account = :account', { account: filter.account.toLowerCase() });
    if (filter.state !== undefined) q.andWhere('d.state = :state', { state: filter.state });
    if (filter.kind !== undefined) q.andWhere('d.kind = :kind', { kind: filter.kind });
    if (filter.srcEid !== undefined) q.andWhere('d.srcEid = :srcEid', { srcEid: filter.srcEid });
    if (filter.reason !== undefined) q.andWhere('d.reason = :reason', { reason: filter.reason });
    if (filter.after !== undefined) q.andWhere('(d.createdAt < :afterAt OR (d.createdAt = :afterAt AND d.guid > :afterGuid))', { afterAt: filter.after.createdAt, afterGuid: filter.after.guid });
    return q.getMany();
  }

  /** The release result answering this withdrawal, if one was observed. */
  resultOf(withdrawalGuid: string): Promise<Deposit | null> {
    return this.db.reader.findOne(Deposit, { where: { withdrawalGuid, kind: MessageKind.Result } });
  }

  /**
   * The GUID of the lowest-nonce HELD/FAILED row before `row` on its path (same srcEid, srcVault, dstEid): on an
   * ordered channel it must go first. null when there is none, or `row` is done (CREDITED, REORGED, VOIDED, DELIVERED).
   */
  async blockerOf(row: Pick<Deposit, 'state' | 'srcEid' | 'srcVault' | 'dstEid' | 'nonce'>): Promise<string | null> {
    if (UNBLOCKABLE.includes(row.state)) return null;
    const blocker = await this.db.reader
      .createQueryBuilder(Deposit, 'b')
      .where('b.srcEid = :srcEid AND b.srcVault = :srcVault AND b.dstEid = :dstEid', { srcEid: row.srcEid, srcVault: row.srcVault, dstEid: row.dstEid })
      .andWhere('b.nonce < :nonce', { nonce: Number(row.nonce) })
      .andWhere('b.state IN (:...states)', { states: [DepositState.HELD, DepositState.FAILED] })
      .orderBy('b.nonce', 'ASC')
      .getOne();
    return blocker?.guid ?? null;
  }

  /**
   * The rows an operator retry by filter takes, by source chain and nonce: in `filter.state` (default HELD or FAILED)
   * and matching every other given field; `guids` compare lowercased, and an empty `guids` matches nothing.
   */
  retryCandidates(filter: RetryCandidateFilter): Promise<Deposit[]> {
    const q = this.db.reader.createQueryBuilder(Deposit, 'd').where('d.state IN (:...states)', { states: filter.state === undefined ? [DepositState.HELD, DepositState.FAILED] : [filter.state] });
    if (filter.reason !== undefined) q.andWhere('d.reason = :reason', { reason: filter.reason });
    if (filter.srcEid !== undefined) q.andWhere('d.srcEid = :srcEid', { srcEid: filter.srcEid });
    if (filter.guids !== undefined) q.andWhere('d.guid IN (:...guids)', { guids: filter.guids.length === 0 ? [''] : filter.guids.map((g) => g.toLowerCase()) });
    return q.orderBy('d.srcEid').addOrderBy('d.nonce').getMany();
  }

  /** Distinct accounts (lowercase bytes32, ascending) with a CREDITED deposit: whose positions the live-book stress reads. */
  async creditedAccounts(): Promise<string[]> {
    const rows = await select<{ account: string }>(
      this.db.reader,
      `SELECT DISTINCT "account" FROM "deposit" WHERE "kind" = ? AND "state" = ? ORDER BY "account"`,
      [MessageKind.Credit, DepositState.CREDITED],
    );
    return rows.map((r) => String(r.account));
  }

  /** The latest guarded price of each token (from its most recently valued credits): USD of what carries no valuation. */
  async lastPrices(): Promise<Map<string, { price: string; decimals: number; symbol: string | null }>> {
    const rows = await select<{ token: string; price: string; assetDecimals: number; symbol: string | null }>(
      this.db.reader,
      `SELECT "token", "price", "assetDecimals", "symbol" FROM "deposit" WHERE "kind" = ? AND "price" IS NOT NULL AND "assetDecimals" IS NOT NULL ORDER BY "valuedAt" DESC LIMIT 1000`,
      [MessageKind.Credit],
    );
    const out = new Map<string, { price: string; decimals: number; symbol: string | null }>();
    for (const r of rows) if (!out.has(String(r.token))) out.set(String(r.token), { price: String(r.price), decimals: Number(r.assetDecimals), symbol: r.symbol === null ? null : String(r.symbol) });
    return out;
  }

  /** Every row in one of `states`, by path and nonce. */
  inState(states: readonly DepositState[]): Promise<Deposit[]> {
    return this.db.reader
      .createQueryBuilder(Deposit, 'd')
      .where('d.state IN (:...states)', { states })
      .orderBy('d.srcEid')
      .addOrderBy('d.srcVault')
      .addOrderBy('d.nonce')
      .getMany();
  }

  /** FINAL deposits, and HELD deposits whose retry time has come: what the valuation stage works on. */
  async dueForValuation(now: Date, limit: number): Promise<Deposit[]> {
    const rows = await select<DepositRow>(
      this.db.reader,
      `SELECT * FROM "deposit" WHERE "kind" = ? AND "voidReason" IS NULL AND ("state" = ? OR ("state" = ? AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ?))) ORDER BY "srcEid", "nonce" LIMIT ?`,
      [MessageKind.Credit, DepositState.FINAL, DepositState.HELD, now.getTime(), limit],
    );
    return rows.map(depositFromRow);
  }

  /** VALUED deposits priced before `priceTimestamp` (unix seconds): candidates for a stale valuation. */
  async valuedPricedBefore(priceTimestamp: number): Promise<Deposit[]> {
    const rows = await select<DepositRow>(this.db.reader, `SELECT * FROM "deposit" WHERE "state" = ? AND "priceTimestamp" < ?`, [DepositState.VALUED, priceTimestamp]);
    return rows.map(depositFromRow);
  }

  /** Every not-yet-credited deposit of one pathway, by nonce. */
  async pathway(srcEid: number, srcVault: string, dstEid: number): Promise<Deposit[]> {
    return this.pathwayAfter(srcEid, srcVault, dstEid, -1n, -1);
  }

  /** The pathway's not-yet-credited deposits with a nonce above `afterNonce`, by nonce; at most `limit` (-1: all). */
  async pathwayAfter(srcEid: number, srcVault: string, dstEid: number, afterNonce: bigint, limit: number): Promise<Deposit[]> {
    const rows = await select<DepositRow>(
      this.db.reader,
      `SELECT * FROM "deposit" WHERE "srcEid" = ? AND "srcVault" = ? AND "dstEid" = ? AND "nonce" > ? AND "state" NOT IN ${placeholders(TERMINAL_STATES.length)} ORDER BY "nonce" ASC LIMIT ?`,
      [srcEid, srcVault, dstEid, afterNonce < 0n ? -1 : bigintInteger.to(afterNonce), ...TERMINAL_STATES, limitParameter(limit)],
    );
    return rows.map(depositFromRow);
  }

  /** The pathway's deposits in one of `states` with a nonce at or below `lastNonce` (reconciliation), by nonce. */
  async pathwayUpTo(srcEid: number, srcVault: string, dstEid: number, lastNonce: bigint, states: readonly DepositState[]): Promise<Deposit[]> {
    if (states.length === 0) return [];
    const rows = await select<DepositRow>(
      this.db.reader,
      `SELECT * FROM "deposit" WHERE "srcEid" = ? AND "srcVault" = ? AND "dstEid" = ? AND "nonce" <= ? AND "state" IN ${placeholders(states.length)} ORDER BY "nonce" ASC`,
      [srcEid, srcVault, dstEid, bigintInteger.to(lastNonce), ...states],
    );
    return rows.map(depositFromRow);
  }

  /** One path's rows in `state`, by nonce. */
  async pathwayInState(srcEid: number, srcVault: string, dstEid: number, state: DepositState): Promise<Deposit[]> {
    const rows = await select<DepositRow>(
      this.db.reader,
      `SELECT * FROM "deposit" WHERE "srcEid" = ? AND "srcVault" = ? AND "dstEid" = ? AND "state" = ? ORDER BY "nonce" ASC`,
      [srcEid, srcVault, dstEid, state],
    );
    return rows.map(depositFromRow);
  }

  /** These GUIDs' rows (absent ones left out). */
  async getMany(guids: readonly string[]): Promise<Deposit[]> {
    const out: Deposit[] = [];
    for (const slice of chunked(guids, rowsPerStatement(1)))
      for (const row of await select<DepositRow>(this.db.reader, `SELECT * FROM "deposit" WHERE "guid" IN ${placeholders(slice.length)}`, slice)) out.push(depositFromRow(row));
    return out;
  }

  /** HELD rows due for a retry that valuation does not take (withdrawals, results, voided credits): back to their ready state. */
  async requeueDue(dstEid: number, now: Date): Promise<number> {
    const rows = await select<DepositRow>(
      this.db.reader,
      `SELECT * FROM "deposit" WHERE "dstEid" = ? AND "state" = ? AND ("kind" <> ? OR "voidReason" IS NOT NULL) AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ?)`,
      [dstEid, DepositState.HELD, MessageKind.Credit, now.getTime()],
    );
    if (rows.length === 0) return 0;
    const deposits = rows.map(depositFromRow);
    await this.db.write(async (em) => {
      for (const d of deposits) await transition(em, { guid: d.guid, from: DepositState.HELD, to: readyState(d.kind, d.voidReason !== null), reason: null, detail: { retry: d.attempts }, at: this.clock.now(), patch: { nextAttemptAt: null } });
    });
    return deposits.length;
  }

  /** Distinct (srcEid, srcVault) pathways with work towards `dstEid`. */
  async openPathways(dstEid: number): Promise<{ srcEid: number; srcVault: string }[]> {
    const rows = await select<{ srcEid: number; srcVault: string }>(
      this.db.reader,
      `SELECT DISTINCT "srcEid", "srcVault" FROM "deposit" WHERE "dstEid" = ? AND "state" NOT IN ${placeholders(TERMINAL_STATES.length)} ORDER BY "srcEid", "srcVault"`,
      [dstEid, ...TERMINAL_STATES],
    );
    return rows.map((r) => ({ srcEid: Number(r.srcEid), srcVault: String(r.srcVault) }));
  }

  /** Current states of these GUIDs, read in the caller's transaction (absent GUIDs are missing from the map). */
  async statesIn(em: EntityManager, guids: readonly string[]): Promise<Map<string, DepositState>> {
    const out = new Map<string, DepositState>();
    for (const slice of chunked(guids, rowsPerStatement(1)))
      for (const row of await select<{ guid: string; state: DepositState }>(em, `SELECT "guid", "state" FROM "deposit" WHERE "guid" IN ${placeholders(slice.length)}`, slice)) out.set(row.guid, row.state);
    return out;
  }

  /**
   * One valuation round in ONE transaction: every valued deposit → VALUED (bulk compare-and-set per source state) and
   * every hold. States are re-read inside the transaction; a deposit another stage moved since it was read (the
   * poster reconciled it, say) is left out rather than failing the whole round. Returns the GUIDs moved to VALUED.
   */
  async applyValuations(valued: readonly ValuedItem[], holds: readonly HoldParameters[]): Promise<{ valued: string[]; held: Map<string, DepositState> }> {
    return this.db.write(async (em) => {
      const at = this.clock.now();
      const current = await this.statesIn(em, [...valued.map((v) => v.guid), ...holds.map((h) => h.guid)]);
      const byFrom = new Map<DepositState, ValuedItem[]>();
      for (const v of valued) {
        if (current.get(v.guid) !== v.from) continue;
        let group = byFrom.get(v.from);
        if (group === undefined) byFrom.set(v.from, (group = []));
        group.push(v);
      }
      const moved: string[] = [];
      for (const [from, items] of byFrom) {
        await transitionMany(em, { from, to: DepositState.VALUED, at, items: items.map((i) => ({ guid: i.guid, detail: i.detail, patch: i.patch })) });
        moved.push(...items.map((i) => i.guid));
      }
      const held = new Map<string, DepositState>();
      for (const h of holds) if (current.get(h.guid) === h.from) held.set(h.guid, await this.holdIn(em, h));
      return { valued: moved, held };
    });
  }

  /** One transition in its own transaction, at `opts.at` (default: now, once the write's turn has come). */
  move(guid: string, from: DepositState, to: DepositState, opts: { reason?: string | null | undefined; detail?: Record<string, unknown> | undefined; patch?: DepositPatch | undefined; at?: Date | undefined } = {}): Promise<void> {
    return this.db.write((em) => transition(em, { guid, from, to, reason: opts.reason, detail: opts.detail, patch: opts.patch, at: opts.at ?? this.clock.now() }));
  }

  /** One transition in its own transaction, its parameters built (`at` included) when the write's turn comes. */
  apply(transitionOf: () => TransitionParameters): Promise<void> {
    return this.db.write((em) => transition(em, transitionOf()));
  }

  /**
   * In ONE transaction, each row's transition (`transitionOf(row)`, built when its turn comes) unless the row is no
   * longer in the state it was read in (another stage moved it meanwhile: skipped, not an error). Returns the GUIDs
   * moved, in order.
   */
  applyUnlessMoved(rows: readonly Deposit[], transitionOf: (row: Deposit) => TransitionParameters): Promise<string[]> {
    return this.db.write(async (em) => {
      const done: string[] = [];
      for (const d of rows) {
        const current = await em.findOne(Deposit, { where: { guid: d.guid }, select: { guid: true, state: true } });
        if (current?.state !== d.state) continue;
        await transition(em, transitionOf(d));
        done.push(d.guid);
      }
      return done;
    });
  }

  /**
   * Puts a deposit on HELD with the next retry time from the schedule, or FAILED when attempts are exhausted.
   * Returns the state it ended in.
   */
  hold(p: HoldParameters): Promise<DepositState> {
    return this.db.write((em) => this.holdIn(em, p));
  }

  /**
   * One more failed attempt of a deposit HELD for the same reason: its row (attempts, next attempt, detail) and the
   * detail of the history row that held it (`attempt`, `lastAttemptAt`, the latest message) are updated in place.
   */
  private async retryInPlace(em: EntityManager, p: HoldParameters, attempts: number, now: Date): Promise<void> {
    const next = nextAttemptAt(now, attempts, p.unitMs);
    const updated = await execute(em, `UPDATE "deposit" SET "attempts" = ?, "nextAttemptAt" = ?, "reasonDetail" = ?, "updatedAt" = ? WHERE "guid" = ? AND "state" = ?`, [attempts, next.getTime(), p.detail ?? null, now.getTime(), p.guid, DepositState.HELD]);
    if (updated !== 1) throw new StaleStateError(p.guid, DepositState.HELD, undefined);
    const [last] = await select<{ id: number; detail: string | null }>(em, `SELECT "id", "detail" FROM "deposit_transition" WHERE "guid" = ? ORDER BY "id" DESC LIMIT 1`, [p.guid]);
    if (last === undefined) return;
    // a transition's detail is always written as a JSON object (or left null)
    const detail = { ...(last.detail === null ? {} : (JSON.parse(last.detail) as Record<string, unknown>)), message: p.detail, heldReason: p.reason, attempt: attempts, lastAttemptAt: now.toISOString(), ...p.extra };
    await execute(em, `UPDATE "deposit_transition" SET "detail" = ? WHERE "id" = ?`, [JSON.stringify(toJsonSafe(detail)), last.id]);
  }

  /**
   * After a restart: every HELD row is due now (but the limits' waits, which are times, not retries) (an operator who fixed the config or a feed restarts the relayer to
   * have them retried at once, not at their old next-attempt time). Returns how many.
   */
  async retryHeldNow(): Promise<number> {
    const now = this.clock.now().getTime();
    return this.db.write(async (em) =>
      execute(em, `UPDATE "deposit" SET "nextAttemptAt" = ? WHERE "state" = ? AND "nextAttemptAt" > ? AND ("reason" IS NULL OR "reason" NOT IN ${placeholders(WAITS_BY_DESIGN.length)})`, [now, DepositState.HELD, now, ...WAITS_BY_DESIGN]),
    );
  }

  /** `hold` in the caller's transaction `em`. */
  async holdIn(em: EntityManager, p: HoldParameters): Promise<DepositState> {
    const now = this.clock.now();
    const current = await em.findOneOrFail(Deposit, { where: { guid: p.guid }, select: { guid: true, attempts: true, state: true, reason: true } });
    const attempts = current.attempts + 1;
    const exhausted = attempts >= p.maxAttempts;
    const to = exhausted ? DepositState.FAILED : DepositState.HELD;
    // Held again for the same reason: no new history row per retry — the row that held it counts the attempts.
    if (!exhausted && p.from === DepositState.HELD && current.state === DepositState.HELD && current.reason === p.reason) {
      await this.retryInPlace(em, p, attempts, now);
      return DepositState.HELD;
    }
    // HELD → HELD is allowed (another failed retry); FAILED is reached from HELD only.
    if (exhausted && p.from !== DepositState.HELD) {
      await transition(em, { guid: p.guid, from: p.from, to: DepositState.HELD, reason: p.reason, detail: { message: p.detail, ...p.extra }, at: now, patch: { reasonDetail: p.detail ?? null, attempts } });
      await transition(em, { guid: p.guid, from: DepositState.HELD, to: DepositState.FAILED, reason: HeldReason.RetriesExhausted, at: now, patch: { reasonDetail: p.detail ?? null, nextAttemptAt: null } });
      return DepositState.FAILED;
    }
    await transition(em, {
      guid: p.guid,
      from: p.from,
      to,
      reason: exhausted ? HeldReason.RetriesExhausted : p.reason,
      detail: { message: p.detail, heldReason: p.reason, attempt: attempts, ...p.extra },
      at: now,
      patch: { reasonDetail: p.detail ?? null, attempts, nextAttemptAt: exhausted ? null : nextAttemptAt(now, attempts, p.unitMs) },
    });
    return to;
  }
}
