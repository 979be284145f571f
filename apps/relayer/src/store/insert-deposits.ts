import type { EntityManager } from 'typeorm';
import { RelayerError, toJsonSafe } from '../common/relayer-error';
import { bigintInteger } from './column-transformers';
import { DepositState } from './deposit-state';
import { MessageKind } from './message-kind';
import { HISTORY_COLUMNS } from './history-columns';
import { chunked, execute, insertIgnoringConflictsSql, insertRowsSql, rowsPerStatement } from './sql';
import type { NewDeposit } from './transition';

/** A bulk insert stored fewer rows than asked: a GUID existed already (the caller's transaction rolls back). */
export class DepositExistsError extends RelayerError {
  override readonly name = 'DepositExistsError' as const;
  constructor(readonly expected: number, readonly inserted: number) {
    super(`bulk insert stored ${inserted} of ${expected} new deposits: some GUID exists already`, { details: { expected, inserted } });
  }
}

export type InsertDepositsParameters = {
  /** New GUIDs only (the caller looked them up in the same transaction); distinct. */
  deposits: readonly NewDeposit[];
  at: Date;
  /**
   * Stored FINAL rather than OBSERVED: the finality scan met them first. Their history then has both rows,
   * `null → OBSERVED` and `OBSERVED → FINAL` (with this detail per deposit), exactly as insertObserved + transition.
   */
  final?: { detail: (d: NewDeposit) => Record<string, unknown> } | undefined;
};

const COLUMNS = ['guid', 'kind', 'receiver', 'recipient', 'voidedNonce', 'withdrawalGuid', 'withdrawalNonce', 'releaseStatus', 'srcEid', 'srcVault', 'dstEid', 'nonce', 'depositor', 'account', 'token', 'amount', 'blockNumber', 'blockHash', 'txHash', 'logIndex', 'state', 'reason', 'reasonDetail', 'attempts', 'createdAt', 'updatedAt'] as const;

/**
 * Many new deposits in the caller's transaction: multi-row `INSERT … ON CONFLICT (guid) DO NOTHING` (sql.ts
 * `insertIgnoringConflictsSql`, sliced below SQLite's variable limit) plus their history rows. Throws
 * DepositExistsError (rolling the caller's transaction back) when a GUID was there already, so a history row never
 * describes a deposit that was not inserted.
 */
export async function insertDeposits(em: EntityManager, p: InsertDepositsParameters): Promise<void> {
  if (p.deposits.length === 0) return;
  const at = p.at.getTime();
  const state = p.final === undefined ? DepositState.OBSERVED : DepositState.FINAL;
  let inserted = 0;
  for (const slice of chunked(p.deposits, rowsPerStatement(COLUMNS.length))) {
    // bigintInteger.to gives null only for a null nonce, and d.nonce is a bigint
    const values = slice.flatMap((d) => [d.guid, d.kind ?? MessageKind.Credit, d.receiver ?? null, d.recipient ?? null, d.voidedNonce ?? null, d.withdrawalGuid ?? null, d.withdrawalNonce ?? null, d.releaseStatus ?? null, d.srcEid, d.srcVault, d.dstEid, bigintInteger.to(d.nonce) as number, d.depositor, d.account, d.token, d.amount, d.blockNumber, d.blockHash, d.txHash, d.logIndex, state, null, null, 0, at, at]);
    inserted += await execute(em, insertIgnoringConflictsSql('deposit', COLUMNS, slice.length, 'guid'), values);
  }
  if (inserted !== p.deposits.length) throw new DepositExistsError(p.deposits.length, inserted);

  const history: unknown[][] = [];
  for (const d of p.deposits) {
    history.push([d.guid, null, DepositState.OBSERVED, null, at, null]);
    if (p.final !== undefined) history.push([d.guid, DepositState.OBSERVED, DepositState.FINAL, null, at, JSON.stringify(toJsonSafe(p.final.detail(d)))]);
  }
  for (const slice of chunked(history, rowsPerStatement(HISTORY_COLUMNS.length))) await execute(em, insertRowsSql('deposit_transition', HISTORY_COLUMNS, slice.length), slice.flat());
}
