import { DepositState, HeldReason } from './deposit-state';
import { DepositRepository } from './deposit.repository';
import { MessageKind } from './message-kind';
import { MessageStatsRepository } from './message-stats.repository';
import { message, openTestStore, store, type TestStore } from './test-store.fixture';

let s: TestStore;
let stats: MessageStatsRepository;
let repo: DepositRepository;

beforeEach(async () => {
  s = await openTestStore();
  stats = new MessageStatsRepository(s.db);
  repo = new DepositRepository(s.db, s.clock);
});
afterEach(() => s.close());

const hold = (n: number, reason: HeldReason, maxAttempts = 5) => repo.hold({ guid: message(n).guid, from: DepositState.FINAL, reason, unitMs: 1000, maxAttempts });

describe('MessageStatsRepository', () => {
  it('counts by kind and state, and HELD/FAILED by reason', async () => {
    await store(s, [message(1), message(2, { kind: MessageKind.Withdrawal })]);
    await store(s, [3, 4, 5].map((n) => message(n)), true);
    await hold(3, HeldReason.StalePrice);
    await hold(4, HeldReason.StalePrice);
    await hold(5, HeldReason.NoPrice, 1); // exhausted at once → FAILED
    const counts = (await stats.countsByKindAndState()).map((r) => [r.kind, r.state, Number(r.n)]).sort();
    expect(counts).toEqual([
      ['credit', 'FAILED', 1],
      ['credit', 'HELD', 2],
      ['credit', 'OBSERVED', 1],
      ['withdrawal', 'OBSERVED', 1],
    ]);
    const held = (await stats.heldByReason()).map((r) => [r.state, r.reason, Number(r.n)]).sort();
    expect(held).toEqual([
      ['FAILED', 'retries-exhausted', 1],
      ['HELD', 'stale-price', 2],
    ]);
  });

  it('inFlightRows: what the gauges sum, for in-flight states only', async () => {
    await store(s, [message(1), message(2, { kind: MessageKind.Withdrawal, amount: '7' })]);
    await store(s, [message(3)], true);
    await repo.move(message(3).guid, DepositState.FINAL, DepositState.VALUED, { patch: { haircutValue: '99', symbol: 'TKN' } });
    await store(s, [message(4)]);
    await repo.move(message(4).guid, DepositState.OBSERVED, DepositState.REORGED); // terminal: not in flight
    const rows = await stats.inFlightRows();
    const seen = rows.map((r) => ({ kind: r.kind, srcEid: r.srcEid, dstEid: r.dstEid, token: r.token, symbol: r.symbol, amount: r.amount, haircutValue: r.haircutValue }));
    const base = { srcEid: 40101, dstEid: 40200, token: message(1).token };
    expect(seen.sort((a, b) => a.amount.localeCompare(b.amount))).toEqual([
      { ...base, kind: 'credit', symbol: null, amount: '1001', haircutValue: null },
      { ...base, kind: 'credit', symbol: 'TKN', amount: '1003', haircutValue: '99' },
      { ...base, kind: 'withdrawal', symbol: null, amount: '7', haircutValue: null },
    ]);
  });
});
