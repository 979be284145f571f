import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ManualClock } from '../common/clock';
import { dataSourceOptions } from './data-source-options';
import { Database } from './database';
import { DepositState, HeldReason } from './deposit-state';
import { STATE_MACHINES, MessageKind } from './message-kind';
import { DepositTransition } from './deposit-transition.entity';
import { Deposit } from './deposit.entity';
import { DepositRepository } from './deposit.repository';
import { IllegalTransitionError, StaleStateError } from './store-errors';
import { insertObserved, transition, type NewDeposit } from './transition';

let dir: string;
let ds: DataSource;
let db: Database;
let clock: ManualClock;
let repo: DepositRepository;
let seq = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-store-'));
  ds = await new DataSource(dataSourceOptions(join(dir, 'relayer.sqlite'))).initialize();
  db = new Database(ds);
  clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
  repo = new DepositRepository(db, clock);
});

afterEach(async () => {
  await ds.destroy();
  rmSync(dir, { recursive: true, force: true });
});

function newDeposit(nonce = 1n): NewDeposit {
  seq++;
  return {
    guid: `0x${seq.toString(16).padStart(64, '0')}`,
    srcEid: 40101,
    srcVault: `0x${'11'.repeat(32)}`,
    dstEid: 40200,
    nonce,
    depositor: `0x${'22'.repeat(32)}`,
    account: `0x${'33'.repeat(32)}`,
    token: `0x${'44'.repeat(32)}`,
    amount: (2n ** 100n).toString(),
    blockNumber: 10,
    blockHash: `0x${'55'.repeat(32)}`,
    txHash: `0x${'66'.repeat(32)}`,
    logIndex: 0,
  };
}

async function observed(nonce = 1n): Promise<string> {
  const d = newDeposit(nonce);
  await db.write((em) => insertObserved(em, d, clock.now()));
  return d.guid;
}

