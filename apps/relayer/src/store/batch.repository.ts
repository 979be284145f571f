import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Batch, BatchState } from './batch.entity';
import { Database } from './database';

@Injectable()
export class BatchRepository {
  constructor(private readonly db: Database) {}

  inState(dstEid: number, state: BatchState): Promise<Batch[]> {
    return this.db.reader.find(Batch, { where: { dstEid, state }, order: { id: 'ASC' } });
  }

  get(id: number): Promise<Batch | null> {
    return this.db.reader.findOne(Batch, { where: { id } });
  }

  async createIn(em: EntityManager, batch: Pick<Batch, 'dstEid' | 'guids' | 'digest' | 'state'> & Partial<Omit<Batch, 'id' | 'createdAt' | 'updatedAt'>>, at: Date): Promise<number> {
    const result = await em.insert(Batch, { ...batch, createdAt: at, updatedAt: at });
    return Number(result.identifiers[0]?.id);
  }

  async updateIn(em: EntityManager, id: number, patch: Partial<Omit<Batch, 'id'>>, at: Date): Promise<void> {
    await em.update(Batch, { id }, { ...patch, updatedAt: at });
  }
}
