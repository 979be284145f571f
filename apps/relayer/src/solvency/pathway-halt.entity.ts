import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateMs } from '../store/column-transformers';

/** Halt states. Persisted strings: only ever extended. */
export enum HaltState {
  /** The pathway's credits are not posted (solvency/: a confirmed discrepancy of this asset). */
  Halted = 'halted',
  /** An operator resumed it (POST /admin/pathways/:srcEid/resume), accepting the discrepancy in `acknowledged`. */
  Resumed = 'resumed',
}

/** Why a pathway was halted. Persisted strings: only ever extended. */
export enum HaltCause {
  /** A confirmed solvency discrepancy of `asset` (solvency/). */
  Solvency = 'solvency',
  /**
   * A chain broke its finality (watcher/finality-guard.ts): a FINAL block's hash changed, a message's log past FINAL
   * changed or disappeared, or a contract's outbound nonce at the final cursor disagrees with the store.
   */
  FinalityViolation = 'finality-violation',
}

/**
 * One halt of a pathway (srcEid, vault) → receiver, kept after a resume as its record. The pathway is halted while
 * any of its rows is `halted`. A solvency halt is one asset's row: amounts are signed decimal strings of token base
 * units; `terms` is the identity of the halting round (JSON, every term as a decimal string). A finality-violation
 * halt is one row per direction of the pathway: `asset` is the contract whose chain broke finality — 0x00…00 for the
 * vault's chain (vault → receiver), the receiver's bytes32 for the derivatives chain (receiver → vault); `discrepancy`
 * is the outbound nonce offset (on chain − store, "0" when they agree); `terms` is null; `evidence` lists what was seen.
 */
@Entity({ name: 'pathway_halt' })
export class PathwayHalt {
  @PrimaryColumn({ type: 'integer' }) srcEid!: number;
  /** The vault, bytes32. */
  @PrimaryColumn({ type: 'text' }) vault!: string;
  /** The asset (token on srcEid), bytes32. */
  @PrimaryColumn({ type: 'text' }) asset!: string;
  @Column({ type: 'text' }) state!: HaltState;
  /** totalLocked − (credited + frozen + inFlightDeposits − inFlightReleases) that halted it. */
  @Column({ type: 'text' }) discrepancy!: string;
  @Column({ type: 'text' }) terms!: string;
  @Column({ type: 'bigint', transformer: dateMs }) haltedAt!: Date;
  /** The discrepancy the operator accepted on resume (the last round's): only another one halts again. */
  @Column({ type: 'text', nullable: true }) acknowledged!: string | null;
  @Column({ type: 'bigint', nullable: true, transformer: dateMs }) resumedAt!: Date | null;
  /** Who resumed it (the operator named in the request, and its address). */
  @Column({ type: 'text', nullable: true }) resumedBy!: string | null;
  @Column({ type: 'text', default: HaltCause.Solvency }) cause!: HaltCause;
  /**
   * Finality violations: JSON array of what was seen (kind, chain, block, expected vs seen hash / log / nonce, GUID),
   * the halting one first, later ones of the same halt appended (at most 20). null for a solvency halt.
   */
  @Column({ type: 'text', nullable: true }) evidence!: string | null;
}
