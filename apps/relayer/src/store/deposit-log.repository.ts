import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from './database';
import { DepositState } from './deposit-state';
import type { Deposit } from './deposit.entity';
import { chunked, placeholders, rowsPerStatement, select } from './sql';

/** The columns of a stored message the watcher compares with a log (as the driver returns them: no conversion). */
export type LoggedRow = Pick<Deposit, 'guid' | 'state' | 'blockNumber' | 'blockHash' | 'txHash' | 'logIndex' | 'account' | 'token' | 'amount'>;
const LOGGED_COLUMNS = '"guid", "state", "blockNumber", "blockHash", "txHash", "logIndex", "account", "token", "amount"';
/** A LoggedRow with its path's destination (which pathway a finality violation of it halts). */
export type PathLoggedRow = LoggedRow & Pick<Deposit, 'dstEid' | 'receiver'>;

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

  /**
   * Messages emitted by `srcVault` on `srcEid` (the chain's watched contract) whose block is in `from`…`to`, every
   * state but REORGED, with their path: the OBSERVED ones a final chunk must find, and — on a rescan after a finality
   * violation — the ones already past FINAL whose log must still be there (by idx_deposit_pathway_block).
   */
  loggedInBlocks(srcEid: number, srcVault: string, from: number, to: number): Promise<PathLoggedRow[]> {
    return select<PathLoggedRow>(
      this.db.reader,
      `SELECT ${LOGGED_COLUMNS}, "dstEid", "receiver" FROM "deposit" WHERE "srcEid" = ? AND "srcVault" = ? AND "blockNumber" BETWEEN ? AND ? AND "state" <> ?`,
      [srcEid, srcVault, from, to, DepositState.REORGED],
    );
  }

  /**
   * The highest nonce the store has as final on the path (srcEid, srcVault) → dstEid from a block at or below
   * `block` (state past OBSERVED, not REORGED); null when it has none. Read from the top of idx_deposit_pathway.
   */
  async highestFinalNonce(srcEid: number, srcVault: string, dstEid: number, block: number): Promise<bigint | null> {
    const [row] = await select<{ nonce: number | string }>(
      this.db.reader,
      `SELECT "nonce" FROM "deposit" WHERE "srcEid" = ? AND "srcVault" = ? AND "dstEid" = ? AND "blockNumber" <= ? AND "state" NOT IN (?, ?) ORDER BY "nonce" DESC LIMIT 1`,
      [srcEid, srcVault, dstEid, block, DepositState.OBSERVED, DepositState.REORGED],
    );
    return row === undefined ? null : BigInt(row.nonce);
  }

  /** Distinct (block, hash) of the chain's stored messages at or below `block`, newest first (REORGED ones left out). */
  storedBlocksAtOrBelow(srcEid: number, srcVault: string, block: number, limit: number): Promise<{ blockNumber: number; blockHash: string }[]> {
    return select<{ blockNumber: number; blockHash: string }>(
      this.db.reader,
      `SELECT DISTINCT "blockNumber", "blockHash" FROM "deposit" WHERE "srcEid" = ? AND "srcVault" = ? AND "blockNumber" <= ? AND "state" <> ? ORDER BY "blockNumber" DESC LIMIT ?`,
      [srcEid, srcVault, block, DepositState.REORGED, limit],
    );
  }

  /** The stored rows of these GUIDs, read in the caller's transaction `em`, by GUID (absent GUIDs are missing). */
  async loggedRows(em: EntityManager, guids: readonly string[]): Promise<Map<string, LoggedRow>> {
    const out = new Map<string, LoggedRow>();
    for (const slice of chunked(guids, rowsPerStatement(1)))
      for (const row of await select<LoggedRow>(em, `SELECT ${LOGGED_COLUMNS} FROM "deposit" WHERE "guid" IN ${placeholders(slice.length)}`, slice)) out.set(row.guid, row);
    return out;
  }
}
