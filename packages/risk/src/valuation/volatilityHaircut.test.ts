import fc from 'fast-check';
import { fromFloat, ONE, parseDecimal as d } from '../money/fixed';
import { effectiveHaircut, volatilityHaircut } from './volatilityHaircut';

describe('volatilityHaircut', () => {
  it('is 1 − exp(−z σ √h), rounded up', () => {
    // z 2.326, σ 80%, 1 day: 1 − e^(−0.0973987…) = 0.0928058…
    const h = volatilityHaircut({ annualVol: 0.8, horizonDays: 1, z: 2.326 });
    const exact = 1 - Math.exp(-2.326 * 0.8 * Math.sqrt(1 / 365));
    expect(Number(h) / 1e18).toBeCloseTo(0.0928058, 6);
    expect(h >= fromFloat(exact, 'down')).toBe(true);
    expect(volatilityHaircut({ annualVol: 0, horizonDays: 10, z: 3 })).toBe(0n);
  });

  it('is floored at the static haircut', () => {
    const base = { symbol: 'X', decimals: 18, ltv: 0n, liquidationThreshold: 0n, liquidationBonus: 0n, oracle: { heartbeatSeconds: 1n } };
    expect(effectiveHaircut({ ...base, haircut: d('0.2'), volatility: { annualVol: 0.8, horizonDays: 1, z: 2.326 } }).haircut).toBe(d('0.2'));
    expect(effectiveHaircut({ ...base, haircut: d('0.01'), volatility: { annualVol: 0.8, horizonDays: 1, z: 2.326 } }).haircut > d('0.09')).toBe(true);
    expect(effectiveHaircut({ ...base, haircut: d('0.01') })).toEqual({ haircut: d('0.01'), volatilityHaircut: undefined });
  });

  it('property: in [0, 1] and non-decreasing in vol', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0.01, max: 365, noNaN: true }), (a, b, days) => {
        const lo = volatilityHaircut({ annualVol: Math.min(a, b), horizonDays: days, z: 2.33 });
        const hi = volatilityHaircut({ annualVol: Math.max(a, b), horizonDays: days, z: 2.33 });
        expect(lo >= 0n && hi <= ONE && lo <= hi).toBe(true);
      }),
    );
  });
});
