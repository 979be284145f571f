import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ManualClock } from '../common/clock';
import { dataSourceOptions } from './data-source-options';
import { Database } from './database';
import { insertDeposits } from './insert-deposits';
import type { NewDeposit } from './transition';

/** A migrated SQLite file in a temp directory (the real driver, WAL and all), with a manual clock. */
export type TestStore = { ds: DataSource; db: Database; clock: ManualClock; close: () => Promise<void> };

export async function openTestStore(): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ccr-store-'));
  const ds = await new DataSource(dataSourceOptions(join(dir, 'relayer.sqlite'))).initialize();
  return {
    ds,
    db: new Database(ds),
    clock: new ManualClock(new Date('2025-01-01T00:00:00Z')),
    close: async () => {
      await ds.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const VAULT = `0x${'11'.repeat(32)}`;

/** A credit from 40101's vault to 40200 with this nonce (GUID derived from `n` unless given); `over` replaces fields. */
export function message(n: number, over: Partial<NewDeposit> = {}): NewDeposit {
  return {
    guid: `0x${n.toString(16).padStart(64, '0')}`,
    srcEid: 40101,
    srcVault: VAULT,
    dstEid: 40200,
    nonce: BigInt(n),
    depositor: `0x${'22'.repeat(32)}`,
    account: `0x${'33'.repeat(32)}`,
    token: `0x${'44'.repeat(32)}`,
    amount: String(1000 + n),
    blockNumber: 10 + n,
    blockHash: `0x${'55'.repeat(32)}`,
    txHash: `0x${'66'.repeat(32)}`,
    logIndex: n,
    ...over,
  };
}

/** Stores these messages OBSERVED (or FINAL) in one transaction. */
export function store(s: TestStore, messages: readonly NewDeposit[], final = false): Promise<void> {
  return s.db.write((em) => insertDeposits(em, { deposits: messages, at: s.clock.now(), final: final ? { detail: () => ({}) } : undefined }));
}
