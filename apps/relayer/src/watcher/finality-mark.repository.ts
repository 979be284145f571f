import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../store/database';
import { FinalityMark } from './finality-mark.entity';

export type Mark = Pick<FinalityMark, 'block' | 'blockHash' | 'highWater'>;

/** The watcher's finality marks (table finality_mark), one per chain. */
@Injectable()
export class FinalityMarkRepository {
  constructor(private readonly db: Database) {}

  async get(eid: number): Promise<Mark | undefined> {
    const row = await this.db.reader.findOne(FinalityMark, { where: { eid } });
    return row === null ? undefined : { block: row.block, blockHash: row.blockHash, highWater: row.highWater };
  }

  /** Sets the chain's mark in the caller's transaction `em`. */
  async setIn(em: EntityManager, eid: number, mark: Mark, at: Date): Promise<void> {
    await em.upsert(FinalityMark, { eid, ...mark, updatedAt: at }, ['eid']);
  }
}