describe('store', () => {
  it('runs its migrations (no synchronize) and reopens an existing file', async () => {
    const tables = await ds.query<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`); // the rows of the SELECT
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['batch', 'chain_cursor', 'deposit', 'deposit_transition', 'migrations']));
    expect(await ds.query<unknown>('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    const guid = await observed();
    await ds.destroy();
    ds = await new DataSource(dataSourceOptions(join(dir, 'relayer.sqlite'))).initialize();
    repo = new DepositRepository(new Database(ds), clock);
    expect((await repo.get(guid)).amount).toBe((2n ** 100n).toString());
  });

  it('inserts idempotently: the same GUID twice is one deposit with one history row', async () => {
    const d = newDeposit();
    expect(await db.write((em) => insertObserved(em, d, clock.now()))).toBe(true);
    expect(await db.write((em) => insertObserved(em, d, clock.now()))).toBe(false);
    expect(await ds.manager.count(Deposit)).toBe(1);
    expect(await repo.history(d.guid)).toHaveLength(1);
  });

  it('writes one history row per transition, in order, with reason and detail', async () => {
    const guid = await observed();
    await repo.move(guid, DepositState.OBSERVED, DepositState.FINAL);
    clock.advance(1000);
    await repo.move(guid, DepositState.FINAL, DepositState.VALUED, { detail: { price: 5n }, patch: { haircutValue: '7', price: '5' } });
    const d = await repo.get(guid);
    expect(d.state).toBe(DepositState.VALUED);
    expect(d.haircutValue).toBe('7');
    expect(d.updatedAt.toISOString()).toBe('2025-01-01T00:00:01.000Z');
    const history = await repo.history(guid);
    expect(history.map((t) => [t.from, t.to])).toEqual([
      [null, 'OBSERVED'],
      ['OBSERVED', 'FINAL'],
      ['FINAL', 'VALUED'],
    ]);
    expect(JSON.parse(history[2]!.detail!)).toEqual({ price: '5' });
  });

  it('refuses illegal transitions with a typed error and changes nothing', async () => {
    const guid = await observed();
    await expect(repo.move(guid, DepositState.OBSERVED, DepositState.VALUED)).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(repo.move(guid, DepositState.OBSERVED, DepositState.SUBMITTED)).rejects.toThrow('illegal transition OBSERVED → SUBMITTED');
    expect(STATE_MACHINES[MessageKind.Credit][DepositState.CREDITED]).toEqual([]);
    expect((await repo.get(guid)).state).toBe(DepositState.OBSERVED);
    expect(await repo.history(guid)).toHaveLength(1);
  });

  it('refuses a transition from a state the deposit is no longer in (compare-and-set)', async () => {
    const guid = await observed();
    await repo.move(guid, DepositState.OBSERVED, DepositState.FINAL);
    const err = await repo.move(guid, DepositState.OBSERVED, DepositState.FINAL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleStateError);
    expect((err as StaleStateError).actual).toBe(DepositState.FINAL); // asserted instance above
    expect(await repo.history(guid)).toHaveLength(2);
  });

  it('rolls back the state change and its history row together', async () => {
    const guid = await observed();
    await expect(
      db.write(async (em) => {
        await transition(em, { guid, from: DepositState.OBSERVED, to: DepositState.FINAL, at: clock.now() });
        throw new Error('crash after the transition');
      }),
    ).rejects.toThrow('crash after the transition');
    expect((await repo.get(guid)).state).toBe(DepositState.OBSERVED);
    expect(await ds.manager.count(DepositTransition, { where: { guid } })).toBe(1);
  });

  it('holds with the persisted retry schedule and fails after maxAttempts', async () => {
    const guid = await observed();
    await repo.move(guid, DepositState.OBSERVED, DepositState.FINAL);
    const hold = (from: DepositState) => repo.hold({ guid, from, reason: HeldReason.StalePrice, detail: 'old', unitMs: 1000, maxAttempts: 3 });
    expect(await hold(DepositState.FINAL)).toBe(DepositState.HELD);
    let d = await repo.get(guid);
    expect([d.attempts, d.reason, d.reasonDetail, d.nextAttemptAt!.getTime() - clock.now().getTime()]).toEqual([1, 'stale-price', 'old', 5000]);

    expect(await repo.dueForValuation(clock.now(), 10)).toHaveLength(0);
    clock.advance(5000);
    expect((await repo.dueForValuation(clock.now(), 10)).map((x) => x.guid)).toEqual([guid]);

    expect(await hold(DepositState.HELD)).toBe(DepositState.HELD);
    d = await repo.get(guid);
    expect([d.attempts, d.nextAttemptAt!.getTime() - clock.now().getTime()]).toEqual([2, 10_000]);
    expect(await hold(DepositState.HELD)).toBe(DepositState.FAILED);
    d = await repo.get(guid);
    expect([d.state, d.reason, d.nextAttemptAt]).toEqual([DepositState.FAILED, 'retries-exhausted', null]);
    expect(await repo.dueForValuation(clock.now(), 10)).toHaveLength(0);
  });

  it('held again for the same reason: one history row counting the attempts, not one per retry; another reason is a new row', async () => {
    const guid = await observed();
    await repo.move(guid, DepositState.OBSERVED, DepositState.FINAL);
    const hold = (from: DepositState, reason = HeldReason.StalePrice, detail = 'old') => repo.hold({ guid, from, reason, detail, unitMs: 1000, maxAttempts: 50 });
    await hold(DepositState.FINAL);
    for (let i = 0; i < 10; i++) await hold(DepositState.HELD, HeldReason.StalePrice, `old #${i}`);
    let history = await repo.history(guid);
    expect(history.map((h) => [h.to, h.reason])).toEqual([['OBSERVED', null], ['FINAL', null], ['HELD', 'stale-price']]);
    expect(JSON.parse(history[2]!.detail!)).toMatchObject({ attempt: 11, message: 'old #9', heldReason: 'stale-price' });
    const d = await repo.get(guid);
    expect([d.attempts, d.reasonDetail]).toEqual([11, 'old #9']);
    await hold(DepositState.HELD, HeldReason.FeedError, 'reverted');
    history = await repo.history(guid);
    expect(history.map((h) => [h.to, h.reason])).toEqual([['OBSERVED', null], ['FINAL', null], ['HELD', 'stale-price'], ['HELD', 'feed-error']]);
  });

  it('after a restart every HELD row is due now', async () => {
    const guid = await observed();
    await repo.move(guid, DepositState.OBSERVED, DepositState.FINAL);
    await repo.hold({ guid, from: DepositState.FINAL, reason: HeldReason.FeedMissing, unitMs: 1000, maxAttempts: 50 });
    expect(await repo.dueForValuation(clock.now(), 10)).toHaveLength(0);
    expect(await repo.retryHeldNow()).toBe(1);
    expect((await repo.dueForValuation(clock.now(), 10)).map((x) => x.guid)).toEqual([guid]);
    expect(await repo.retryHeldNow()).toBe(0);
  });

  it('lists open pathways and their deposits by nonce', async () => {
    const a = await observed(2n);
    const b = await observed(1n);
    expect(await repo.openPathways(40200)).toEqual([{ srcEid: 40101, srcVault: `0x${'11'.repeat(32)}` }]);
    expect((await repo.pathway(40101, `0x${'11'.repeat(32)}`, 40200)).map((d) => d.guid)).toEqual([b, a]);
  });
});
