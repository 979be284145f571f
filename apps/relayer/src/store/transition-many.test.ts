import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ManualClock } from '../common/clock';
import { dataSourceOptions } from './data-source-options';
import { Database } from './database';
import { DepositState } from './deposit-state';
import { DepositRepository } from './deposit.repository';
import { DepositExistsError, insertDeposits } from './insert-deposits';
import { StaleStateError } from './store-errors';
import type { NewDeposit } from './transition';
import { DuplicateTransitionError, transitionMany } from './transition-many';

let dir: string;
let ds: DataSource;
let db: Database;
let repo: DepositRepository;
const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-bulk-'));
  ds = await new DataSource(dataSourceOptions(join(dir, 'relayer.sqlite'))).initialize();
  db = new Database(ds);
  repo = new DepositRepository(db, clock);
});

afterEach(async () => {
  await ds.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const deposit = (i: number): NewDeposit => ({
  guid: `0x${i.toString(16).padStart(64, '0')}`,
  srcEid: 40101,
  srcVault: `0x${'11'.repeat(32)}`,
  dstEid: 40200,
  nonce: BigInt(i),
  depositor: `0x${'22'.repeat(32)}`,
  account: `0x${'33'.repeat(32)}`,
  token: `0x${'44'.repeat(32)}`,
  amount: String(1000 + i),
  blockNumber: 10,
  blockHash: `0x${'55'.repeat(32)}`,
  txHash: `0x${'66'.repeat(32)}`,
  logIndex: i,
});

describe('insertDeposits + transitionMany', () => {
  it('inserts many deposits FINAL with both history rows, then moves them with per-deposit fields and details', async () => {
    const n = 2500; // more rows than one statement takes: sliced below the variable limit
    const all = Array.from({ length: n }, (_, i) => deposit(i + 1));
    await db.write((em) => insertDeposits(em, { deposits: all, at: clock.now(), final: { detail: (d) => ({ block: d.blockNumber }) } }));
    expect((await repo.history(all[7]!.guid)).map((t) => [t.from, t.to, t.detail])).toEqual([
      [null, 'OBSERVED', null],
      ['OBSERVED', 'FINAL', '{"block":10}'],
    ]);
    clock.advance(1000);
    await db.write((em) =>
      transitionMany(em, {
        from: DepositState.FINAL,
        to: DepositState.VALUED,
        at: clock.now(),
        patch: { symbol: 'USDC' },
        items: all.map((d, i) => ({ guid: d.guid, detail: { i }, patch: { haircutValue: String(i * 2), valuedAt: clock.now() } })),
      }),
    );
    const d = await repo.get(all[41]!.guid);
    expect([d.state, d.haircutValue, d.symbol, d.reasonDetail, d.valuedAt?.getTime(), d.updatedAt.getTime()]).toEqual([DepositState.VALUED, '82', 'USDC', null, clock.now().getTime(), clock.now().getTime()]);
    expect((await repo.history(all[41]!.guid)).at(-1)).toMatchObject({ from: 'FINAL', to: 'VALUED', detail: '{"i":41}' });
    expect(await repo.dueForValuation(clock.now(), 10)).toHaveLength(0);
  });

  it('is all or nothing: one deposit not in `from` fails the whole call (StaleStateError naming it) and the transaction rolls back', async () => {
    const all = Array.from({ length: 5 }, (_, i) => deposit(i + 1));
    await db.write((em) => insertDeposits(em, { deposits: all, at: clock.now(), final: { detail: () => ({}) } }));
    await repo.move(all[3]!.guid, DepositState.FINAL, DepositState.VALUED);
    const err = await db.write((em) => transitionMany(em, { from: DepositState.FINAL, to: DepositState.HELD, at: clock.now(), items: all.map((d) => ({ guid: d.guid })) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleStateError);
    expect(err).toMatchObject({ guid: all[3]!.guid, expected: DepositState.FINAL, actual: DepositState.VALUED });
    for (const d of all) expect((await repo.get(d.guid)).state).toBe(d === all[3] ? DepositState.VALUED : DepositState.FINAL);
    expect(await repo.history(all[0]!.guid)).toHaveLength(2);
  });

  it('refuses the same GUID twice, and an insert of a GUID that exists (rolled back)', async () => {
    const [a, b] = [deposit(1), deposit(2)];
    await db.write((em) => insertDeposits(em, { deposits: [a], at: clock.now() }));
    await expect(db.write((em) => transitionMany(em, { from: DepositState.OBSERVED, to: DepositState.FINAL, at: clock.now(), items: [{ guid: a.guid }, { guid: a.guid }] }))).rejects.toBeInstanceOf(DuplicateTransitionError);
    await expect(db.write((em) => insertDeposits(em, { deposits: [b, a], at: clock.now() }))).rejects.toBeInstanceOf(DepositExistsError);
    expect(await repo.find(b.guid)).toBeNull();
    expect((await repo.get(a.guid)).state).toBe(DepositState.OBSERVED);
  });
});
