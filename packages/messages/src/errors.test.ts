import {
  FieldOutOfRangeError,
  GuidMismatchError,
  HeaderMismatchError,
  InvalidAddressError,
  InvalidHexError,
  InvalidLengthError,
  InvalidSignatureError,
  MessagesError,
  NonCanonicalAddressError,
  SignerOrderError,
  UnsupportedMessageTypeError,
  UnsupportedVersionError,
} from './errors';

describe('errors', () => {
  const cause = new Error('low-level failure');
  const cases: [MessagesError, string, string, Record<string, unknown>][] = [
    [new InvalidLengthError({ expected: 183, actual: 3 }), 'InvalidLengthError', 'InvalidLength', { expected: 183, actual: 3, subject: 'message', comparison: 'exact' }],
    [new UnsupportedVersionError({ version: 2 }), 'UnsupportedVersionError', 'UnsupportedVersion', { version: 2, supported: 1, subject: 'message' }],
    [new UnsupportedMessageTypeError({ messageType: 3 }), 'UnsupportedMessageTypeError', 'UnsupportedMessageType', { messageType: 3 }],
    [new NonCanonicalAddressError({ value: '0x01' }), 'NonCanonicalAddressError', 'NonCanonicalAddress', { value: '0x01' }],
    [new InvalidHexError({ value: '0xz', field: 'account' }), 'InvalidHexError', 'InvalidHex', { value: '0xz', field: 'account' }],
    [new InvalidAddressError({ value: 'nope', cause }), 'InvalidAddressError', 'InvalidAddress', { value: 'nope', cause }],
    [new FieldOutOfRangeError({ field: 'srcEid', max: 10n, value: 11 }), 'FieldOutOfRangeError', 'FieldOutOfRange', { field: 'srcEid', min: 0n, max: 10n, value: 11 }],
    [new GuidMismatchError({ expected: '0xaa', actual: '0xbb' }), 'GuidMismatchError', 'GuidMismatch', { expected: '0xaa', actual: '0xbb' }],
    [new HeaderMismatchError({ field: 'nonce', header: '1', body: '2' }), 'HeaderMismatchError', 'HeaderMismatch', { field: 'nonce', header: '1', body: '2' }],
    [new InvalidSignatureError({ reason: 's is zero', index: 2, cause }), 'InvalidSignatureError', 'InvalidSignature', { reason: 's is zero', index: 2, cause }],
    [new SignerOrderError({ index: 1, previous: '0x02', current: '0x01' }), 'SignerOrderError', 'SignerOrder', { index: 1, previous: '0x02', current: '0x01' }],
  ];

  it.each(cases.map(([e, name, code, fields]) => [name, e, code, fields] as const))('%s', (name, e, code, fields) => {
    expect(e).toBeInstanceOf(MessagesError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe(name);
    expect(e.code).toBe(code);
    expect(e.shortMessage.length).toBeGreaterThan(0);
    expect(e.message.startsWith(e.shortMessage)).toBe(true);
    expect(e).toMatchObject(fields);
    expect(String(e)).toContain(name);
  });

  it('puts details and the cause in the message', () => {
    const e = new InvalidSignatureError({ reason: 'does not recover', cause });
    expect(e.message).toContain('Cause: low-level failure');
    const n = new NonCanonicalAddressError({ value: '0x01' });
    expect(n.details).toContain('12 zero bytes');
    expect(n.message).toContain(`Details: ${n.details}`);
  });

  it('marks reserved message types in the details', () => {
    expect(new UnsupportedMessageTypeError({ messageType: 2 }).details).toContain('reserved');
    expect(new UnsupportedMessageTypeError({ messageType: 9 }).details).toBeUndefined();
  });

  it('InvalidLengthError with comparison min says "at least"', () => {
    expect(new InvalidLengthError({ expected: 113, actual: 5, subject: 'packet', comparison: 'min' }).shortMessage).toBe(
      'Invalid packet length: expected at least 113 bytes, got 5.',
    );
  });

  it('SignerOrderError tells a duplicate from a wrong order', () => {
    expect(new SignerOrderError({ index: 1, previous: '0xAB', current: '0xab' }).shortMessage).toContain('duplicate');
    expect(new SignerOrderError({ index: 1, previous: '0x02', current: '0x01' }).shortMessage).toContain('not greater');
  });

  it('InvalidHexError shortens a long value', () => {
    const e = new InvalidHexError({ value: `0x${'z'.repeat(500)}` });
    expect(e.shortMessage.length).toBeLessThan(120);
    expect(e.value.length).toBe(502);
  });
});
