import { formatUsd, parseUsd, usdGauge } from './usd';

describe('USD amounts', () => {
  it('parses whole dollars and fractions exactly to 18 decimals, and formats back', () => {
    expect(parseUsd('10000')).toBe(10_000n * 10n ** 18n);
    expect(parseUsd('2500.5')).toBe(2_500_500_000_000_000_000_000n);
    expect(parseUsd('0.000000000000000001')).toBe(1n);
    expect(formatUsd(10_000n * 10n ** 18n)).toBe('10000');
    expect(formatUsd(2_500_500_000_000_000_000_000n)).toBe('2500.5');
    expect(formatUsd(1n)).toBe('0.000000000000000001');
    expect(formatUsd(-1_500_000_000_000_000_000n)).toBe('-1.5');
    expect(() => parseUsd('1e6')).toThrow(RangeError);
  });

  it('gauges as floats of whole dollars', () => {
    expect(usdGauge(7_840n * 10n ** 18n)).toBe(7840);
    expect(usdGauge(2_160_250_000_000_000_000_000n)).toBe(2160.25);
  });
});
