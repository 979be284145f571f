import { DepositState, HeldReason } from './deposit-state';
import type { Deposit } from './deposit.entity';
import { DepositRepository } from './deposit.repository';
import { MessageKind } from './message-kind';
import { message, openTestStore, store, type TestStore } from './test-store.fixture';
import type { TransitionParameters } from './transition';

let s: TestStore;
let repo: DepositRepository;

beforeEach(async () => {
  s = await openTestStore();
  repo = new DepositRepository(s.db, s.clock);
});
afterEach(() => s.close());

const guid = (n: number): string => message(n).guid;
const hold = (n: number, reason = HeldReason.StalePrice, maxAttempts = 5) => repo.hold({ guid: guid(n), from: DepositState.FINAL, reason, unitMs: 1000, maxAttempts });
const manualRetry = (d: Deposit): TransitionParameters => ({ guid: d.guid, from: d.state, to: DepositState.HELD, reason: HeldReason.Manual, patch: { nextAttemptAt: s.clock.now(), attempts: 0 }, at: s.clock.now() });

describe('DepositRepository: reads and writes for the API', () => {
  it('resultOf: the release result answering a withdrawal', async () => {
    await store(s, [message(1, { kind: MessageKind.Withdrawal }), message(2, { kind: MessageKind.Result, withdrawalGuid: guid(1) }), message(3, { kind: MessageKind.Credit, withdrawalGuid: guid(9) })]);
    expect((await repo.resultOf(guid(1)))?.guid).toBe(guid(2));
    expect(await repo.resultOf(guid(9))).toBeNull(); // only a `result` row answers
  });

  it('blockerOf: the lowest-nonce HELD/FAILED row before it on the same path; none for a done row', async () => {
    await store(s, [1, 2, 3, 4, 5].map((n) => message(n)), true);
    await store(s, [message(6, { srcVault: `0x${'99'.repeat(32)}`, nonce: 1n })], true); // another path
    await hold(2);
    await hold(3, HeldReason.NoPrice, 1); // FAILED
    await hold(6);
    expect(await repo.blockerOf(await repo.get(guid(5)))).toBe(guid(2));
    expect(await repo.blockerOf(await repo.get(guid(3)))).toBe(guid(2));
    expect(await repo.blockerOf(await repo.get(guid(2)))).toBeNull();
    expect(await repo.blockerOf(await repo.get(guid(1)))).toBeNull();
    const done = await repo.get(guid(5));
    for (const state of [DepositState.CREDITED, DepositState.REORGED, DepositState.VOIDED, DepositState.DELIVERED]) expect(await repo.blockerOf({ ...done, state })).toBeNull();
  });

  it('retryCandidates: HELD/FAILED by default, every given field must match, GUIDs in any case, by source and nonce', async () => {
    await store(s, [1, 2, 3, 4].map((n) => message(n)), true);
    await store(s, [message(5, { srcEid: 40102 })], true);
    await hold(4);
    await hold(2, HeldReason.NoPrice);
    await hold(3, HeldReason.NoPrice, 1); // FAILED, reason retries-exhausted
    await hold(5, HeldReason.NoPrice);
    const guids = async (f: Parameters<DepositRepository['retryCandidates']>[0]) => (await repo.retryCandidates(f)).map((d) => d.guid);
    expect(await guids({})).toEqual([guid(2), guid(3), guid(4), guid(5)]);
    expect(await guids({ state: DepositState.FAILED })).toEqual([guid(3)]);
    expect(await guids({ state: DepositState.FINAL })).toEqual([guid(1)]);
    expect(await guids({ reason: HeldReason.NoPrice })).toEqual([guid(2), guid(5)]);
    expect(await guids({ reason: HeldReason.NoPrice, srcEid: 40102 })).toEqual([guid(5)]);
    expect(await guids({ guids: [guid(4).toUpperCase().replace('0X', '0x'), guid(1)] })).toEqual([guid(4)]);
    expect(await guids({ guids: [] })).toEqual([]);
  });

  it('applyUnlessMoved: one transaction, a row that moved since it was read is skipped', async () => {
    await store(s, [1, 2, 3].map((n) => message(n)), true);
    for (const n of [1, 2, 3]) await hold(n);
    const read = await repo.retryCandidates({});
    await repo.move(guid(2), DepositState.HELD, DepositState.VALUED); // another stage got there first
    s.clock.advance(5000);
    expect(await repo.applyUnlessMoved(read, manualRetry)).toEqual([guid(1), guid(3)]);
    const d1 = await repo.get(guid(1));
    expect([d1.state, d1.reason, d1.attempts, d1.nextAttemptAt?.getTime()]).toEqual([DepositState.HELD, HeldReason.Manual, 0, s.clock.now().getTime()]);
    expect((await repo.get(guid(2))).state).toBe(DepositState.VALUED);
    expect((await repo.history(guid(2))).map((t) => t.to)).toEqual(['OBSERVED', 'FINAL', 'HELD', 'VALUED']);
  });

  it('apply builds the transition when the write runs; move takes an explicit time', async () => {
    await store(s, [message(1), message(2)]);
    await repo.apply(() => ({ guid: guid(1), from: DepositState.OBSERVED, to: DepositState.FINAL, at: s.clock.now() }));
    await repo.move(guid(2), DepositState.OBSERVED, DepositState.FINAL, { at: new Date(2 ** 41) });
    expect((await repo.history(guid(1)))[1]!.at.getTime()).toBe(s.clock.now().getTime());
    expect((await repo.get(guid(2))).updatedAt.getTime()).toBe(2 ** 41);
  });
});
