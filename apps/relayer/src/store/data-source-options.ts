import type { SqliteConnectionOptions } from 'typeorm/driver/sqlite/SqliteConnectionOptions';
import { Batch } from './batch.entity';
import { ChainCursor } from './chain-cursor.entity';
import { DepositTransition } from './deposit-transition.entity';
import { Deposit } from './deposit.entity';
import { Initial1700000000000 } from './migrations/1700000000000-initial';
import { FeeBump1700000000001 } from './migrations/1700000000001-fee-bump';
import { MessageKinds1700000000002 } from './migrations/1700000000002-message-kinds';
import { Solvency1700000000007 } from './migrations/1700000000007-solvency';
import { PathwayHalt } from '../solvency/pathway-halt.entity';
import { FinalityMark } from '../watcher/finality-mark.entity';
import { Brakes1700000000012 } from './migrations/1700000000012-brakes';
import { LimitAdmission } from '../limits/limit-admission.entity';
import { Limits1700000000011 } from './migrations/1700000000011-limits';

export const ENTITIES = [Deposit, DepositTransition, ChainCursor, Batch, PathwayHalt, LimitAdmission, FinalityMark];
export const MIGRATIONS = [Initial1700000000000, FeeBump1700000000001, MessageKinds1700000000002, Solvency1700000000007, Limits1700000000011, Brakes1700000000012];

/**
 * SQLite file, WAL, busy timeout, hand-written migrations run at boot, never `synchronize`. The sqlite driver's options:
 * per dialect by nature (sql.ts lists what else is SQLite-specific).
 */
export function dataSourceOptions(path: string): SqliteConnectionOptions {
  return {
    type: 'sqlite',
    database: path,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    enableWAL: path !== ':memory:',
    busyTimeout: 5000,
    logging: false,
  };
}
