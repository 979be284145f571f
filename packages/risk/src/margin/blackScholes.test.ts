import fc from 'fast-check';
import { catchError } from '../../test-utils/catchError';
import { InvalidInputError } from '../errors';
import { black76, black76Price, blackScholes } from './blackScholes';

describe('blackScholes (Hull golden values)', () => {
  const hull = { spot: 42, strike: 40, rate: 0.1, vol: 0.2, time: 0.5 } as const;

  it('S 42 K 40 r 10% σ 20% T 0.5: call 4.7594, d1 0.7693, d2 0.6278, Δ 0.7791, Γ 0.04996, vega 8.8134, Θ −4.5591', () => {
    const c = blackScholes({ ...hull, kind: 'call' });
    expect(c.d1).toBeCloseTo(0.7693, 4);
    expect(c.d2).toBeCloseTo(0.6278, 4);
    expect(c.price).toBeCloseTo(4.7594, 4);
    expect(c.delta).toBeCloseTo(0.7791, 4);
    expect(c.gamma).toBeCloseTo(0.04996, 5);
    expect(c.vega).toBeCloseTo(8.8134, 4);
    expect(c.theta).toBeCloseTo(-4.5591, 4);
  });

  it('… put 0.8086, Δ −0.2209, Θ −0.7542, same gamma and vega', () => {
    const p = blackScholes({ ...hull, kind: 'put' });
    expect(p.price).toBeCloseTo(0.8086, 4);
    expect(p.delta).toBeCloseTo(-0.2209, 4);
    expect(p.gamma).toBeCloseTo(0.04996, 5);
    expect(p.vega).toBeCloseTo(8.8134, 4);
    expect(p.theta).toBeCloseTo(-0.7542, 4);
  });

  it('S 49 K 50 r 5% σ 20% T 20/52: call 2.4005, Δ 0.522, Γ 0.0655, vega 12.105, Θ −4.305, ρ 8.907', () => {
    const c = blackScholes({ spot: 49, strike: 50, rate: 0.05, vol: 0.2, time: 20 / 52, kind: 'call' });
    expect(c.price).toBeCloseTo(2.4005, 4);
    expect(c.delta).toBeCloseTo(0.522, 3);
    expect(c.gamma).toBeCloseTo(0.0655, 4);
    expect(c.vega).toBeCloseTo(12.105, 3);
    expect(c.theta).toBeCloseTo(-4.305, 3);
    expect(c.rho).toBeCloseTo(8.907, 3);
  });

  it('greeks are the derivatives of the price (finite differences)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 50, max: 150, noNaN: true }),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.double({ min: -0.05, max: 0.1, noNaN: true }),
        fc.constantFrom('call' as const, 'put' as const),
        (spot, vol, time, rate, kind) => {
          const p = { spot, strike: 100, rate, vol, time, kind };
          const g = blackScholes(p);
          const price = (q: Partial<typeof p>) => blackScholes({ ...p, ...q }).price;
          const h = 1e-4;
          expect(g.delta).toBeCloseTo((price({ spot: spot + h }) - price({ spot: spot - h })) / (2 * h), 5);
          expect(g.vega).toBeCloseTo((price({ vol: vol + h }) - price({ vol: vol - h })) / (2 * h), 4);
          expect(g.theta).toBeCloseTo(-(price({ time: time + h }) - price({ time: time - h })) / (2 * h), 4);
          expect(g.rho).toBeCloseTo((price({ rate: rate + h }) - price({ rate: rate - h })) / (2 * h), 4);
          expect(g.gamma).toBeCloseTo((g.delta - blackScholes({ ...p, spot: spot - h }).delta) / h, 3);
        },
      ),
    );
  });
});

describe('black76', () => {
  it('satisfies put–call parity C − P = df · (F − K)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: -0.1, max: 0.2, noNaN: true }),
        (forward, strike, vol, time, rate) => {
          const c = black76({ forward, strike, vol, time, rate, kind: 'call' }).price;
          const p = black76({ forward, strike, vol, time, rate, kind: 'put' }).price;
          const df = Math.exp(-rate * time);
          expect(Math.abs(c - p - df * (forward - strike))).toBeLessThanOrEqual(1e-9 * Math.max(forward, strike));
          expect(c).toBeGreaterThanOrEqual(0);
          expect(p).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('prices at intrinsic value with finite greeks when T = 0 or σ = 0', () => {
    for (const [time, vol] of [[0, 0.5], [1, 0], [0, 0]] as const) {
      const itm = black76({ forward: 110, strike: 100, vol, time, kind: 'call' });
      const otm = black76({ forward: 110, strike: 100, vol, time, kind: 'put' });
      const atm = black76({ forward: 100, strike: 100, vol, time, kind: 'call' });
      expect(itm.price).toBe(10);
      expect(itm.delta).toBe(1);
      expect(otm.price).toBe(0);
      expect(otm.delta).toBe(-0);
      expect(atm.price).toBe(0);
      expect(atm.delta).toBe(0.5);
      for (const g of [itm, otm, atm]) for (const v of Object.values(g)) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('approaches intrinsic smoothly as T → 0', () => {
    const price = (time: number) => black76({ forward: 101, strike: 100, vol: 0.5, time, kind: 'call' }).price;
    expect(price(1e-20)).toBeCloseTo(1, 12);
    expect(price(1e-30)).toBe(1);
  });

  it('black76Price (hot path) equals black76 with discount factor 1', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.boolean(),
        (forward, strike, totalVol, isCall) => {
          const slow = black76({ forward, strike, vol: totalVol, time: 1, kind: isCall ? 'call' : 'put' }).price;
          const fast = black76Price(forward, strike, Math.log(forward / strike), totalVol, isCall);
          expect(Math.abs(fast - slow)).toBeLessThanOrEqual(1e-10 * Math.max(forward, strike));
        },
      ),
    );
  });

  it('refuses invalid inputs, naming the parameter', () => {
    const ok = { forward: 100, strike: 100, vol: 0.5, time: 1, kind: 'call' } as const;
    expect(() => black76({ ...ok, forward: 0 })).toThrow(InvalidInputError);
    expect(catchError(() => black76({ ...ok, strike: -1 }))).toEqual(expect.objectContaining({ field: 'strike' }));
    expect(catchError(() => black76({ ...ok, vol: Number.NaN }))).toEqual(expect.objectContaining({ field: 'vol' }));
    expect(catchError(() => black76({ ...ok, time: -1 }))).toEqual(expect.objectContaining({ field: 'time' }));
    expect(catchError(() => blackScholes({ spot: 1, strike: 1, vol: 1, time: 1, kind: 'put', rate: Infinity }))).toEqual(expect.objectContaining({ field: 'rate' }));
  });
});
