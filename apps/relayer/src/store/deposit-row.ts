import { bigintInteger, dateMs } from './column-transformers';
import type { DepositState } from './deposit-state';
import { Deposit } from './deposit.entity';
import type { MessageKind } from './message-kind';

/** A `deposit` row as SQLite returns it to a raw `SELECT *` (INTEGER → number, TEXT → string). */
export type DepositRow = Record<keyof Deposit, unknown>;

const dateOrNull = (v: unknown): Date | null => dateMs.from(v as number | null); // an INTEGER (epoch ms) or NULL column
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * A raw row → the Deposit entity, with the same conversions as the entity's column transformers (nonce → bigint,
 * epoch ms → Date). For the hot paths that read with raw SQL instead of TypeORM's entity hydration.
 */
export function depositFromRow(r: DepositRow): Deposit {
  const d = new Deposit();
  d.guid = str(r.guid);
  d.srcEid = Number(r.srcEid);
  d.srcVault = str(r.srcVault);
  d.dstEid = Number(r.dstEid);
  d.nonce = bigintInteger.from(r.nonce as number) as bigint; // INTEGER NOT NULL → bigint
  d.depositor = str(r.depositor);
  d.account = str(r.account);
  d.token = str(r.token);
  d.amount = str(r.amount);
  d.blockNumber = Number(r.blockNumber);
  d.blockHash = str(r.blockHash);
  d.txHash = str(r.txHash);
  d.logIndex = Number(r.logIndex);
  d.state = r.state as DepositState; // persisted from the enum
  d.reason = strOrNull(r.reason);
  d.reasonDetail = strOrNull(r.reasonDetail);
  d.symbol = strOrNull(r.symbol);
  d.assetDecimals = numOrNull(r.assetDecimals);
  d.price = strOrNull(r.price);
  d.priceTimestamp = numOrNull(r.priceTimestamp);
  d.haircut = strOrNull(r.haircut);
  d.sizeWeight = strOrNull(r.sizeWeight);
  d.haircutValue = strOrNull(r.haircutValue);
  d.valuedAt = dateOrNull(r.valuedAt);
  d.batchId = numOrNull(r.batchId);
  d.creditTxHash = strOrNull(r.creditTxHash);
  d.attempts = Number(r.attempts ?? 0);
  d.nextAttemptAt = dateOrNull(r.nextAttemptAt);
  d.createdAt = dateOrNull(r.createdAt) ?? new Date(0);
  d.updatedAt = dateOrNull(r.updatedAt) ?? new Date(0);
  d.creditedAt = dateOrNull(r.creditedAt);
  d.kind = str(r.kind ?? 'credit') as MessageKind; // persisted from the enum
  d.receiver = strOrNull(r.receiver);
  d.recipient = strOrNull(r.recipient);
  d.voidedNonce = strOrNull(r.voidedNonce);
  d.withdrawalGuid = strOrNull(r.withdrawalGuid);
  d.withdrawalNonce = strOrNull(r.withdrawalNonce);
  d.releaseStatus = numOrNull(r.releaseStatus);
  d.voidReason = numOrNull(r.voidReason);
  d.deliveredBlock = numOrNull(r.deliveredBlock);
  return d;
}
