import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateMs } from './column-transformers';

/** Cursor kinds. Persisted strings: only ever extended. */
export enum CursorKind {
  /** Every block up to and including this one has been scanned at finality and its deposits stored. */
  Final = 'final',
  /** Every block up to and including this one has been scanned by the head scan (its deposits stored OBSERVED). */
  Head = 'head',
}

/** `block` is a block number (`integer`: fine up to 2^31, see deposit.entity.ts); `updatedAt` epoch ms (`bigint`). */
@Entity({ name: 'chain_cursor' })
export class ChainCursor {
  @PrimaryColumn({ type: 'integer' }) eid!: number;
  @PrimaryColumn({ type: 'text' }) kind!: CursorKind;
  @Column({ type: 'integer' }) block!: number;
  @Column({ type: 'bigint', transformer: dateMs }) updatedAt!: Date;
}
