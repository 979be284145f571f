import { solidityPacked } from 'ethers';
import fc from 'fast-check';
import { creditMessage as arbCreditMessage } from '../test-utils/arbitraries';
import { catchError } from '../test-utils/catchError';
import { loadVectors } from '../test-utils/vectors';
import {
  ACCOUNT_OFFSET,
  ASSET_DECIMALS_OFFSET,
  ASSET_OFFSET,
  type CreditMessage,
  DEPOSIT_NONCE_OFFSET,
  HAIRCUT_OFFSET,
  HAIRCUT_VALUE_OFFSET,
  MESSAGE_LENGTH,
  MESSAGE_TYPE_OFFSET,
  MessageType,
  PRICE_OFFSET,
  PRICE_TIMESTAMP_OFFSET,
  RAW_AMOUNT_OFFSET,
  SIZE_WEIGHT_OFFSET,
  SRC_EID_OFFSET,
  SRC_VAULT_OFFSET,
  VERSION_OFFSET,
  decodeCreditMessage,
  encodeCreditMessage,
} from './creditMessage';
import { creditMessageFromJson, creditMessageToJson } from './creditMessageJson';
import {
  FieldOutOfRangeError,
  InvalidHexError,
  InvalidLengthError,
  MessagesError,
  UnsupportedMessageTypeError,
  UnsupportedVersionError,
} from './errors';
import { bytesToHex, toBytes } from './hex';

const vectors = loadVectors();

/** The spec table (docs/credit-message.md) written as abi.encodePacked with ethers: independent of the offsets above. */
function ethersEncode(m: CreditMessage): string {
  return solidityPacked(
    ['uint8', 'uint8', 'bytes32', 'uint32', 'bytes32', 'bytes32', 'uint8', 'uint64', 'uint128', 'uint128', 'uint128', 'uint64', 'uint64', 'uint64'],
    [m.version, m.messageType, m.account, m.srcEid, m.srcVault, m.asset, m.assetDecimals, m.depositNonce, m.rawAmount, m.haircutValue, m.price, m.priceTimestamp, m.haircut, m.sizeWeight],
  );
}

const sample: CreditMessage = {
  version: 1,
  messageType: MessageType.Credit,
  account: `0x${'0a'.repeat(32)}`,
  srcEid: 40101,
  srcVault: `0x${'00'.repeat(12)}${'bb'.repeat(20)}`,
  asset: `0x${'00'.repeat(12)}${'cc'.repeat(20)}`,
  assetDecimals: 6,
  depositNonce: 5n,
  rawAmount: 1_000_000n,
  haircutValue: 980_000_000_000_000_000n,
  price: 10n ** 18n,
  priceTimestamp: 1_700_000_000n,
  haircut: 2n * 10n ** 16n,
  sizeWeight: 10n ** 18n,
};

