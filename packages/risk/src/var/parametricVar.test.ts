import fc from 'fast-check';
import { catchError } from '../../test-utils/catchError';
import { InvalidInputError } from '../errors';
import { parseDecimal as d, toFloat } from '../money/fixed';
import { NonPositiveDefiniteMatrixError } from './errors';
import { parametricVar } from './parametricVar';

const assets = [
  { symbol: 'ETH', annualVol: 0.8 },
  { symbol: 'BTC', annualVol: 0.6 },
];
const base = { assets, confidence: 0.99, horizonDays: 1 };
const Z99 = 2.326347874040841;
const varOf = (correlation: number[][], exposures: { asset: string; usd: bigint }[]) =>
  toFloat(parametricVar({ ...base, correlation, exposures }).valueAtRisk);

describe('parametricVar', () => {
  it('single asset: z · |w| · σ · √(h/365)', () => {
    const r = parametricVar({ ...base, correlation: [[1, 0], [0, 1]], exposures: [{ asset: 'ETH', usd: d('10000') }] });
    const expected = Z99 * 10000 * 0.8 * Math.sqrt(1 / 365);
    expect(toFloat(r.valueAtRisk)).toBeCloseTo(expected, 9); // ≈ 974.12
    expect(r.valueAtRisk >= BigInt(Math.floor(expected * 1e6)) * 10n ** 12n).toBe(true);
    expect(r.z).toBeCloseTo(Z99, 10);
  });

  it('hedges net: long ETH + short ETH perp is zero risk', () => {
    const r = parametricVar({ ...base, correlation: [[1, 0.7], [0.7, 1]], exposures: [{ asset: 'ETH', usd: d('10000') }, { asset: 'ETH', usd: d('-10000') }] });
    expect(r.valueAtRisk).toBe(0n);
    expect(r.netExposures).toEqual([0n, 0n]);
  });

  it('a perp modelled as its own, perfectly correlated factor also nets (semidefinite matrix accepted)', () => {
    const perp = { assets: [{ symbol: 'ETH', annualVol: 0.8 }, { symbol: 'ETH-PERP', annualVol: 0.8 }], confidence: 0.99, horizonDays: 1 };
    const r = parametricVar({ ...perp, correlation: [[1, 1], [1, 1]], exposures: [{ asset: 'ETH', usd: d('10000') }, { asset: 'ETH-PERP', usd: d('-10000') }] });
    expect(toFloat(r.valueAtRisk)).toBeLessThan(1e-6);
  });

  it('correlated longs add, uncorrelated diversify, anti-correlated offset', () => {
    const exposures = [{ asset: 'ETH', usd: d('10000') }, { asset: 'BTC', usd: d('10000') }];
    const k = Z99 * Math.sqrt(1 / 365);
    const perfect = varOf([[1, 1], [1, 1]], exposures);
    const independent = varOf([[1, 0], [0, 1]], exposures);
    const anti = varOf([[1, -1], [-1, 1]], exposures);
    expect(perfect).toBeCloseTo(k * (8000 + 6000), 6); // standalone VaRs add
    expect(independent).toBeCloseTo(k * Math.hypot(8000, 6000), 6);
    expect(anti).toBeCloseTo(k * 2000, 6); // 8000 − 6000
    expect(perfect > independent && independent > anti).toBe(true);
    // long ETH, short BTC with positive correlation: offset
    expect(varOf([[1, 0.9], [0.9, 1]], [{ asset: 'ETH', usd: d('10000') }, { asset: 'BTC', usd: d('-10000') }])).toBeLessThan(
      varOf([[1, 0.9], [0.9, 1]], [{ asset: 'ETH', usd: d('10000') }]),
    );
  });

  it('scales with √horizon', () => {
    const one = varOf([[1, 0], [0, 1]], [{ asset: 'ETH', usd: d('1000') }]);
    const ten = toFloat(parametricVar({ ...base, horizonDays: 10, correlation: [[1, 0], [0, 1]], exposures: [{ asset: 'ETH', usd: d('1000') }] }).valueAtRisk);
    expect(ten / one).toBeCloseTo(Math.sqrt(10), 9);
  });

  it('refuses a matrix that is not positive semidefinite', () => {
    const three = { assets: [...assets, { symbol: 'SOL', annualVol: 1 }], confidence: 0.99, horizonDays: 1, exposures: [] };
    // ρ(ETH,BTC) = ρ(ETH,SOL) = 0.9 but ρ(BTC,SOL) = −0.9: impossible.
    expect(() => parametricVar({ ...three, correlation: [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]] })).toThrow(NonPositiveDefiniteMatrixError);
  });

  it.each([
    ['not square', [[1, 0], [0]], 'correlation[1]'],
    ['wrong size', [[1]], 'correlation'],
    ['asymmetric', [[1, 0.5], [0.4, 1]], 'correlation[0][1]'],
    ['non-unit diagonal', [[0.9, 0], [0, 1]], 'correlation[0][0]'],
    ['out of range', [[1, 1.2], [1.2, 1]], 'correlation[0][1]'],
    ['NaN', [[1, Number.NaN], [Number.NaN, 1]], 'correlation[0][1]'],
  ])('refuses a matrix that is %s, naming the field', (_name, correlation, field) => {
    expect(catchError(() => parametricVar({ ...base, correlation, exposures: [] }))).toEqual(expect.objectContaining({ name: 'InvalidInputError', field }));
  });

  it('refuses exposures to an asset without a volatility', () => {
    expect(() => parametricVar({ ...base, correlation: [[1, 0], [0, 1]], exposures: [{ asset: 'SOL', usd: 1n }] })).toThrow(InvalidInputError);
  });

  it('property: VaR ≥ 0, scales with exposure, and never exceeds the sum of standalone VaRs', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -1e9, max: 1e9 }), fc.double({ min: -1, max: 1, noNaN: true }), (a, b, rho) => {
        const corr = [[1, rho], [rho, 1]];
        const exposures = [{ asset: 'ETH', usd: BigInt(a) * 10n ** 18n }, { asset: 'BTC', usd: BigInt(b) * 10n ** 18n }];
        const v = varOf(corr, exposures);
        const standalone = varOf(corr, [exposures[0]!]) + varOf(corr, [exposures[1]!]);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(standalone * (1 + 1e-12) + 1e-9);
      }),
    );
  });
});
