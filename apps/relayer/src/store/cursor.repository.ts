import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ChainCursor, CursorKind } from './chain-cursor.entity';
import { Database } from './database';

/** Scan cursors per chain and kind (the last block scanned). */
@Injectable()
export class CursorRepository {
  constructor(private readonly db: Database) {}

  /** The cursor's block, or undefined before the first scan. */
  async get(eid: number, kind: CursorKind): Promise<number | undefined> {
    const row = await this.db.reader.findOne(ChainCursor, { where: { eid, kind } });
    return row?.block;
  }

  /** Every cursor. */
  all(): Promise<ChainCursor[]> {
    return this.db.reader.find(ChainCursor);
  }

  /** Sets (inserts or moves) the cursor in the caller's transaction `em`. */
  async setIn(em: EntityManager, eid: number, kind: CursorKind, block: number, at: Date): Promise<void> {
    await em.upsert(ChainCursor, { eid, kind, block, updatedAt: at }, ['eid', 'kind']);
  }

  /** `setIn` in its own transaction. */
  set(eid: number, kind: CursorKind, block: number, at: Date): Promise<void> {
    return this.db.write((em) => this.setIn(em, eid, kind, block, at));
  }
}
