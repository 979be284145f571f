import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * The one place that opens write transactions. SQLite has a single writer and the sqlite3 driver shares one
 * connection, so concurrent `transaction()` calls would collide; writes are queued here instead.
 */
@Injectable()
export class Database {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  get reader(): EntityManager {
    return this.dataSource.manager;
  }

  write<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const run = this.queue.then(
      () => this.dataSource.transaction(work),
      () => this.dataSource.transaction(work),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }
}
