import { parseDecimal } from '../money/fixed';
import { nakedShorts, type StrikeLeg } from './nakedShorts';

const leg = (strike: string, kind: 'call' | 'put', amount: string): StrikeLeg => ({ strike: parseDecimal(strike), kind, amount: parseDecimal(amount) });
const d = (x: string) => parseDecimal(x);

describe('nakedShorts', () => {
  it('a lone short counts its size, longs count 0', () => {
    expect(nakedShorts([leg('1400', 'call', '-2')])).toBe(d('2'));
    expect(nakedShorts([leg('1400', 'put', '3'), leg('1500', 'call', '1')])).toBe(0n);
  });

  it('both short at a strike → both sizes', () => {
    expect(nakedShorts([leg('1400', 'call', '-2'), leg('1400', 'put', '-1.5')])).toBe(d('3.5'));
  });

  it('opposite signs at a strike → short size minus min(short, long)', () => {
    expect(nakedShorts([leg('1400', 'call', '-2'), leg('1400', 'put', '0.5')])).toBe(d('1.5'));
    expect(nakedShorts([leg('1400', 'call', '1'), leg('1400', 'put', '-0.25')])).toBe(0n);
  });

  it('pairs only at the same strike and nets legs of the same kind first', () => {
    expect(nakedShorts([leg('1400', 'call', '-1'), leg('1500', 'put', '1')])).toBe(d('1'));
    expect(nakedShorts([leg('1400', 'call', '-1'), leg('1400', 'call', '0.4'), leg('1600', 'put', '-0.1')])).toBe(d('0.7'));
  });
});
