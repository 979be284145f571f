import { bumpFees } from './bump-fees';

describe('bumpFees', () => {
  const estimate = { maxFeePerGas: 1_000_000_000n, maxPriorityFeePerGas: 100_000_001n };

  it('raises both fields by 10 %, rounding up', () => {
    expect(bumpFees({ current: estimate, estimate })).toEqual({ maxFeePerGas: 1_100_000_000n, maxPriorityFeePerGas: 110_000_002n });
  });

  it('stops below 3× the estimate: 11 replacements, then null', () => {
    let current = estimate;
    let n = 0;
    for (;;) {
      const next = bumpFees({ current, estimate });
      if (next === null) break;
      expect(next.maxFeePerGas * 100n).toBeGreaterThanOrEqual(current.maxFeePerGas * 110n);
      expect(next.maxFeePerGas).toBeLessThanOrEqual(3n * estimate.maxFeePerGas);
      current = next;
      n++;
    }
    expect(n).toBe(11); // 1.1^11 ≈ 2.85, 1.1^12 ≈ 3.14
    // 1.1^11 of the estimate (2_853_116_706), plus at most one wei of rounding up per step.
    expect(current.maxFeePerGas - 2_853_116_706n).toBeGreaterThanOrEqual(0n);
    expect(current.maxFeePerGas - 2_853_116_706n).toBeLessThanOrEqual(11n);
  });

  it('a zero priority fee stays zero', () => {
    expect(bumpFees({ current: { maxFeePerGas: 10n, maxPriorityFeePerGas: 0n }, estimate: { maxFeePerGas: 10n, maxPriorityFeePerGas: 0n } })).toEqual({ maxFeePerGas: 11n, maxPriorityFeePerGas: 0n });
  });
});
