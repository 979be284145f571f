import { DepositLogRepository } from './deposit-log.repository';
import { DepositState } from './deposit-state';
import { message, openTestStore, store, type TestStore } from './test-store.fixture';
import { transition } from './transition';

let s: TestStore;
let logs: DepositLogRepository;

beforeEach(async () => {
  s = await openTestStore();
  logs = new DepositLogRepository(s.db);
});
afterEach(() => s.close());

describe('DepositLogRepository', () => {
  it('observedInBlocks: OBSERVED rows of one source chain in the block range, bounds included', async () => {
    // blocks 11…15 (message(n) is in block 10 + n); 3 is FINAL, 6 from another chain
    await store(s, [1, 2, 4, 5].map((n) => message(n)));
    await store(s, [message(3)], true);
    await store(s, [message(6, { srcEid: 40102, blockNumber: 13 })]);
    const rows = await logs.observedInBlocks(40101, 12, 14);
    expect(rows.map((r) => r.guid).sort()).toEqual([message(2).guid, message(4).guid]);
    expect(rows.find((r) => r.guid === message(2).guid)).toEqual({
      guid: message(2).guid,
      state: DepositState.OBSERVED,
      blockNumber: 12,
      blockHash: message(2).blockHash,
      txHash: message(2).txHash,
      logIndex: 2,
      account: message(2).account,
      token: message(2).token,
      amount: '1002',
    });
  });

  it('loggedRows: the rows of these GUIDs by GUID, in the caller transaction, sliced past the variable limit', async () => {
    const all = Array.from({ length: 10_500 }, (_, i) => message(i + 1));
    await store(s, all);
    const absent = message(99_999).guid;
    const wanted = [...all.map((m) => m.guid), absent];
    const rows = await s.db.write((em) => logs.loggedRows(em, wanted));
    expect(rows.size).toBe(all.length);
    expect(rows.has(absent)).toBe(false);
    expect(rows.get(all[10_400]!.guid)).toMatchObject({ state: DepositState.OBSERVED, blockNumber: 10_411, logIndex: 10_401, amount: '11401' });
    // It reads in the caller's transaction: its own uncommitted change shows.
    const seen = await s.db.write(async (em) => {
      await transition(em, { guid: all[0]!.guid, from: DepositState.OBSERVED, to: DepositState.FINAL, at: s.clock.now() });
      return (await logs.loggedRows(em, [all[0]!.guid])).get(all[0]!.guid)?.state;
    });
    expect(seen).toBe(DepositState.FINAL);
  });
});
