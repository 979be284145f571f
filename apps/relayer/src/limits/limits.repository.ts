import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../store/database';
import { type DepositRow, depositFromRow } from '../store/deposit-row';
import { DepositState, HeldReason } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { MessageKind } from '../store/message-kind';
import { chunked, execute, insertIgnoringConflictsSql, placeholders, rowsPerStatement, select } from '../store/sql';
import type { DepositPatch } from '../store/transition';
import { transitionMany } from '../store/transition-many';
import type { PathGate } from './plan-limits';
import type { WindowEntry } from './window';

/** The reasons of a limits hold that has a release time (HELD): woken early when its cause went away. */
export const TIMED_LIMIT_REASONS: readonly HeldReason[] = [HeldReason.RateLimited, HeldReason.LargeTransferDelay, HeldReason.LimitQueued];
/** Every limits reason (GET /limits counts them). */
export const LIMIT_REASONS: readonly HeldReason[] = [...TIMED_LIMIT_REASONS, HeldReason.OverLimit];

/** States whose amount is on its way to the receiver (counted in the window whether or not the limits admitted it). */
const ON_ITS_WAY: readonly DepositState[] = [DepositState.VALUED, DepositState.ATTESTED, DepositState.SUBMITTED, DepositState.CONFIRMING];
/** States of a deposit not yet valued for good: not admitted and one of these, it goes before the later nonces of its path. */
const WAITING: readonly DepositState[] = [DepositState.OBSERVED, DepositState.FINAL, DepositState.HELD, DepositState.FAILED];

/** A path of the round: the GUIDs of the round on it, and its highest nonce. */
export type RoundPath = { srcEid: number; srcVault: string; dstEid: number; guids: readonly string[]; maxNonce: bigint };

/** What the limits need of the round's deposits beyond their rows. */
export type LimitInputs = { admitted: ReadonlySet<string>; finalAt: ReadonlyMap<string, number>; released: ReadonlySet<string> };

export type Admission = { guid: string; srcEid: number; haircutValue: bigint; released: boolean };

/** A limits hold to write: from the state it was read in to HELD (or FAILED for over-limit). */
export type LimitHold = {
  guid: string;
  from: DepositState;
  reason: HeldReason.RateLimited | HeldReason.LargeTransferDelay | HeldReason.LimitQueued | HeldReason.OverLimit;
  /** null for over-limit (FAILED: an operator retry releases it). */
  nextAttemptAt: Date | null;
  reasonDetail: string;
  detail: Record<string, unknown>;
  /** Its valuation (price, haircut, haircut value …): shown while it waits, set again when it is valued for good. */
  valuation: DepositPatch;
};

const CREDIT = `'${MessageKind.Credit}'`;
const inList = (values: readonly string[]): string => `(${values.map((v) => `'${v}'`).join(', ')})`; // fixed enum strings only

/** The store side of the limits: window sums, path gates, admissions and the limits' holds. */
@Injectable()
export class LimitsRepository {
  constructor(private readonly db: Database) {}

  /**
   * What a chain's window counts at `now` (window.ts): its credits on their way (VALUED … CONFIRMING; and admitted ones
   * that fell back, e.g. HELD on a would-revert) and its CREDITED ones credited after `now − windowMs`; voided ones
   * never. Each at its admitted value, else its haircut value (valued before the limits were on); unvalued ones
   * (reconciled without a valuation) count nothing.
   */
  async windowEntries(srcEid: number, now: number, windowMs: number): Promise<WindowEntry[]> {
    const rows = await select<{ guid: string; state: DepositState; creditedAt: number | null; haircutValue: string | null; admittedValue: string | null }>(
      this.db.reader,
      `SELECT d."guid", d."state", d."creditedAt", d."haircutValue", a."haircutValue" AS "admittedValue" FROM "deposit" d LEFT JOIN "limit_admission" a ON a."guid" = d."guid"
       WHERE d."srcEid" = ? AND d."kind" = ${CREDIT} AND d."voidReason" IS NULL AND (d."state" IN ${inList(ON_ITS_WAY)} OR (d."state" = '${DepositState.CREDITED}' AND d."creditedAt" > ?) OR (d."state" IN ${inList(WAITING)} AND a."guid" IS NOT NULL))`,
      [srcEid, now - windowMs],
    );
    const out: WindowEntry[] = [];
    for (const r of rows) {
      const value = r.admittedValue ?? r.haircutValue;
      if (value === null) continue;
      out.push({ guid: String(r.guid), value: BigInt(value), creditedAt: r.state === DepositState.CREDITED ? Number(r.creditedAt) : null });
    }
    return out;
  }

