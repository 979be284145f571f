import { catchError } from '../../test-utils/catchError';
import { parseDecimal } from '../money/fixed';
import { oiScaledImf } from './oiScaledImf';

const d = (x: string) => parseDecimal(x);
const caps = { baseImf: d('0.2'), lowerCap: d('1000000'), upperCap: d('2000000') };

describe('oiScaledImf (dYdX v4)', () => {
  it('base 20%, OI 1.5M, caps [1M, 2M] → 0.60', () => {
    expect(oiScaledImf({ ...caps, openInterest: d('1500000') })).toBe(d('0.6'));
  });

  it('is the base below the lower cap and 1 above the upper cap', () => {
    expect(oiScaledImf({ ...caps, openInterest: d('500000') })).toBe(d('0.2'));
    expect(oiScaledImf({ ...caps, openInterest: d('3000000') })).toBe(d('1'));
  });

  it('rounds up', () => {
    // scale = 1/3 → 0.2 + 0.8/3 = 0.4666…67 (up)
    expect(oiScaledImf({ baseImf: d('0.2'), lowerCap: 0n, upperCap: d('3'), openInterest: d('1') })).toBe(d('0.466666666666666668'));
  });

  it('is off when both caps are zero and refuses inverted caps', () => {
    expect(oiScaledImf({ baseImf: d('0.05'), lowerCap: 0n, upperCap: 0n, openInterest: d('9') })).toBe(d('0.05'));
    expect(catchError(() => oiScaledImf({ ...caps, upperCap: d('1'), openInterest: 0n }))).toEqual(expect.objectContaining({ field: 'upperCap' }));
  });
});
