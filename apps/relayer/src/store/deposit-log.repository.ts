import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from './database';
import { DepositState } from './deposit-state';
import type { Deposit } from './deposit.entity';
import { chunked, placeholders, rowsPerStatement, select } from './sql';

/** The columns of a stored message the watcher compares with a log (as the driver returns them: no conversion). */
export type LoggedRow = Pick<Deposit, 'guid' | 'state' | 'blockNumber' | 'blockHash' | 'txHash' | 'logIndex' | 'account' | 'token' | 'amount'>;
const LOGGED_COLUMNS = '"guid", "state", "blockNumber", "blockHash", "txHash", "logIndex", "account", "token", "amount"';

/**
 * What the watcher reads to compare stored messages with the chain's logs: a few columns, raw (no entity hydration),
 * in bulk — the scans' hot path, so keep these statements as narrow as they are.
 */
@Injectable()
export class DepositLogRepository {
  constructor(private readonly db: Database) {}

  /** Messages from `srcEid` still OBSERVED whose block is in `from`…`to` (inclusive): the ones a final chunk must find. */
  observedInBlocks(srcEid: number, from: number, to: number): Promise<LoggedRow[]> {
    return select<LoggedRow>(this.db.reader, `SELECT ${LOGGED_COLUMNS} FROM "deposit" WHERE "srcEid" = ? AND "state" = ? AND "blockNumber" BETWEEN ? AND ?`, [
      srcEid,
      DepositState.OBSERVED,
      from,
      to,
    ]);
  }

  /** The stored rows of these GUIDs, read in the caller's transaction `em`, by GUID (absent GUIDs are missing). */
  async loggedRows(em: EntityManager, guids: readonly string[]): Promise<Map<string, LoggedRow>> {
    const out = new Map<string, LoggedRow>();
    for (const slice of chunked(guids, rowsPerStatement(1)))
      for (const row of await select<LoggedRow>(em, `SELECT ${LOGGED_COLUMNS} FROM "deposit" WHERE "guid" IN ${placeholders(slice.length)}`, slice)) out.set(row.guid, row);
    return out;
  }
}
