import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateMs } from '../store/column-transformers';

/** Halt states. Persisted strings: only ever extended. */
export enum HaltState {
  /** The pathway's credits are not posted (solvency/: a confirmed discrepancy of this asset). */
  Halted = 'halted',
  /** An operator resumed it (POST /admin/pathways/:srcEid/resume), accepting the discrepancy in `acknowledged`. */
  Resumed = 'resumed',
}

/**
 * One asset's halt of a pathway (srcEid, vault) → receiver, kept after a resume as its record. The pathway is halted
 * while any of its rows is `halted`. Amounts are signed decimal strings of token base units; `terms` is the identity
 * of the halting round (JSON, every term as a decimal string).
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
}
