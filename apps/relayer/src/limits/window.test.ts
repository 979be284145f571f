import { fitTime, windowUsage, withAdmitted } from './window';

const USD = 10n ** 18n;
const W = 86_400_000; // 24 h
const T0 = 1_750_000_000_000;

describe('windowUsage', () => {
  it('counts what is on its way in full and a credit only while creditedAt + window > now', () => {
    const entries = [
      { guid: '0xa', value: 100n * USD, creditedAt: null },
      { guid: '0xb', value: 200n * USD, creditedAt: T0 },
      { guid: '0xc', value: 300n * USD, creditedAt: T0 + 1000 },
    ];
    expect(windowUsage({ entries, now: T0 + W - 1, windowMs: W })).toEqual({
      used: 600n * USD,
      inFlight: 100n * USD,
      credited: 500n * USD,
      expiries: [
        { at: T0 + W, value: 200n * USD, guid: '0xb' },
        { at: T0 + W + 1000, value: 300n * USD, guid: '0xc' },
      ],
    });
    // At creditedAt + window exactly, b is out; c still in until its own expiry.
    expect(windowUsage({ entries, now: T0 + W, windowMs: W })).toMatchObject({ used: 400n * USD, credited: 300n * USD });
    expect(windowUsage({ entries, now: T0 + W + 1000, windowMs: W })).toMatchObject({ used: 100n * USD, credited: 0n, expiries: [] });
  });

  it('orders equal expiries by GUID (deterministic)', () => {
    const u = windowUsage({ entries: [{ guid: '0x2', value: 1n, creditedAt: T0 }, { guid: '0x1', value: 2n, creditedAt: T0 }], now: T0, windowMs: W });
    expect(u.expiries.map((e) => e.guid)).toEqual(['0x1', '0x2']);
  });

  it('withAdmitted adds to the part on its way', () => {
    const u = withAdmitted(windowUsage({ entries: [{ guid: '0xb', value: 5n, creditedAt: T0 }], now: T0, windowMs: W }), 7n);
    expect([u.used, u.inFlight, u.credited]).toEqual([12n, 7n, 5n]);
  });
});

describe('fitTime', () => {
  const limit = 10_000n * USD;
  const usage = windowUsage({
    entries: [
      { guid: '0x1', value: 4_000n * USD, creditedAt: T0 },
      { guid: '0x2', value: 3_000n * USD, creditedAt: T0 + 5_000 },
      { guid: '0x3', value: 1_000n * USD, creditedAt: null },
    ],
    now: T0 + 10_000,
    windowMs: W,
  }); // used 8,000: 2,000 left
  const now = T0 + 10_000;

  it('an exact fit passes now; one unit (10^-18 USD) over waits', () => {
    expect(fitTime({ usage, value: 2_000n * USD, limit, now, windowMs: W })).toBe(now);
    expect(fitTime({ usage, value: 2_000n * USD + 1n, limit, now, windowMs: W })).toBe(T0 + W);
  });

  it('waits for the first expiry that frees enough, in order', () => {
    expect(fitTime({ usage, value: 6_000n * USD, limit, now, windowMs: W })).toBe(T0 + W); // 4,000 freed at T0 + W
    expect(fitTime({ usage, value: 6_000n * USD + 1n, limit, now, windowMs: W })).toBe(T0 + 5_000 + W); // needs both credits gone
    expect(fitTime({ usage, value: 9_000n * USD, limit, now, windowMs: W })).toBe(T0 + 5_000 + W);
  });

  it('when amounts on their way hold the room, looks again a whole window from now', () => {
    expect(fitTime({ usage, value: 9_000n * USD + 1n, limit, now, windowMs: W })).toBe(now + W);
    expect(fitTime({ usage, value: limit, limit, now, windowMs: W })).toBe(now + W);
  });

  it('never fits a value above the whole limit', () => {
    expect(fitTime({ usage, value: limit + 1n, limit, now, windowMs: W })).toBeNull();
    const empty = windowUsage({ entries: [], now, windowMs: W });
    expect(fitTime({ usage: empty, value: limit, limit, now, windowMs: W })).toBe(now);
    expect(fitTime({ usage: empty, value: limit + 1n, limit, now, windowMs: W })).toBeNull();
  });
});
