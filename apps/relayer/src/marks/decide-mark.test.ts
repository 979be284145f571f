import { decideMark, type DecideMarkParameters, MarkHold, MarkTrigger, movedBeyond, type OnChainMark } from './decide-mark';

const E18 = 10n ** 18n;
const NOW = 1_750_000_000n;
const mark: OnChainMark = { price: 2_000n * E18, haircut: E18 / 10n, timestamp: NOW - 60n, nonce: 7n };
const decide = (over: Partial<DecideMarkParameters> & { price?: bigint; haircut?: bigint; priceTimestamp?: bigint } = {}) =>
  decideMark({
    current: over.current ?? mark,
    candidate: { price: over.price ?? mark.price, haircut: over.haircut ?? mark.haircut, priceTimestamp: over.priceTimestamp ?? NOW - 10n },
    now: over.now ?? NOW,
    deviationBps: over.deviationBps ?? 50,
    heartbeatSeconds: over.heartbeatSeconds ?? 3600,
  });

describe('movedBeyond', () => {
  it('is exact at the threshold, both ways: 0.5 % of 2000 is 10 USD', () => {
    expect(movedBeyond(2_010n * E18, 2_000n * E18, 50)).toBe(false);
    expect(movedBeyond(2_010n * E18 + 1n, 2_000n * E18, 50)).toBe(true);
    expect(movedBeyond(1_990n * E18, 2_000n * E18, 50)).toBe(false);
    expect(movedBeyond(1_990n * E18 - 1n, 2_000n * E18, 50)).toBe(true);
  });

  it('from a reference of 0, any other value moved; 0 bps: any change moved', () => {
    expect(movedBeyond(1n, 0n, 50)).toBe(true);
    expect(movedBeyond(0n, 0n, 50)).toBe(false);
    expect(movedBeyond(2_000n * E18 + 1n, 2_000n * E18, 0)).toBe(true);
    expect(movedBeyond(2_000n * E18, 2_000n * E18, 0)).toBe(false);
  });

  it('needs no floats: a 1-wei move on a 10^30 price at 1 bps is exact', () => {
    const big = 10n ** 30n;
    expect(movedBeyond(big + big / 10_000n, big, 1)).toBe(false);
    expect(movedBeyond(big + big / 10_000n + 1n, big, 1)).toBe(true);
  });
});

describe('decideMark (Chainlink rule)', () => {
  it('posts the first mark of an asset (nonce 0 on chain), whatever the values', () => {
    expect(decide({ current: { price: 0n, haircut: 0n, timestamp: 0n, nonce: 0n } })).toEqual({ post: true, trigger: MarkTrigger.FirstMark });
  });

  it('posts a price move beyond deviationBps up and down, and holds one at or within it', () => {
    expect(decide({ price: 2_010n * E18 + 1n })).toEqual({ post: true, trigger: MarkTrigger.PriceDeviation });
    expect(decide({ price: 1_400n * E18 })).toEqual({ post: true, trigger: MarkTrigger.PriceDeviation }); // −30 %
    expect(decide({ price: 2_010n * E18 })).toEqual({ post: false, hold: MarkHold.WithinThreshold });
    expect(decide({ price: 1_990n * E18 })).toEqual({ post: false, hold: MarkHold.WithinThreshold });
    expect(decide({ price: 2_004n * E18, deviationBps: 10 })).toEqual({ post: true, trigger: MarkTrigger.PriceDeviation }); // 0.2 % > 0.1 %
  });

  it('posts a haircut that moved by more than the same relative threshold', () => {
    // 0.5 % of a 10 % haircut is 0.0005
    expect(decide({ haircut: E18 / 10n + 5n * 10n ** 14n })).toEqual({ post: false, hold: MarkHold.WithinThreshold });
    expect(decide({ haircut: E18 / 10n + 5n * 10n ** 14n + 1n })).toEqual({ post: true, trigger: MarkTrigger.HaircutMoved });
    expect(decide({ haircut: E18 / 20n })).toEqual({ post: true, trigger: MarkTrigger.HaircutMoved });
  });

  it('posts on the heartbeat (mark at least heartbeatSeconds old) when the oracle has a newer price, else holds', () => {
    const old = { ...mark, timestamp: NOW - 3600n };
    expect(decide({ current: { ...mark, timestamp: NOW - 3599n } })).toEqual({ post: false, hold: MarkHold.WithinThreshold });
    expect(decide({ current: old, priceTimestamp: NOW - 3599n })).toEqual({ post: true, trigger: MarkTrigger.Heartbeat });
    expect(decide({ current: old, priceTimestamp: NOW - 3600n })).toEqual({ post: false, hold: MarkHold.NoNewerPrice }); // the same price again would not refresh it
    expect(decide({ current: old, priceTimestamp: NOW - 3599n, heartbeatSeconds: 7200 })).toEqual({ post: false, hold: MarkHold.WithinThreshold });
  });

  it('never posts a price older than the mark (the receiver refuses it), even a deviant one', () => {
    expect(decide({ priceTimestamp: mark.timestamp - 1n, price: 1_000n * E18 })).toEqual({ post: false, hold: MarkHold.OlderThanMark });
    expect(decide({ priceTimestamp: mark.timestamp, price: 1_000n * E18 })).toEqual({ post: true, trigger: MarkTrigger.PriceDeviation }); // same timestamp: allowed
  });
});
