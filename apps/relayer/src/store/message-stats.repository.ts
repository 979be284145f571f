import { Injectable } from '@nestjs/common';
import { Database } from './database';
import { DepositState, IN_FLIGHT_STATES } from './deposit-state';
import { Deposit } from './deposit.entity';
import type { MessageKind } from './message-kind';

/** Messages of one kind in one state (the columns hold the enums' values). */
export type KindStateCount = { kind: MessageKind; state: DepositState; n: number };
/** HELD or FAILED messages with one reason (null: none recorded). */
export type HeldReasonCount = { state: string; reason: string | null; n: number };
/** What the in-flight gauges sum per chain and asset. */
export type InFlightAmountRow = Pick<Deposit, 'kind' | 'srcEid' | 'dstEid' | 'token' | 'symbol' | 'amount' | 'haircutValue' | 'createdAt'>;

/** Aggregates over every message, read at scrape time (GET /metrics). */
@Injectable()
export class MessageStatsRepository {
  constructor(private readonly db: Database) {}

  /** How many messages there are of each kind in each state (only the pairs that occur; `n` as the driver counts). */
  countsByKindAndState(): Promise<KindStateCount[]> {
    return this.db.reader.createQueryBuilder(Deposit, 'd').select('d.kind', 'kind').addSelect('d.state', 'state').addSelect('COUNT(*)', 'n').groupBy('d.kind').addGroupBy('d.state').getRawMany<KindStateCount>();
  }

  /** How many messages are HELD or FAILED, per state and reason. */
  heldByReason(): Promise<HeldReasonCount[]> {
    return this.db.reader
      .createQueryBuilder(Deposit, 'd')
      .select('d.state', 'state')
      .addSelect('d.reason', 'reason')
      .addSelect('COUNT(*)', 'n')
      .where('d.state IN (:...states)', { states: [DepositState.HELD, DepositState.FAILED] })
      .groupBy('d.state')
      .addGroupBy('d.reason')
      .getRawMany<HeldReasonCount>();
  }

  /** Kind, path, asset and amounts of every message in an in-flight state (IN_FLIGHT_STATES). */
  inFlightRows(): Promise<InFlightAmountRow[]> {
    return this.db.reader
      .createQueryBuilder(Deposit, 'd')
      .select(['d.kind', 'd.srcEid', 'd.dstEid', 'd.token', 'd.symbol', 'd.amount', 'd.haircutValue', 'd.createdAt'])
      .where('d.state IN (:...states)', { states: IN_FLIGHT_STATES })
      .getMany();
  }
}
