import { catchError } from '../../test-utils/catchError';
import { InvalidInputError } from '../errors';
import { findUnsafeIntegers, parseJson } from './parseJson';

describe('findUnsafeIntegers', () => {
  it('finds each integer beyond 2^53 − 1 with its path and its text', () => {
    const text = `{
      "account": { "id": "a\\"1", "positions": [ { "amount": "1" }, {}, [], { "amount": 9007199254740993, "decimals": 18 } ] },
      "odd key \\" ,[{": [1, -12345678901234567890, 2],
      "USDC.e": 1E20,
      "ok": [9007199254740991, -9007199254740991, 1.5, 1e400, "9007199254740993", true, null, false]
    }`;
    expect(findUnsafeIntegers(text)).toEqual([
      { path: ['account', 'positions', 3, 'amount'], literal: '9007199254740993', value: 9007199254740992 },
      { path: ['odd key " ,[{', 1], literal: '-12345678901234567890', value: -12345678901234567000 },
      { path: ['USDC.e'], literal: '1E20', value: 1e20 },
    ]);
  });

  it('counts 2^53 itself (exact, but indistinguishable from 2^53 + 1) and a decimal that rounds to a whole number', () => {
    expect(findUnsafeIntegers('[9007199254740992, 12345678901234567.8, 0.5]').map((u) => [u.path, u.literal])).toEqual([
      [[0], '9007199254740992'],
      [[1], '12345678901234567.8'],
    ]);
  });

  it('finds nothing in safe JSON, at the root or nested', () => {
    expect(findUnsafeIntegers('42')).toEqual([]);
    expect(findUnsafeIntegers('{"a":{"b":[{"c":[]},"x",{"d":-0.000001}]}}')).toEqual([]);
  });
});

describe('parseJson', () => {
  it('parses JSON whose integers are safe', () => {
    expect(parseJson('{ "amount": 9007199254740991, "price": "20000.5" }')).toEqual({ amount: 9007199254740991, price: '20000.5' });
  });

  it('refuses an integer beyond 2^53 − 1 naming the field, as written, and says to write it as a string', () => {
    expect(catchError(() => parseJson('{ "accounts": [ { "positions": [ { "amount": 6000000000000000001 } ] } ] }'))).toEqual(
      expect.objectContaining({
        name: 'InvalidInputError',
        field: 'accounts[0].positions[0].amount',
        shortMessage:
          '6000000000000000001 is beyond 2^53 − 1 (9007199254740991) and reads as 6000000000000000000: a JSON number that large loses digits; write it as a string, e.g. "6000000000000000001"',
        details: { written: '6000000000000000001', readAs: '6000000000000000000' },
      }),
    );
  });

  it('quotes a key that is not an identifier: configs["USDC.e"].tiers[0].upTo', () => {
    expect(catchError(() => parseJson('{ "configs": { "USDC.e": { "tiers": [ { "upTo": 2.5e16 } ] } } }'))).toEqual(
      expect.objectContaining({ field: 'configs["USDC.e"].tiers[0].upTo', details: { written: '2.5e16', readAs: '25000000000000000' } }),
    );
  });

  it('invalid JSON → InvalidInputError on the field given', () => {
    expect(() => parseJson('{ not json', 'input')).toThrow(InvalidInputError);
    const notJson: unknown = expect.stringMatching(/^not valid JSON: /); // jest's matchers are typed any
    expect(catchError(() => parseJson('[1,]'))).toEqual(expect.objectContaining({ field: 'input', shortMessage: notJson }));
  });
});
