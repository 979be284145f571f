import fc from 'fast-check';
import { Amount } from './amount';
import { ONE, parseDecimal } from './fixed';
import { amountToUsd, applyWeight, baseUnitsToUsd, usdToBaseUnits } from './usd';

describe('USD conversion', () => {
  it('values base units at a price exactly when it divides', () => {
    // 6,000 BTC (8 decimals) at 20,000 = 120,000,000 USD.
    expect(baseUnitsToUsd(600_000_000_000n, 8, parseDecimal('20000'), 'down')).toBe(parseDecimal('120000000'));
    expect(amountToUsd(Amount.fromDecimal({ symbol: 'USDC', decimals: 6 }, '2.5'), parseDecimal('0.999'), 'down')).toBe(
      parseDecimal('2.4975'),
    );
  });

  it('rounds collateral down and requirements up', () => {
    // 1 wei at 1.5 USD per ETH is 1.5e-18 USD: 1 (down) or 2 (up) units at 18 dp.
    const price = parseDecimal('1.5');
    expect(baseUnitsToUsd(1n, 18, price, 'down')).toBe(1n);
    expect(baseUnitsToUsd(1n, 18, price, 'up')).toBe(2n);
    // a third of a dollar: 0.333… down, 0.333…4 up
    const third = baseUnitsToUsd(1n, 0, parseDecimal('1') / 3n, 'down');
    expect(applyWeight(third, ONE / 2n, 'down')).toBe(166_666_666_666_666_666n);
    expect(applyWeight(third, ONE / 2n, 'up')).toBe(166_666_666_666_666_667n);
  });

  it('converts USD back to base units, withdrawals down, top-ups up', () => {
    const price = parseDecimal('3000');
    expect(usdToBaseUnits(parseDecimal('1000'), 18, price, 'down')).toBe(333_333_333_333_333_333n);
    expect(usdToBaseUnits(parseDecimal('1000'), 18, price, 'up')).toBe(333_333_333_333_333_334n);
    expect(() => usdToBaseUnits(1n, 18, 0n, 'down')).toThrow('price must be positive');
  });

  it('down ≤ exact ≤ up, and they differ by at most one unit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 24 }), fc.bigInt({ min: 1n, max: 10n ** 24n }), (amount, decimals, price) => {
        const down = baseUnitsToUsd(amount, decimals, price, 'down');
        const up = baseUnitsToUsd(amount, decimals, price, 'up');
        const scale = 10n ** BigInt(decimals);
        expect(down * scale <= amount * price).toBe(true);
        expect(up * scale >= amount * price).toBe(true);
        expect(up - down <= 1n).toBe(true);
      }),
    );
  });
});