describe('layout constants', () => {
  it('are contiguous and match docs/credit-message.md', () => {
    const layout: [number, number][] = [
      [VERSION_OFFSET, 1], [MESSAGE_TYPE_OFFSET, 1], [ACCOUNT_OFFSET, 32], [SRC_EID_OFFSET, 4], [SRC_VAULT_OFFSET, 32],
      [ASSET_OFFSET, 32], [ASSET_DECIMALS_OFFSET, 1], [DEPOSIT_NONCE_OFFSET, 8], [RAW_AMOUNT_OFFSET, 16],
      [HAIRCUT_VALUE_OFFSET, 16], [PRICE_OFFSET, 16], [PRICE_TIMESTAMP_OFFSET, 8], [HAIRCUT_OFFSET, 8], [SIZE_WEIGHT_OFFSET, 8],
    ];
    let next = 0;
    for (const [offset, size] of layout) {
      expect(offset).toBe(next);
      next = offset + size;
    }
    expect(next).toBe(MESSAGE_LENGTH);
    expect([SRC_EID_OFFSET, DEPOSIT_NONCE_OFFSET, SIZE_WEIGHT_OFFSET, MESSAGE_LENGTH]).toEqual([34, 103, 175, 183]);
  });

  it('puts each field at its offset, big-endian', () => {
    const b = toBytes(encodeCreditMessage({ ...sample, srcEid: 0x01020304, depositNonce: 0x0102030405060708n }));
    expect(Array.from(b.subarray(SRC_EID_OFFSET, SRC_EID_OFFSET + 4))).toEqual([1, 2, 3, 4]);
    expect(Array.from(b.subarray(DEPOSIT_NONCE_OFFSET, DEPOSIT_NONCE_OFFSET + 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(b[ASSET_DECIMALS_OFFSET]).toBe(6);
    expect(bytesToHex(b.subarray(ACCOUNT_OFFSET, ACCOUNT_OFFSET + 32))).toBe(sample.account);
  });
});

describe('vector file: creditMessages', () => {
  it('has the cases the brief asks for', () => {
    const decimals = new Set(vectors.creditMessages.map((v) => v.fields.assetDecimals));
    expect(decimals.has(6) && decimals.has(18)).toBe(true);
    expect(vectors.creditMessages.length).toBeGreaterThanOrEqual(6);
    expect(vectors.creditMessages.some((v) => v.fields.depositNonce === '18446744073709551615')).toBe(true);
    expect(vectors.creditMessages.some((v) => v.fields.rawAmount === ((1n << 128n) - 1n).toString())).toBe(true);
    expect(vectors.creditMessages.some((v) => v.fields.haircut === '0')).toBe(true);
    expect(vectors.creditMessages.some((v) => !v.fields.account.startsWith(`0x${'00'.repeat(12)}`))).toBe(true);
  });

  it.each(vectors.creditMessages.map((v) => [v.name, v] as const))('%s: fields → bytes equals the file', (_name, v) => {
    expect(encodeCreditMessage(creditMessageFromJson(v.fields))).toBe(v.message);
    expect(ethersEncode(creditMessageFromJson(v.fields))).toBe(v.message);
  });

  it.each(vectors.creditMessages.map((v) => [v.name, v] as const))('%s: bytes → fields equals the file', (_name, v) => {
    const decoded = decodeCreditMessage(v.message as `0x${string}`); // vector bytes are 0x hex
    expect(creditMessageToJson(decoded)).toEqual(v.fields);
    expect(decodeCreditMessage(toBytes(v.message as `0x${string}`))).toEqual(decoded); // Uint8Array input too
  });
});

describe('vector file: invalidMessages', () => {
  it('covers every required case', () => {
    const names = vectors.invalidMessages.map((v) => v.name);
    for (const n of ['empty', 'too short', 'too long', 'version 2', 'type 2', 'type 3', 'type 0']) {
      expect(names.some((x) => x.startsWith(n))).toBe(true);
    }
  });

  it.each(vectors.invalidMessages.map((v) => [v.name, v] as const))('%s → %s', (_name, v) => {
    let caught: unknown;
    try {
      decodeCreditMessage(v.message as `0x${string}`); // vector bytes are 0x hex
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MessagesError);
    expect((caught as MessagesError).code).toBe(v.error); // checked to be a MessagesError just above
  });
});

describe('decodeCreditMessage errors', () => {
  const valid = encodeCreditMessage(sample);

  it('InvalidLengthError carries expected and actual', () => {
    const e = catchError(() => decodeCreditMessage(`${valid}0000`));
    expect(e).toBeInstanceOf(InvalidLengthError);
    expect(e).toMatchObject({ name: 'InvalidLengthError', code: 'InvalidLength', expected: 183, actual: 185, subject: 'message' });
  });

  it('UnsupportedVersionError carries the version', () => {
    const e = catchError(() => decodeCreditMessage(`0x07${valid.slice(4)}`));
    expect(e).toBeInstanceOf(UnsupportedVersionError);
    expect(e).toMatchObject({ name: 'UnsupportedVersionError', code: 'UnsupportedVersion', version: 7 });
  });

  it.each([0, 2, 3, 4, 255])('UnsupportedMessageTypeError for type %i', (t) => {
    const e = catchError(() => decodeCreditMessage(`0x01${t.toString(16).padStart(2, '0')}${valid.slice(6)}`));
    expect(e).toBeInstanceOf(UnsupportedMessageTypeError);
    expect(e).toMatchObject({ name: 'UnsupportedMessageTypeError', code: 'UnsupportedMessageType', messageType: t });
  });

  it.each(['', '0x0', '0xzz', 'deadbeef', `0x${'g'.repeat(366)}`])('InvalidHexError for %j', (s) => {
    // Deliberately not hex: the decoder must refuse it at runtime.
    const e = catchError(() => decodeCreditMessage(s as `0x${string}`));
    expect(e).toBeInstanceOf(InvalidHexError);
    expect(e).toMatchObject({ name: 'InvalidHexError', code: 'InvalidHex', field: 'message' });
  });

  it('returns bytes32 fields lowercase', () => {
    const decoded = decodeCreditMessage(valid.toUpperCase().replace('0X', '0x') as `0x${string}`); // still hex, uppercase digits
    expect(decoded.srcVault).toBe(sample.srcVault.toLowerCase());
    expect(decoded).toEqual(sample);
  });
});

describe('encodeCreditMessage range checks', () => {
  const cases: [keyof CreditMessage, unknown, bigint][] = [
    ['srcEid', 2 ** 32, (1n << 32n) - 1n],
    ['srcEid', -1, (1n << 32n) - 1n],
    ['srcEid', 1.5, (1n << 32n) - 1n],
    ['assetDecimals', 256, 255n],
    ['depositNonce', 1n << 64n, (1n << 64n) - 1n],
    ['depositNonce', -1n, (1n << 64n) - 1n],
    ['rawAmount', 1n << 128n, (1n << 128n) - 1n],
    ['haircutValue', 1n << 128n, (1n << 128n) - 1n],
    ['price', 1n << 128n, (1n << 128n) - 1n],
    ['priceTimestamp', 1n << 64n, (1n << 64n) - 1n],
    ['haircut', 1n << 64n, (1n << 64n) - 1n],
    ['sizeWeight', 1n << 64n, (1n << 64n) - 1n],
    ['rawAmount', 5, (1n << 128n) - 1n],
    ['srcEid', 5n, (1n << 32n) - 1n],
  ];
  it.each(cases)('FieldOutOfRangeError names %s = %p', (field, value, max) => {
    // Deliberately wrong values: the encoder must refuse them at runtime.
    const e = catchError(() => encodeCreditMessage({ ...sample, [field]: value }));
    expect(e).toBeInstanceOf(FieldOutOfRangeError);
    expect(e).toMatchObject({ name: 'FieldOutOfRangeError', code: 'FieldOutOfRange', field, max, value });
  });

  it('accepts the maxima', () => {
    const max = { ...sample, srcEid: 2 ** 32 - 1, assetDecimals: 255, depositNonce: (1n << 64n) - 1n, rawAmount: (1n << 128n) - 1n };
    expect(decodeCreditMessage(encodeCreditMessage(max))).toEqual(max);
  });

  it('refuses version ≠ 1 and type ≠ CREDIT', () => {
    expect(catchError(() => encodeCreditMessage({ ...sample, version: 2 as 1 }))).toBeInstanceOf(UnsupportedVersionError); // runtime check
    const t = catchError(() => encodeCreditMessage({ ...sample, messageType: MessageType.Withdrawal as MessageType.Credit })); // runtime check
    expect(t).toBeInstanceOf(UnsupportedMessageTypeError);
  });

  it('refuses bytes32 fields of the wrong length or not hex', () => {
    const short = catchError(() => encodeCreditMessage({ ...sample, srcVault: `0x${'bb'.repeat(20)}` }));
    expect(short).toMatchObject({ name: 'InvalidLengthError', subject: 'srcVault', expected: 32, actual: 20 });
    const bad = catchError(() => encodeCreditMessage({ ...sample, asset: `0x${'zz'.repeat(32)}` }));
    expect(bad).toMatchObject({ name: 'InvalidHexError', field: 'asset' });
  });
});

describe('properties', () => {
  it('encode → decode is the identity', () => {
    fc.assert(
      fc.property(arbCreditMessage, (msg) => {
        const hex = encodeCreditMessage(msg);
        expect(hex.length).toBe(2 + 2 * MESSAGE_LENGTH);
        expect(hex).toBe(ethersEncode(msg));
        expect(decodeCreditMessage(hex)).toEqual(msg);
      }),
      { numRuns: 300 },
    );
  });

  it('decode → encode is the identity on valid bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: MESSAGE_LENGTH, maxLength: MESSAGE_LENGTH }), (b) => {
        b[0] = 1;
        b[1] = 1;
        expect(encodeCreditMessage(decodeCreditMessage(b))).toBe(bytesToHex(b));
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes of any length never crash the decoder with anything but a MessagesError', () => {
    const nearValid = fc.uint8Array({ minLength: 180, maxLength: 186 }).map((b) => {
      if (b.length > 1) b[0] = 1;
      return b;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), nearValid), fc.boolean(), (b, asHex) => {
        try {
          decodeCreditMessage(asHex ? bytesToHex(b) : b);
        } catch (e) {
          expect(e).toBeInstanceOf(MessagesError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('random strings never crash the decoder with anything but a MessagesError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        try {
          decodeCreditMessage(s as `0x${string}`); // arbitrary runtime input
        } catch (e) {
          expect(e).toBeInstanceOf(MessagesError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