  /** Per round path: the lowest-nonce credit below its highest round nonce, outside the round, not admitted, not done. */
  async gates(paths: readonly RoundPath[]): Promise<Map<string, PathGate>> {
    const out = new Map<string, PathGate>();
    for (const p of paths) {
      const rows = await select<{ guid: string; nonce: number; reason: string | null; nextAttemptAt: number | null }>(
        this.db.reader,
        `SELECT d."guid", d."nonce", d."reason", d."nextAttemptAt" FROM "deposit" d WHERE d."srcEid" = ? AND d."srcVault" = ? AND d."dstEid" = ? AND d."nonce" < ?
         AND d."kind" = ${CREDIT} AND d."voidReason" IS NULL AND d."state" IN ${inList(WAITING)}
         AND NOT EXISTS (SELECT 1 FROM "limit_admission" a WHERE a."guid" = d."guid") AND d."guid" NOT IN ${placeholders(p.guids.length)}
         ORDER BY d."nonce" ASC LIMIT 1`,
        [p.srcEid, p.srcVault, p.dstEid, Number(p.maxNonce), ...p.guids],
      );
      const g = rows[0];
      if (g !== undefined) out.set(pathKey(p), { guid: String(g.guid), nonce: BigInt(g.nonce), reason: g.reason === null ? null : String(g.reason), nextAttemptAt: g.nextAttemptAt === null ? null : Number(g.nextAttemptAt) });
    }
    return out;
  }

  /**
   * HELD limits holds to look at before their time (by source chain and nonce, at most `limit`):
   *  - on limited chains, 'limit-queued' ones whose path has nothing before them but other queued ones (their blocker
   *    was admitted, voided or credited: they are woken at once, not at their upper-bound time);
   *  - on chains without limits (any more), every timed limits hold (`unlimited`: the limited chains' eids to exclude);
   *  - with `all` (the first round after boot: the limits may have changed), every timed limits hold.
   */
  async wakeable(p: { now: number; limited: readonly number[]; all: boolean; limit: number }): Promise<Deposit[]> {
    const base = `f."kind" = ${CREDIT} AND f."voidReason" IS NULL AND f."state" = '${DepositState.HELD}' AND f."nextAttemptAt" > ?`;
    if (p.all) {
      const rows = await select<DepositRow>(this.db.reader, `SELECT f.* FROM "deposit" f WHERE ${base} AND f."reason" IN ${inList(TIMED_LIMIT_REASONS)} ORDER BY f."srcEid", f."nonce" LIMIT ?`, [p.now, p.limit]);
      return rows.map(depositFromRow);
    }
    const unlimited = `f."reason" IN ${inList(TIMED_LIMIT_REASONS)}`;
    if (p.limited.length === 0) {
      const rows = await select<DepositRow>(this.db.reader, `SELECT f.* FROM "deposit" f WHERE ${base} AND ${unlimited} ORDER BY f."srcEid", f."nonce" LIMIT ?`, [p.now, p.limit]);
      return rows.map(depositFromRow);
    }
    const limited = placeholders(p.limited.length);
    const rows = await select<DepositRow>(
      this.db.reader,
      `SELECT f.* FROM "deposit" f WHERE ${base} AND (
         (f."srcEid" NOT IN ${limited} AND ${unlimited})
         OR (f."srcEid" IN ${limited} AND f."reason" = '${HeldReason.LimitQueued}' AND NOT EXISTS (
           SELECT 1 FROM "deposit" g WHERE g."srcEid" = f."srcEid" AND g."srcVault" = f."srcVault" AND g."dstEid" = f."dstEid" AND g."nonce" < f."nonce"
           AND g."kind" = ${CREDIT} AND g."voidReason" IS NULL AND g."state" IN ${inList(WAITING)}
           AND NOT (g."state" = '${DepositState.HELD}' AND g."reason" = '${HeldReason.LimitQueued}')
           AND NOT EXISTS (SELECT 1 FROM "limit_admission" a WHERE a."guid" = g."guid"))))
       ORDER BY f."srcEid", f."nonce" LIMIT ?`,
      [p.now, ...p.limited, ...p.limited, p.limit],
    );
    return rows.map(depositFromRow);
  }

  /**
   * For these GUIDs: which are admitted; when each became FINAL (its last transition to FINAL, ms); which an operator
   * released — a manual retry after that finality of a deposit held 'large-transfer-delay' or 'over-limit'.
   */
  async inputs(guids: readonly string[]): Promise<LimitInputs> {
    const admitted = new Set<string>();
    const finalAt = new Map<string, number>();
    const released = new Set<string>();
    const retries: { guid: string; at: number; detail: string | null }[] = [];
    for (const slice of chunked(guids, rowsPerStatement(1) - 2)) {
      for (const r of await select<{ guid: string }>(this.db.reader, `SELECT "guid" FROM "limit_admission" WHERE "guid" IN ${placeholders(slice.length)}`, slice)) admitted.add(String(r.guid));
      for (const r of await select<{ guid: string; at: number }>(
        this.db.reader,
        `SELECT "guid", MAX("at") AS "at" FROM "deposit_transition" WHERE "to" = ? AND "guid" IN ${placeholders(slice.length)} GROUP BY "guid"`,
        [DepositState.FINAL, ...slice],
      ))
        finalAt.set(String(r.guid), Number(r.at));
      for (const r of await select<{ guid: string; at: number; detail: string | null }>(
        this.db.reader,
        `SELECT "guid", "at", "detail" FROM "deposit_transition" WHERE "reason" = ? AND "guid" IN ${placeholders(slice.length)}`,
        [HeldReason.Manual, ...slice],
      ))
        retries.push({ guid: String(r.guid), at: Number(r.at), detail: r.detail === null ? null : String(r.detail) });
    }
    for (const r of retries) {
      if (r.at < (finalAt.get(r.guid) ?? 0) || r.detail === null) continue;
      const previous = (JSON.parse(r.detail) as { previousReason?: unknown }).previousReason; // the admin retry's history detail
      if (previous === HeldReason.LargeTransferDelay || previous === HeldReason.OverLimit) released.add(r.guid);
    }
    return { admitted, finalAt, released };
  }

