import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Batch, BatchState } from './batch.entity';
import { Database } from './database';

/** Reads and writes of batches (one destination transaction each). */
@Injectable()
export class BatchRepository {
  constructor(private readonly db: Database) {}

  /** The destination's batches in `state`, oldest first. */
  inState(dstEid: number, state: BatchState): Promise<Batch[]> {
    return this.db.reader.find(Batch, { where: { dstEid, state }, order: { id: 'ASC' } });
  }

  /** The batch with this id, or null. */
  get(id: number): Promise<Batch | null> {
    return this.db.reader.findOne(Batch, { where: { id } });
  }

  /** A new batch in the caller's transaction `em`; returns its id. */
  async createIn(em: EntityManager, batch: Pick<Batch, 'dstEid' | 'guids' | 'digest' | 'state'> & Partial<Omit<Batch, 'id' | 'createdAt' | 'updatedAt'>>, at: Date): Promise<number> {
    const result = await em.insert(Batch, { ...batch, createdAt: at, updatedAt: at });
    return Number(result.identifiers[0]?.id);
  }

  /** Sets `patch` (and updatedAt) on one batch in the caller's transaction `em`. */
  async updateIn(em: EntityManager, id: number, patch: Partial<Omit<Batch, 'id'>>, at: Date): Promise<void> {
    await em.update(Batch, { id }, { ...patch, updatedAt: at });
  }
}
