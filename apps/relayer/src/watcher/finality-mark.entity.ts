import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateMs } from '../store/column-transformers';

/**
 * Per chain, the last block the watcher's finality scan took as final (its final cursor) and that block's hash as the
 * chain gave it before the scan read its logs: re-checked at the start of every round (a different hash, or none, is
 * a finality violation). `highWater` is the highest final cursor ever reached: a message stored from a block at or
 * below it was read at finality, so if a rescan finds its log changed or gone, finality was broken.
 */
@Entity({ name: 'finality_mark' })
export class FinalityMark {
  @PrimaryColumn({ type: 'integer' }) eid!: number;
  @Column({ type: 'integer' }) block!: number;
  /** Lowercase 0x hash; null when unknown (no block taken as final yet, or the rescan starts before the first block). */
  @Column({ type: 'text', nullable: true }) blockHash!: string | null;
  @Column({ type: 'integer' }) highWater!: number;
  @Column({ type: 'bigint', transformer: dateMs }) updatedAt!: Date;
}
