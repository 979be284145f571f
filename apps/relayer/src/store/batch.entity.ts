import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber, dateMs } from './column-transformers';

/** Batch states. Persisted strings: only ever extended, never renamed. */
export enum BatchState {
  /** Attested and simulated; not yet signed as a transaction. */
  ATTESTED = 'ATTESTED',
  /** Transaction signed, hash and raw bytes persisted, broadcast (or about to be). */
  SUBMITTED = 'SUBMITTED',
  CONFIRMED = 'CONFIRMED',
  /** Mined but reverted (must not happen: the batch was simulated first). */
  REVERTED = 'REVERTED',
  /** Given up before or after broadcast (crash before broadcast, dropped tx); its deposits went back to VALUED. */
  ABANDONED = 'ABANDONED',
  /** Mined but reverted because another transaction had applied the same messages first (not a failure: reconciled). */
  PREEMPTED = 'PREEMPTED',
}

/** Timestamps (epoch ms) and the account nonce (uint64) are `bigint`; `dstEid` (an eid, below 2^31) stays `integer`. */
@Entity({ name: 'batch' })
export class Batch {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) dstEid!: number;
  /** JSON array of GUIDs in packet order. */
  @Column({ type: 'text' }) guids!: string;
  /** EIP-712 CreditBatch digest the attesters signed. */
  @Column({ type: 'text' }) digest!: string;
  @Column({ type: 'text' }) state!: BatchState;
  @Column({ type: 'text', nullable: true }) txHash!: string | null;
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber }) txNonce!: number | null;
  /** The signed raw transaction, so a crash after broadcast can re-broadcast the very same bytes. */
  @Column({ type: 'text', nullable: true }) rawTx!: string | null;
  @Column({ type: 'text', nullable: true }) gasUsed!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  /** Fees of the current transaction (`txHash`), wei as decimal strings. */
  @Column({ type: 'text', nullable: true }) maxFeePerGas!: string | null;
  @Column({ type: 'text', nullable: true }) maxPriorityFeePerGas!: string | null;
  /** Fees of the first signing: replacements are capped at 3× these. */
  @Column({ type: 'text', nullable: true }) estimateMaxFeePerGas!: string | null;
  @Column({ type: 'text', nullable: true }) estimateMaxPriorityFeePerGas!: string | null;
  /** JSON array of the hashes this batch's transaction had before fee bumps (any of them may be the one mined). */
  @Column({ type: 'text', nullable: true }) replacedTxHashes!: string | null;
  /** The attestation's validUntil (unix seconds, decimal text): past it the destination refuses the batch. */
  @Column({ type: 'text', nullable: true }) validUntil!: string | null;
  /** When the current transaction was last signed and broadcast. */
  @Column({ type: 'bigint', nullable: true, transformer: dateMs }) broadcastAt!: Date | null;
  @Column({ type: 'bigint', transformer: dateMs }) createdAt!: Date;
  @Column({ type: 'bigint', transformer: dateMs }) updatedAt!: Date;
}
