import { Injectable } from '@nestjs/common';
import { Brackets, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { Database } from './database';
import { DepositState, HeldReason } from './deposit-state';
import { DepositTransition } from './deposit-transition.entity';
import { Deposit } from './deposit.entity';
import { nextAttemptAt } from './retry-schedule';
import { DepositNotFoundError } from './store-errors';
import { transition, type DepositPatch } from './transition';

export type ListDepositsFilter = { account?: string | undefined; state?: DepositState | undefined; limit: number };

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

  async get(guid: string): Promise<Deposit> {
    const d = await this.db.reader.findOne(Deposit, { where: { guid: guid.toLowerCase() } });
    if (d === null) throw new DepositNotFoundError(guid);
    return d;
  }

  find(guid: string): Promise<Deposit | null> {
    return this.db.reader.findOne(Deposit, { where: { guid: guid.toLowerCase() } });
  }

  history(guid: string): Promise<DepositTransition[]> {
    return this.db.reader.find(DepositTransition, { where: { guid: guid.toLowerCase() }, order: { id: 'ASC' } });
  }

  list(filter: ListDepositsFilter): Promise<Deposit[]> {
    const q = this.db.reader.createQueryBuilder(Deposit, 'd').orderBy('d.createdAt', 'DESC').addOrderBy('d.guid', 'ASC').limit(filter.limit);
    if (filter.account !== undefined) q.andWhere('d.account = :account', { account: filter.account.toLowerCase() });
    if (filter.state !== undefined) q.andWhere('d.state = :state', { state: filter.state });
    return q.getMany();
  }

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
  dueForValuation(now: Date, limit: number): Promise<Deposit[]> {
    return this.db.reader
      .createQueryBuilder(Deposit, 'd')
      .where('d.state = :final', { final: DepositState.FINAL })
      .orWhere(
        new Brackets((b) => {
          b.where('d.state = :held', { held: DepositState.HELD }).andWhere('(d.nextAttemptAt IS NULL OR d.nextAttemptAt <= :now)', { now: now.getTime() });
        }),
      )
      .orderBy('d.srcEid')
      .addOrderBy('d.nonce')
      .limit(limit)
      .getMany();
  }

  /** Every not-yet-credited deposit of one pathway, by nonce. */
  pathway(srcEid: number, srcVault: string, dstEid: number): Promise<Deposit[]> {
    return this.db.reader
      .createQueryBuilder(Deposit, 'd')
      .where('d.srcEid = :srcEid AND d.srcVault = :srcVault AND d.dstEid = :dstEid', { srcEid, srcVault, dstEid })
      .andWhere('d.state NOT IN (:...done)', { done: [DepositState.CREDITED, DepositState.REORGED] })
      .orderBy('d.nonce', 'ASC')
      .getMany();
  }

  /** Distinct (srcEid, srcVault) pathways with work towards `dstEid`. */
  async openPathways(dstEid: number): Promise<{ srcEid: number; srcVault: string }[]> {
    const rows: { srcEid: number; srcVault: string }[] = await this.db.reader
      .createQueryBuilder(Deposit, 'd')
      .select('d.srcEid', 'srcEid')
      .addSelect('d.srcVault', 'srcVault')
      .where('d.dstEid = :dstEid', { dstEid })
      .andWhere('d.state NOT IN (:...done)', { done: [DepositState.CREDITED, DepositState.REORGED] })
      .groupBy('d.srcEid')
      .addGroupBy('d.srcVault')
      .getRawMany();
    return rows.map((r) => ({ srcEid: Number(r.srcEid), srcVault: r.srcVault }));
  }

  /** One transition in its own transaction. */
  move(guid: string, from: DepositState, to: DepositState, opts: { reason?: string | null; detail?: Record<string, unknown>; patch?: DepositPatch } = {}): Promise<void> {
    return this.db.write((em) => transition(em, { guid, from, to, reason: opts.reason, detail: opts.detail, patch: opts.patch, at: this.clock.now() }));
  }

  /**
   * Puts a deposit on HELD with the next retry time from the schedule, or FAILED when attempts are exhausted.
   * Returns the state it ended in.
   */
  hold(p: HoldParameters): Promise<DepositState> {
    return this.db.write((em) => this.holdIn(em, p));
  }

  async holdIn(em: EntityManager, p: HoldParameters): Promise<DepositState> {
    const now = this.clock.now();
    const current = await em.findOneOrFail(Deposit, { where: { guid: p.guid }, select: { guid: true, attempts: true } });
    const attempts = current.attempts + 1;
    const exhausted = attempts >= p.maxAttempts;
    const to = exhausted ? DepositState.FAILED : DepositState.HELD;
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
