import { HeldReason } from '../store/deposit-state';
import type { LimitRule } from './decide-limit';
import { type PathGate, type PlanItem, planLimits } from './plan-limits';
import { windowUsage } from './window';

const USD = 10n ** 18n;
const W = 20_000;
const NOW = 1_750_000_000_000;
const rule: LimitRule = { notionalLimit: 10_000n * USD, windowMs: W, singleTransferLimit: 6_000n * USD, largeTransferDelayMs: 8_000 };
const rules = new Map([[40101, rule]]);
const empty = new Map([[40101, windowUsage({ entries: [], now: NOW, windowMs: W })]]);

let n = 0;
function item(over: Partial<PlanItem> & { value: bigint | null }): PlanItem {
  n++;
  return { guid: `0x${n}`, srcEid: 40101, path: 'p', nonce: BigInt(n), admitted: false, finalAt: NOW, released: false, ...over };
}

beforeEach(() => {
  n = 0;
});

describe('planLimits', () => {
  it('admits in order while the window takes them; the first that does not fit waits and holds its path behind it', () => {
    const items = [item({ value: 3_920n * USD }), item({ value: 3_920n * USD }), item({ value: 2_940n * USD }), item({ value: 98n * USD })];
    const { outcomes, usage } = planLimits({ items, rules, usage: empty, gates: new Map(), now: NOW });
    expect([...outcomes.values()]).toEqual([
      { kind: 'admit', released: false, usedBefore: 0n },
      { kind: 'admit', released: false, usedBefore: 3_920n * USD },
      // Nothing credited yet: both admitted ones are on their way, so it looks again a window from now.
      { kind: 'hold', reason: HeldReason.RateLimited, nextAttemptAt: NOW + W, usedBefore: 7_840n * USD },
      // 98 would fit, but nonce 4 never goes before nonce 3.
      { kind: 'queued', behind: '0x3', nextAttemptAt: NOW + W },
    ]);
    expect(usage.get(40101)!.used).toBe(7_840n * USD);
  });

  it('other paths of the chain share the window but not the order', () => {
    const items = [item({ value: 5_000n * USD }), item({ value: 5_000n * USD + 1n }), item({ value: 1_000n * USD, path: 'q' })];
    const { outcomes } = planLimits({ items, rules, usage: empty, gates: new Map(), now: NOW });
    expect([...outcomes.values()].map((o) => o.kind)).toEqual(['admit', 'hold', 'admit']);
  });

  it('a deposit valuation holds (value null) passes and holds its path for the limits', () => {
    const items = [item({ value: null }), item({ value: 1n })];
    const { outcomes } = planLimits({ items, rules, usage: empty, gates: new Map(), now: NOW });
    expect([...outcomes.values()]).toEqual([{ kind: 'pass' }, { kind: 'queued', behind: '0x1', nextAttemptAt: NOW + W }]);
  });

  it('already admitted deposits pass without a check and do not block; chains without limits pass', () => {
    const items = [item({ value: 20_000n * USD, admitted: true }), item({ value: 1n }), item({ value: 50_000n * USD, srcEid: 40102, path: 'other' })];
    const { outcomes } = planLimits({ items, rules, usage: empty, gates: new Map(), now: NOW });
    expect([...outcomes.values()]).toEqual([{ kind: 'pass' }, { kind: 'admit', released: false, usedBefore: 0n }, { kind: 'pass' }]);
  });

  it('a gate outside the round holds later nonces only, with its release time when it is a limits hold', () => {
    const gate: PathGate = { guid: '0xg', nonce: 2n, reason: HeldReason.LargeTransferDelay, nextAttemptAt: NOW + 5_000 };
    const items = [item({ value: 1n }), item({ value: null, nonce: 3n }), item({ value: 1n, nonce: 4n })];
    const { outcomes } = planLimits({ items, rules, usage: empty, gates: new Map([['p', gate]]), now: NOW });
    expect([...outcomes.values()]).toEqual([
      { kind: 'admit', released: false, usedBefore: 0n },
      { kind: 'pass' },
      { kind: 'queued', behind: '0xg', nextAttemptAt: NOW + 5_000 },
    ]);
    const stale: PathGate = { ...gate, reason: HeldReason.StalePrice };
    expect(planLimits({ items: [item({ value: 1n, nonce: 9n })], rules, usage: empty, gates: new Map([['p', stale]]), now: NOW }).outcomes.get('0x4')).toEqual({
      kind: 'queued',
      behind: '0xg',
      nextAttemptAt: NOW + W,
    });
  });

  it('large transfer delay, over-limit and an operator release', () => {
    const items = [item({ value: 6_000n * USD + 1n, finalAt: NOW - 1_000 }), item({ value: 10_000n * USD + 1n, path: 'q' }), item({ value: 10_000n * USD + 1n, path: 'r', released: true })];
    const { outcomes } = planLimits({ items, rules, usage: empty, gates: new Map(), now: NOW });
    expect([...outcomes.values()]).toEqual([
      { kind: 'hold', reason: HeldReason.LargeTransferDelay, nextAttemptAt: NOW + 7_000, usedBefore: 0n },
      { kind: 'over-limit', usedBefore: 0n },
      { kind: 'admit', released: true, usedBefore: 0n },
    ]);
  });
});