  /**
   * One transaction: the round's admissions (a GUID admitted already keeps its first row), then the limits' holds —
   * each only if its row is still in the state it was read in (another stage may have moved it), and not rewritten
   * when it is already HELD with the same reason and release time. Returns the GUIDs held.
   */
  record(admissions: readonly Admission[], holds: readonly LimitHold[], at: Date): Promise<string[]> {
    return this.db.write(async (em) => {
      const columns = ['guid', 'srcEid', 'haircutValue', 'admittedAt', 'released'];
      for (const slice of chunked(admissions, rowsPerStatement(columns.length)))
        await execute(em, insertIgnoringConflictsSql('limit_admission', columns, slice.length, 'guid'), slice.flatMap((a) => [a.guid, a.srcEid, a.haircutValue.toString(), at.getTime(), a.released ? 1 : 0]));
      const current = await this.current(em, holds.map((h) => h.guid));
      const todo = holds.filter((h) => {
        const c = current.get(h.guid);
        if (c?.state !== h.from) return false;
        return !(c.state === DepositState.HELD && c.reason === h.reason && c.nextAttemptAt === (h.nextAttemptAt?.getTime() ?? null));
      });
      // Grouped by (from, reason): one bulk compare-and-set per group (store/transition-many.ts), history rows included.
      const groups = new Map<string, LimitHold[]>();
      for (const h of todo) {
        const k = `${h.from}|${h.reason}`;
        let g = groups.get(k);
        if (g === undefined) groups.set(k, (g = []));
        g.push(h);
      }
      for (const group of groups.values()) {
        const { from, reason } = group[0]!;
        const items = group.map((h) => ({ guid: h.guid, detail: h.detail, patch: { ...h.valuation, reasonDetail: h.reasonDetail, nextAttemptAt: h.nextAttemptAt, attempts: 0 } }));
        if (reason !== HeldReason.OverLimit) {
          await transitionMany(em, { from, to: DepositState.HELD, reason, at, items });
          continue;
        }
        // over-limit: FAILED (only an operator retry moves it on); FAILED is reached from HELD.
        if (from !== DepositState.HELD) await transitionMany(em, { from, to: DepositState.HELD, reason, at, items });
        await transitionMany(em, { from: DepositState.HELD, to: DepositState.FAILED, reason, at, items: group.map((h) => ({ guid: h.guid, detail: h.detail, patch: { reasonDetail: h.reasonDetail, nextAttemptAt: null } })) });
      }
      return todo.map((h) => h.guid);
    });
  }

  /** Limits holds per reason on a chain now (HELD / FAILED with a limits reason). */
  async waiting(srcEid: number): Promise<Map<string, number>> {
    const rows = await select<{ reason: string; n: number }>(
      this.db.reader,
      `SELECT "reason", COUNT(*) AS "n" FROM "deposit" WHERE "srcEid" = ? AND "kind" = ${CREDIT} AND "state" IN ('${DepositState.HELD}', '${DepositState.FAILED}') AND "reason" IN ${inList(LIMIT_REASONS)} GROUP BY "reason"`,
      [srcEid],
    );
    return new Map(rows.map((r) => [String(r.reason), Number(r.n)]));
  }

  private async current(em: EntityManager, guids: readonly string[]): Promise<Map<string, { state: DepositState; reason: string | null; nextAttemptAt: number | null }>> {
    const out = new Map<string, { state: DepositState; reason: string | null; nextAttemptAt: number | null }>();
    for (const slice of chunked(guids, rowsPerStatement(1)))
      for (const r of await select<{ guid: string; state: DepositState; reason: string | null; nextAttemptAt: number | null }>(
        em,
        `SELECT "guid", "state", "reason", "nextAttemptAt" FROM "deposit" WHERE "guid" IN ${placeholders(slice.length)}`,
        slice,
      ))
        out.set(String(r.guid), { state: r.state, reason: r.reason, nextAttemptAt: r.nextAttemptAt === null ? null : Number(r.nextAttemptAt) });
    return out;
  }
}

/** A path (srcEid, srcVault, dstEid) as one key. */
export function pathKey(p: Pick<Deposit, 'srcEid' | 'srcVault' | 'dstEid'>): string {
  return `${p.srcEid}:${p.srcVault}:${p.dstEid}`;
}
