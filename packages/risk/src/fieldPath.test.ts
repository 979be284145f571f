import { fieldOf, join } from './fieldPath';

describe('field paths', () => {
  it('join: keys with dots, indices in brackets, odd keys quoted', () => {
    expect(join('', 'account')).toBe('account');
    expect(join(join(join('account', 'positions'), 2), 'amount')).toBe('account.positions[2].amount');
    expect(join('', 3)).toBe('[3]');
    expect(join('configs', 'USDC.e')).toBe('configs["USDC.e"]');
    expect(join('prices', '1INCH')).toBe('prices["1INCH"]');
    expect(join('prices', 'stETH')).toBe('prices.stETH');
    expect(join('x', 'a"b')).toBe('x["a\\"b"]');
  });

  it('fieldOf: a path of keys and indices', () => {
    expect(fieldOf([])).toBe('');
    expect(fieldOf(['accounts', 0, 'positions', 1, 'amount'])).toBe('accounts[0].positions[1].amount');
    expect(fieldOf([1, 'market', 'spot'])).toBe('[1].market.spot');
  });
});
