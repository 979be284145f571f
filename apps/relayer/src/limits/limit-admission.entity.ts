import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { dateMs } from '../store/column-transformers';

/**
 * A deposit the limits admitted (apps/relayer/src/limits): from then on it counts in its source chain's window at this
 * haircut value — while it is on its way (any state, a fall back to HELD included), then for a window after its credit
 * time — and it is never checked again (so a re-valuation after a hold cannot make it wait behind the later nonces it
 * let through). Written before the deposit becomes VALUED (a crash between the two counts it early, never late).
 */
@Entity({ name: 'limit_admission' })
@Index('idx_limit_admission_src', ['srcEid'])
export class LimitAdmission {
  @PrimaryColumn({ type: 'text' }) guid!: string;
  @Column({ type: 'integer' }) srcEid!: number;
  /** USD, 18 decimals: the haircut value it was admitted at. */
  @Column({ type: 'text' }) haircutValue!: string;
  @Column({ type: 'bigint', transformer: dateMs }) admittedAt!: Date;
  /** 1: an operator released it (retry of a large-transfer-delay or over-limit hold); 0: it fitted. */
  @Column({ type: 'integer', default: 0 }) released!: number;
}
