import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChainCursor, CursorKind } from './chain-cursor.entity';
import { Database } from './database';

@Injectable()
export class CursorRepository {
  constructor(private readonly db: Database) {}

  async get(eid: number, kind: CursorKind): Promise<number | undefined> {
    const row = await this.db.reader.findOne(ChainCursor, { where: { eid, kind } });
    return row?.block;
  }

  all(): Promise<ChainCursor[]> {
    return this.db.reader.find(ChainCursor);
  }

  async setIn(em: EntityManager, eid: number, kind: CursorKind, block: number, at: Date): Promise<void> {
    await em.upsert(ChainCursor, { eid, kind, block, updatedAt: at }, ['eid', 'kind']);
  }

  set(eid: number, kind: CursorKind, block: number, at: Date): Promise<void> {
    return this.db.write((em) => this.setIn(em, eid, kind, block, at));
  }
}
