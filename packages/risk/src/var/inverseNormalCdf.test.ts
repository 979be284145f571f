import fc from 'fast-check';
import { erfc, inverseNormalCdf, normalCdf } from './inverseNormalCdf';

describe('inverseNormalCdf', () => {
  it('matches the standard normal table', () => {
    expect(inverseNormalCdf(0.5)).toBeCloseTo(0, 12);
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959963984540054, 10);
    expect(inverseNormalCdf(0.99)).toBeCloseTo(2.326347874040841, 10);
    expect(inverseNormalCdf(0.95)).toBeCloseTo(1.644853626951472, 10);
    expect(inverseNormalCdf(0.999)).toBeCloseTo(3.090232306167813, 10);
    expect(inverseNormalCdf(1e-10)).toBeCloseTo(-6.361340902404056, 8);
    expect(inverseNormalCdf(0.01)).toBeCloseTo(-2.326347874040841, 10);
  });

  it('erfc matches known values', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 14);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 10);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 14);
  });

  it('refuses probabilities outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => inverseNormalCdf(p)).toThrow('probability must be in (0, 1)');
  });

  it('property: Φ(Φ⁻¹(p)) = p and it is increasing', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p, q) => {
        expect(Math.abs(normalCdf(inverseNormalCdf(p)) - p)).toBeLessThan(1e-12 + 1e-9 * p);
        if (p < q) expect(inverseNormalCdf(p) <= inverseNormalCdf(q)).toBe(true);
      }),
    );
  });
});
