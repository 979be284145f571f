import {
  FieldOutOfRangeError,
  GuidMismatchError,
  HeaderMismatchError,
  InvalidAddressError,
  InvalidFieldError,
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
    [new UnsupportedMessageTypeError({ messageType: 3 }), 'UnsupportedMessageTypeError', 'UnsupportedMessageType', { messageType: 3, expected: 1 }],
    [new UnsupportedMessageTypeError({ messageType: 1, expected: 2 }), 'UnsupportedMessageTypeError', 'UnsupportedMessageType', { messageType: 1, expected: 2 }],
    [new InvalidFieldError({ field: 'rawAmount', value: '0', rule: 'must be > 0' }), 'InvalidFieldError', 'InvalidField', { field: 'rawAmount', value: '0', rule: 'must be > 0' }],
    [new NonCanonicalAddressError({ value: '0x01' }), 'NonCanonicalAddressError', 'NonCanonicalAddress', { value: '0x01' }],
    [new InvalidHexError({ value: '0xz', field: 'account' }), 'InvalidHexError', 'InvalidHex', { value: '0xz', field: 'account' }],
    [new InvalidAddressError({ value: 'nope', cause }), 'InvalidAddressError', 'InvalidAddress', { value: 'nope', cause }],
    [new FieldOutOfRangeError({ field: 'srcEid', max: 10n, value: 11 }), 'FieldOutOfRangeError', 'FieldOutOfRange', { field: 'srcEid', min: 0n, max: 10n, value: 11 }],
    [new GuidMismatchError({ expected: '0xaa', actual: '0xbb' }), 'GuidMismatchError', 'GuidMismatch', { expected: '0xaa', actual: '0xbb' }],
    [new HeaderMismatchError({ field: 'nonce', header: '1', body: '2' }), 'HeaderMismatchError', 'HeaderMismatch', { field: 'nonce', header: '1', body: '2' }],
    [new HeaderMismatchError({ field: 'receiver', header: '0x01', body: '0x02' }), 'HeaderMismatchError', 'HeaderMismatch', { field: 'receiver', header: '0x01', body: '0x02' }],
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

  it('names the known types in the details, unless the thrower says more', () => {
    expect(new UnsupportedMessageTypeError({ messageType: 3 }).details).toBe('type 3 is REVALUATION');
    expect(new UnsupportedMessageTypeError({ messageType: 3, expected: null, details: 'not in a packet' }).details).toBe('not in a packet');
    expect(new UnsupportedMessageTypeError({ messageType: 2 }).details).toBe('type 2 is WITHDRAWAL');
    expect(new UnsupportedMessageTypeError({ messageType: 5, expected: 4 }).details).toBe('type 5 is VOID');
    expect(new UnsupportedMessageTypeError({ messageType: 9 }).details).toBeUndefined();
  });

  it('UnsupportedMessageTypeError names the type the decoder reads, or none for a multi-type decoder', () => {
    expect(new UnsupportedMessageTypeError({ messageType: 1, expected: 4 }).shortMessage).toBe(
      'Unsupported message type 1: this decoder accepts only RELEASE_RESULT (4).',
    );
    const any = new UnsupportedMessageTypeError({ messageType: 3, expected: null });
    expect(any.expected).toBeNull();
    expect(any.shortMessage).toBe('Unsupported message type 3: this decoder accepts only the known message types.');
  });

  it('InvalidFieldError names the field, its value and the rule', () => {
    expect(new InvalidFieldError({ field: 'status', value: '3', rule: 'must be one of 1, 2' }).shortMessage).toBe(
      'Invalid field "status": 3 must be one of 1, 2.',
    );
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
