import { AssetMismatchError, InvalidInputError } from '../errors';
import { Amount } from './amount';

const ETH = { symbol: 'ETH', decimals: 18 };
const USDC = { symbol: 'USDC', decimals: 6 };
const USDC_BSC = { symbol: 'USDC', decimals: 18 };

describe('Amount', () => {
  it('adds, subtracts and compares amounts of one asset', () => {
    const a = Amount.fromDecimal(ETH, '1.5');
    const b = Amount.fromDecimal(ETH, '0.25');
    expect(a.add(b).raw).toBe(1_750_000_000_000_000_000n);
    expect(a.sub(b).toDecimal(2)).toBe('1.25');
    expect(b.sub(a).isNegative()).toBe(true);
    expect(a.compare(b)).toBe(1);
    expect(b.lt(a)).toBe(true);
    expect(a.eq(Amount.fromRaw(ETH, 1_500_000_000_000_000_000n))).toBe(true);
    expect(Amount.zero(USDC).isZero()).toBe(true);
    expect(Amount.fromDecimal(USDC, '12.5').toString()).toBe('12.5 USDC');
  });

  it('refuses to combine two different assets', () => {
    const eth = Amount.fromDecimal(ETH, '1');
    const usdc = Amount.fromDecimal(USDC, '1');
    expect(() => eth.add(usdc)).toThrow(AssetMismatchError);
    expect(() => eth.sub(usdc)).toThrow(AssetMismatchError);
    expect(() => eth.compare(usdc)).toThrow(AssetMismatchError);
    expect(() => eth.gt(usdc)).toThrow('cannot compare ETH(18) and USDC(6)');
  });

  it('treats the same symbol with other decimals as another asset (USDC on BSC has 18)', () => {
    expect(() => Amount.fromDecimal(USDC, '1').add(Amount.fromDecimal(USDC_BSC, '1'))).toThrow(AssetMismatchError);
  });

  it('rounds extra fractional digits only when asked', () => {
    expect(() => Amount.fromDecimal(USDC, '1.0000005')).toThrow('more than 6 fractional digits');
    expect(Amount.fromDecimal(USDC, '1.0000005', 'down').raw).toBe(1_000_000n);
    expect(Amount.fromDecimal(USDC, '1.0000005', 'up').raw).toBe(1_000_001n);
  });

  it('refuses invalid decimals', () => {
    expect(() => Amount.fromRaw({ symbol: 'X', decimals: 1.5 }, 1n)).toThrow(InvalidInputError);
    expect(() => Amount.fromRaw({ symbol: 'X', decimals: 78 }, 1n)).toThrow(InvalidInputError);
  });
});
