import { catchError } from '../../test-utils/catchError';
import { fixed } from '../cli/input';
import { runMargin } from '../cli/commands/margin';
import { integer, naturalNumber, tokenDecimals, unsafeIntegerError } from './readJson';

describe('JSON readers', () => {
  it('integer: safe JSON integers and digit strings, exactly', () => {
    expect(integer(9007199254740991, 'amount')).toBe(9007199254740991n);
    expect(integer('6000000000000000000000', 'amount')).toBe(6000000000000000000000n);
    expect(integer(' -5 ', 'amount')).toBe(-5n);
  });

  it('integer / fixed: a number beyond 2^53 − 1 (already rounded by JSON.parse) → "write it as a string"', () => {
    const message =
      'a JSON number beyond 2^53 − 1 (9007199254740991), read as 9007199254740992: a JSON number that large loses digits; write it as a string, e.g. "6000000000000000000"';
    const beyond: unknown = JSON.parse('9007199254740993'); // 2^53 + 1 as JSON.parse reads it: 9007199254740992
    for (const read of [integer, naturalNumber, fixed])
      expect(catchError(() => read(beyond, 'account.positions[2].amount'))).toEqual(
        expect.objectContaining({ name: 'InvalidInputError', field: 'account.positions[2].amount', shortMessage: message, details: { readAs: '9007199254740992' } }),
      );
    expect(catchError(() => integer(1e21, 'now'))).toEqual(expect.objectContaining({ details: { readAs: '1000000000000000000000' } }));
  });

  it('the margin reader of money refuses it too (it reads JSON numbers by their shortest text)', () => {
    const input = { market: { spot: '2000', stablePrice: '1' }, portfolio: { cash: 2 ** 60 } };
    expect(catchError(() => runMargin(input))).toEqual(expect.objectContaining({ field: 'portfolio.cash', details: { readAs: '1152921504606846976' } }));
    expect(runMargin({ ...input, portfolio: { cash: '1152921504606846977' } }).mtm).toBe('1152921504606846977.000000');
  });

  it('unsafeIntegerError quotes the text as written and expands an exponent for the string to write', () => {
    expect(unsafeIntegerError(1.5e21, 'amount', '1.5e21').shortMessage).toBe(
      '1.5e21 is beyond 2^53 − 1 (9007199254740991) and reads as 1500000000000000000000: a JSON number that large loses digits; write it as a string, e.g. "1500000000000000000000"',
    );
    expect(unsafeIntegerError(-1e17, 'debt', '-1E17').shortMessage).toMatch(/e\.g\. "-100000000000000000"$/);
  });

  it('naturalNumber and tokenDecimals name the value as written', () => {
    expect(catchError(() => naturalNumber('-3', 'amount'))).toEqual(expect.objectContaining({ field: 'amount', shortMessage: 'must not be negative, got -3' }));
    expect(catchError(() => tokenDecimals(78, 'decimals'))).toEqual(expect.objectContaining({ shortMessage: 'decimals must be in [0, 77], got 78' }));
  });
});
