import { divRound, formatDecimal, fromFloat, parseDecimal } from './fixed';

describe('fixed', () => {
  it('parses and formats exactly', () => {
    expect(parseDecimal('1.5')).toBe(1_500_000_000_000_000_000n);
    expect(formatDecimal(parseDecimal('-0.000000000000000001'))).toBe('-0.000000000000000001');
    expect(formatDecimal(parseDecimal('2'), 18, 6)).toBe('2.000000');
  });
  it('rounds in the direction asked', () => {
    expect(divRound(7n, 2n, 'down')).toBe(3n);
    expect(divRound(7n, 2n, 'up')).toBe(4n);
    expect(divRound(-7n, 2n, 'down')).toBe(-4n);
    expect(divRound(-7n, 2n, 'up')).toBe(-3n);
    expect(parseDecimal('0.0000000000000000015', 18, 'up')).toBe(2n);
    expect(() => parseDecimal('0.0000000000000000015')).toThrow('more than 18 fractional digits');
  });
  it('refuses non-finite floats', () => {
    expect(() => fromFloat(Number.NaN, 'down')).toThrow('not a finite number');
    expect(fromFloat(0.5, 'down')).toBe(500_000_000_000_000_000n);
  });
});

describe('JSON numbers', () => {
  it('reads a number as the decimal its author wrote', () => {
    expect(parseDecimal(2004.7545)).toBe(2_004_754_500_000_000_000_000n);
    expect(parseDecimal(1e-7)).toBe(100_000_000_000n);
    expect(() => parseDecimal(-2.5e-18)).toThrow('more than 18 fractional digits');
    expect(parseDecimal(-2.5e-18, 18, 'down')).toBe(-3n);
    expect(parseDecimal(-2.5e-18, 18, 'up')).toBe(-2n);
    expect(parseDecimal(1e21)).toBe(10n ** 39n);
    expect(fromFloat(0.1, 'down')).toBe(100_000_000_000_000_000n);
  });
});
