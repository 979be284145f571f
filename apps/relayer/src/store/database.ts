import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { setDurabilityPragmas } from './sql';

/**
 * The one place that opens write transactions. SQLite has a single writer and the sqlite3 driver shares one
 * connection, so concurrent `transaction()` calls would collide; writes are queued here instead.
 *
 * The file runs in WAL mode with `synchronous = NORMAL` (set here, on the driver's one connection, by sql.ts
 * `setDurabilityPragmas`; WAL itself by the driver, data-source-options.ts `enableWAL`): a commit does not
 * wait for an fsync of the WAL, only checkpoints do. A process crash (SIGKILL included) loses nothing committed; a
 * power or OS failure may lose the last few committed transactions, never corrupt the file. What such a loss could
 * forget is recovered from chain state: the watcher rescans from its (older) cursor, reconciliation marks whatever the
 * receiver's lastNonce shows as credited, and a batch whose SUBMITTED row was lost is caught by the poster's
 * simulation at the `pending` block (the receiver refuses the same nonces twice), so it is never sent again.
 */
@Injectable()
export class Database {
  private queue: Promise<unknown>;

  constructor(readonly dataSource: DataSource) {
    this.queue = setDurabilityPragmas(dataSource);
  }

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
