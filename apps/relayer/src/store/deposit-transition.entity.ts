import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateMs } from './column-transformers';

/** One row per state change of a deposit: its full history, written in the same DB transaction as the change. */
@Entity({ name: 'deposit_transition' })
@Index('idx_transition_guid', ['guid', 'id'])
export class DepositTransition {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'text' }) guid!: string;
  /** null for the first row (the deposit was created). */
  @Column({ type: 'text', nullable: true }) from!: string | null;
  @Column({ type: 'text' }) to!: string;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  /** Epoch ms (`bigint`: past 2^31). */
  @Column({ type: 'bigint', transformer: dateMs }) at!: Date;
  /** JSON text with structured detail (error names, tx hashes, batch id…). */
  @Column({ type: 'text', nullable: true }) detail!: string | null;
}
