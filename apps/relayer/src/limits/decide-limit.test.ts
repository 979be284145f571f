import { HeldReason } from '../store/deposit-state';
import { decideLimit, type LimitRule } from './decide-limit';
import { windowUsage } from './window';

const USD = 10n ** 18n;
const W = 86_400_000;
const DELAY = 3_600_000;
const NOW = 1_750_000_000_000;
const rule: LimitRule = { notionalLimit: 10_000n * USD, windowMs: W, singleTransferLimit: 5_000n * USD, largeTransferDelayMs: DELAY };
const empty = windowUsage({ entries: [], now: NOW, windowMs: W });
const busy = windowUsage({ entries: [{ guid: '0x1', value: 7_000n * USD, creditedAt: NOW - 1_000 }], now: NOW, windowMs: W }); // 3,000 left

describe('decideLimit', () => {
  it('admits what fits, to the unit', () => {
    expect(decideLimit({ rule, usage: busy, value: 3_000n * USD, finalAt: NOW, now: NOW, released: false })).toEqual({ kind: 'admit', released: false });
    expect(decideLimit({ rule, usage: busy, value: 3_000n * USD + 1n, finalAt: NOW, now: NOW, released: false })).toEqual({
      kind: 'hold',
      reason: HeldReason.RateLimited,
      nextAttemptAt: NOW - 1_000 + W,
    });
  });

  it('a transfer above the single-transfer limit waits its delay from finality, to the millisecond, then meets the window', () => {
    const big = 5_000n * USD + 1n;
    const finalAt = NOW - 10_000;
    expect(decideLimit({ rule, usage: empty, value: big, finalAt, now: NOW, released: false })).toEqual({ kind: 'hold', reason: HeldReason.LargeTransferDelay, nextAttemptAt: finalAt + DELAY });
    expect(decideLimit({ rule, usage: empty, value: big, finalAt, now: finalAt + DELAY - 1, released: false })).toMatchObject({ reason: HeldReason.LargeTransferDelay });
    expect(decideLimit({ rule, usage: empty, value: big, finalAt, now: finalAt + DELAY, released: false })).toEqual({ kind: 'admit', released: false });
    // After the delay the window still applies.
    expect(decideLimit({ rule, usage: busy, value: big, finalAt: NOW - DELAY, now: NOW, released: false })).toEqual({ kind: 'hold', reason: HeldReason.RateLimited, nextAttemptAt: NOW - 1_000 + W });
    // Exactly the single-transfer limit is not large.
    expect(decideLimit({ rule, usage: empty, value: 5_000n * USD, finalAt: NOW, now: NOW, released: false })).toEqual({ kind: 'admit', released: false });
  });

  it('no single-transfer limit: no delay', () => {
    const noSingle = { ...rule, singleTransferLimit: null };
    expect(decideLimit({ rule: noSingle, usage: empty, value: 9_000n * USD, finalAt: NOW, now: NOW, released: false })).toEqual({ kind: 'admit', released: false });
  });

  it('above the whole limit: over-limit even in an empty window; the exact limit fits an empty window', () => {
    expect(decideLimit({ rule, usage: empty, value: 10_000n * USD + 1n, finalAt: NOW - DELAY, now: NOW, released: false })).toEqual({ kind: 'over-limit' });
    expect(decideLimit({ rule, usage: empty, value: 10_000n * USD, finalAt: NOW - DELAY, now: NOW, released: false })).toEqual({ kind: 'admit', released: false });
  });

  it('an operator release admits it whatever the window, delay or size', () => {
    expect(decideLimit({ rule, usage: busy, value: 50_000n * USD, finalAt: NOW, now: NOW, released: true })).toEqual({ kind: 'admit', released: true });
  });
});
