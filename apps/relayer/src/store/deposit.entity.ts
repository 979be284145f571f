import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintInteger, dateMs } from './column-transformers';
import { DepositState } from './deposit-state';
import { MessageKind } from './message-kind';

/**
 * One message — a locked deposit (kind `credit`), a withdrawal or a release result (store/message-kind.ts) — known by
 * its LayerZero GUID from the first moment to the last. (The table keeps its first name, `deposit`.) For a
 * withdrawal, srcEid/srcVault are the derivatives chain and its receiver, dstEid/receiver the source chain and vault.
 * Addresses are stored chain-neutral as 0x-prefixed lowercase bytes32; amounts and 18-decimal values as decimal strings.
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
  @Column({ type: 'integer', transformer: bigintInteger }) nonce!: bigint;
  @Column({ type: 'text' }) depositor!: string;
  @Column({ type: 'text' }) account!: string;
  @Column({ type: 'text' }) token!: string;
  /** Raw token amount (base units), decimal string. */
  @Column({ type: 'text' }) amount!: string;
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
  /** Unix seconds. */
  @Column({ type: 'integer', nullable: true }) priceTimestamp!: number | null;
  @Column({ type: 'text', nullable: true }) haircut!: string | null;
  @Column({ type: 'text', nullable: true }) sizeWeight!: string | null;
  /** USD, 18 decimals, rounded down: what the receiver credits. */
  @Column({ type: 'text', nullable: true }) haircutValue!: string | null;
  @Column({ type: 'integer', nullable: true, transformer: dateMs }) valuedAt!: Date | null;

  @Column({ type: 'integer', nullable: true }) batchId!: number | null;
  @Column({ type: 'text', nullable: true }) creditTxHash!: string | null;

  /** Failed attempts since the last success (drives the retry schedule). */
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ type: 'integer', nullable: true, transformer: dateMs }) nextAttemptAt!: Date | null;

  @Column({ type: 'integer', transformer: dateMs }) createdAt!: Date;
  @Column({ type: 'integer', transformer: dateMs }) updatedAt!: Date;
  @Column({ type: 'integer', nullable: true, transformer: dateMs }) creditedAt!: Date | null;

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
