import fc from 'fast-check';
import { erf, normCdf, normPdf } from './normCdf';

// Reference values: Python 3, 0.5 * math.erfc(-x / math.sqrt(2)) (libm erfc, < 1 ulp).
const REFERENCE: ReadonlyArray<readonly [number, number]> = [
  [-37, 5.725571222525139e-300],
  [-30, 4.906713927148764e-198],
  [-20, 2.7536241186063314e-89],
  [-10, 7.619853024160593e-24],
  [-8, 6.220960574271819e-16],
  [-6, 9.865876450377012e-10],
  [-5, 2.866515718791946e-07],
  [-4, 3.1671241833119965e-05],
  [-3.5, 0.00023262907903552504],
  [-3.001, 0.0013454728250849683],
  [-2.999, 0.0013543365337271066],
  [-2.9, 0.0018658133003840384],
  [-1.96, 0.024997895148220435],
  [-1, 0.15865525393145707],
  [-0.3, 0.3820885778110474],
  [-0.0625, 0.4750823309707528],
  [-1e-09, 0.49999999960105773],
  [0, 0.5],
  [1e-09, 0.5000000003989423],
  [0.0625, 0.5249176690292472],
  [0.5, 0.6914624612740131],
  [1, 0.8413447460685429],
  [1.5, 0.9331927987311419],
  [2.5, 0.9937903346742238],
  [3, 0.9986501019683699],
  [3.1, 0.9990323967867817],
  [4.2, 0.9999866542509841],
  [6, 0.9999999990134123],
  [7.5, 0.9999999999999681],
];

describe('normCdf', () => {
  it.each(REFERENCE)('Φ(%p) matches the reference to 1e-15 absolute and 1e-12 relative', (x, expected) => {
    const got = normCdf(x);
    expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-12 * expected);
  });

  it('is 0 and 1 at the infinities, 0 far below the table, NaN for NaN', () => {
    expect(normCdf(-Infinity)).toBe(0);
    expect(normCdf(Infinity)).toBe(1);
    expect(normCdf(-1000)).toBe(0);
    expect(normCdf(1000)).toBe(1);
    expect(normCdf(Number.NaN)).toBeNaN();
  });

  it('is symmetric, monotone and within [0, 1]', () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), fc.double({ min: 1e-6, max: 1, noNaN: true }), (x, dx) => {
        const p = normCdf(x);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(Math.abs(p + normCdf(-x) - 1)).toBeLessThanOrEqual(2e-16);
        expect(normCdf(x + dx)).toBeGreaterThanOrEqual(p);
      }),
    );
  });

  it('has the density as its derivative', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
        const h = 1e-5;
        const slope = (normCdf(x + h) - normCdf(x - h)) / (2 * h);
        expect(Math.abs(slope - normPdf(x))).toBeLessThan(1e-9);
      }),
    );
  });

  it('gives erf: erf(1) = 0.8427007929497149, erf(-0.5) = -0.5204998778130465', () => {
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(-0.5)).toBeCloseTo(-0.5204998778130465, 15);
    expect(erf(0)).toBe(0);
  });
});
