import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintInteger, bigintNumber, dateMs } from './column-transformers';
import { DepositState } from './deposit-state';
import { MessageKind } from './message-kind';

/**
 * One message — a locked deposit (kind `credit`), a withdrawal or a release result (store/message-kind.ts) — known by
 * its LayerZero GUID from the first moment to the last. (The table keeps its first name, `deposit`.) For a
 * withdrawal, srcEid/srcVault are the derivatives chain and its receiver, dstEid/receiver the source chain and vault.
 * Addresses are stored chain-neutral as 0x-prefixed lowercase bytes32; amounts and 18-decimal values as decimal strings.
 *
 * Integer widths (what a 4-byte `integer` in PostgreSQL would hold): epoch-ms timestamps, the uint64 nonce and unix
 * seconds are `bigint`. Endpoint ids (LayerZero eids, well below 2^31), block numbers (2^31 ≈ 2.1e9: 17 years of
 * blocks at 4 per second), log indexes, decimals, counters and codes stay `integer`; a chain nearing 2^31 blocks
 * needs its block columns widened. (SQLite stores both the same way: INTEGER affinity, up to 8 bytes.)
 */
@Entity({ name: 'deposit' })
@Index('idx_deposit_state', ['state'])
@Index('idx_deposit_pathway', ['srcEid', 'srcVault', 'nonce'])
@Index('idx_deposit_account', ['account'])
export class Deposit {
  @PrimaryColumn({ type: 'text' }) guid!: string;
  @Column({ type: 'text', default: MessageKind.Credit }) kind!: MessageKind;
  @Column({ type: 'integer' }) srcEid!: number;
  @Column({ type: 'text' }) srcVault!: string;
  @Column({ type: 'integer' }) dstEid!: number;
  /** uint64 message nonce: `bigint` (signed 64-bit holds it: bigintInteger refuses values above 2^53). */
  @Column({ type: 'bigint', transformer: bigintInteger }) nonce!: bigint;
  @Column({ type: 'text' }) depositor!: string;
  @Column({ type: 'text' }) account!: string;
  @Column({ type: 'text' }) token!: string;
  /** Raw token amount (base units), decimal string. */
  @Column({ type: 'text' }) amount!: string;
  /** Block number: `integer` is fine up to 2^31 (see above). */
  @Column({ type: 'integer' }) blockNumber!: number;
  @Column({ type: 'text' }) blockHash!: string;
  @Column({ type: 'text' }) txHash!: string;
  @Column({ type: 'integer' }) logIndex!: number;

  @Column({ type: 'text' }) state!: DepositState;
  /** HeldReason (or `reconciled`) for the latest transition that had one. */
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  /** Human detail of `reason` (decoded error, guard message). */
  @Column({ type: 'text', nullable: true }) reasonDetail!: string | null;

  @Column({ type: 'text', nullable: true }) symbol!: string | null;
  @Column({ type: 'integer', nullable: true }) assetDecimals!: number | null;
  /** USD per whole token, 18 decimals. */
  @Column({ type: 'text', nullable: true }) price!: string | null;
  /** Unix seconds (`bigint`: past 2^31 in 2038). */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber }) priceTimestamp!: number | null;
  @Column({ type: 'text', nullable: true }) haircut!: string | null;
  @Column({ type: 'text', nullable: true }) sizeWeight!: string | null;
  /** USD, 18 decimals, rounded down: what the receiver credits. */
  @Column({ type: 'text', nullable: true }) haircutValue!: string | null;
  @Column({ type: 'bigint', nullable: true, transformer: dateMs }) valuedAt!: Date | null;

  @Column({ type: 'integer', nullable: true }) batchId!: number | null;
  @Column({ type: 'text', nullable: true }) creditTxHash!: string | null;

  /** Failed attempts since the last success (drives the retry schedule). */
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ type: 'bigint', nullable: true, transformer: dateMs }) nextAttemptAt!: Date | null;

  @Column({ type: 'bigint', transformer: dateMs }) createdAt!: Date;
  @Column({ type: 'bigint', transformer: dateMs }) updatedAt!: Date;
  @Column({ type: 'bigint', nullable: true, transformer: dateMs }) creditedAt!: Date | null;

  /** The contract the packet is addressed to on dstEid (bytes32); null on rows from before message kinds (the receiver). */
  @Column({ type: 'text', nullable: true }) receiver!: string | null;
  /** Withdrawal: who is paid on the source chain (bytes32). */
  @Column({ type: 'text', nullable: true }) recipient!: string | null;
  /** Withdrawal: the voided deposit nonce it refunds (decimal text); null for an ordinary withdrawal. */
  @Column({ type: 'text', nullable: true }) voidedNonce!: string | null;
  /** Release result: the withdrawal it answers. */
  @Column({ type: 'text', nullable: true }) withdrawalGuid!: string | null;
  /** Release result: that withdrawal's nonce (decimal text). */
  @Column({ type: 'text', nullable: true }) withdrawalNonce!: string | null;
  /** Release result: 1 released, 2 failed. */
  @Column({ type: 'integer', nullable: true }) releaseStatus!: number | null;
  /** Credit: set when an operator voided it (1 unsupported-asset, 2 invalid-deposit, 3 operator). */
  @Column({ type: 'integer', nullable: true }) voidReason!: number | null;
  /** Block of the destination transaction that applied it (CONFIRMING and after). */
  @Column({ type: 'integer', nullable: true }) deliveredBlock!: number | null;
}
