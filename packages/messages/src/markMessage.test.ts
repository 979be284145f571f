import { markMessage as arbMark } from '../test-utils/arbitraries';
import { bodySuite } from '../test-utils/bodySuite';
import { catchError } from '../test-utils/catchError';
import { packedMark } from '../test-utils/packed';
import { loadVectors } from '../test-utils/vectors';
import { InvalidFieldError, UnsupportedMessageTypeError } from './errors';
import { bytesToHex, toBytes } from './hex';
import {
  ASSET_OFFSET,
  HAIRCUT_OFFSET,
  MARK_MESSAGE_LAYOUT,
  MARK_MESSAGE_LENGTH,
  MARK_NONCE_OFFSET,
  MAX_MARK_HAIRCUT,
  type MarkMessage,
  PRICE_OFFSET,
  PRICE_TIMESTAMP_OFFSET,
  SRC_EID_OFFSET,
  decodeMarkMessage,
  encodeMarkMessage,
  markMessageFromJson,
  markMessageToJson,
} from './markMessage';
import { MESSAGE_TYPE_OFFSET, MessageType, VERSION_OFFSET } from './messageType';
import { writeUintBE } from './uint';

const vectors = loadVectors();
const E18 = 10n ** 18n;

const sample: MarkMessage = {
  version: 1,
  messageType: MessageType.Revaluation,
  srcEid: 40101,
  asset: `0x${'00'.repeat(12)}${'cc'.repeat(20)}`,
  markNonce: 9n,
  price: 999_800_000_000_000_000n,
  priceTimestamp: 1_700_000_000n,
  haircut: 2n * 10n ** 16n,
};

bodySuite({
  title: 'REVALUATION',
  type: MessageType.Revaluation,
  length: MARK_MESSAGE_LENGTH,
  layout: [
    ['version', VERSION_OFFSET, 1], ['messageType', MESSAGE_TYPE_OFFSET, 1], ['srcEid', SRC_EID_OFFSET, 4], ['asset', ASSET_OFFSET, 32],
    ['markNonce', MARK_NONCE_OFFSET, 8], ['price', PRICE_OFFSET, 16], ['priceTimestamp', PRICE_TIMESTAMP_OFFSET, 8], ['haircut', HAIRCUT_OFFSET, 8],
  ],
  encode: encodeMarkMessage,
  decode: decodeMarkMessage,
  toJson: markMessageToJson,
  fromJson: markMessageFromJson,
  packed: packedMark,
  arbitrary: arbMark,
  vectors: vectors.markMessages,
  invalid: vectors.invalidMarkMessages,
  integers: [['srcEid', 32, 'number'], ['markNonce', 64, 'bigint'], ['price', 128, 'bigint'], ['priceTimestamp', 64, 'bigint'], ['haircut', 64, 'bigint']],
  bytes32: ['asset'],
  makeValid: (b) => {
    b[HAIRCUT_OFFSET] = (b[HAIRCUT_OFFSET] ?? 0) % 0x0d; // top byte ≤ 0x0c: haircut < 0x0d00000000000000 < 1e18 (0x0de0b6b3a7640000)
  },
  sample,
});

describe('REVALUATION specifics', () => {
  it('offsets and length are the spec table (docs/credit-message.md)', () => {
    expect(MARK_MESSAGE_LAYOUT).toEqual({
      VERSION_OFFSET: 0, MESSAGE_TYPE_OFFSET: 1, SRC_EID_OFFSET: 2, ASSET_OFFSET: 6, MARK_NONCE_OFFSET: 38, PRICE_OFFSET: 46,
      PRICE_TIMESTAMP_OFFSET: 62, HAIRCUT_OFFSET: 70, LENGTH: 78,
    });
    expect(MAX_MARK_HAIRCUT).toBe(E18);
  });

  it('vector file: the edge values (max uint128 price, haircut 0 and 1e18, the receiver bounds) and a haircut > 1e18', () => {
    const fields = vectors.markMessages.map((v) => v.fields);
    expect(fields.some((f) => f.price === ((1n << 128n) - 1n).toString())).toBe(true);
    expect(fields.some((f) => f.haircut === '0')).toBe(true);
    expect(fields.some((f) => f.haircut === E18.toString())).toBe(true);
    expect(fields.some((f) => f.markNonce === ((1n << 32n) - 1n).toString() && f.price === ((1n << 112n) - 1n).toString())).toBe(true);
    expect(fields.some((f) => !f.asset.startsWith(`0x${'00'.repeat(12)}`))).toBe(true);
    const overHaircut = vectors.invalidMarkMessages.filter((v) => v.error === 'InvalidField');
    expect(overHaircut.length).toBeGreaterThan(0);
    for (const v of overHaircut) {
      expect(v.field).toBe('haircut');
      expect(BigInt(`0x${v.message.slice(2 + 2 * HAIRCUT_OFFSET, 2 + 2 * (HAIRCUT_OFFSET + 8))}`)).toBeGreaterThan(E18);
    }
  });

  it.each([0n, 1n, E18 - 1n, E18])('haircut %p is allowed', (haircut) => {
    const m = { ...sample, haircut };
    expect(decodeMarkMessage(encodeMarkMessage(m))).toEqual(m);
  });

  it('a price of max uint128 and every other field at its max round-trip', () => {
    const m: MarkMessage = {
      ...sample, srcEid: 2 ** 32 - 1, asset: `0x${'ff'.repeat(32)}`, markNonce: (1n << 64n) - 1n, price: (1n << 128n) - 1n,
      priceTimestamp: (1n << 64n) - 1n, haircut: E18,
    };
    expect(decodeMarkMessage(encodeMarkMessage(m))).toEqual(m);
  });

  it.each([E18 + 1n, 2n * E18, (1n << 64n) - 1n])('encode and decode: InvalidFieldError names haircut for %p', (haircut) => {
    const e = catchError(() => encodeMarkMessage({ ...sample, haircut }));
    expect(e).toBeInstanceOf(InvalidFieldError);
    expect(e).toMatchObject({ field: 'haircut', value: haircut.toString(), rule: `must be ≤ ${E18}` });
    const b = toBytes(encodeMarkMessage(sample));
    writeUintBE(b, HAIRCUT_OFFSET, 8, haircut);
    const d = catchError(() => decodeMarkMessage(bytesToHex(b)));
    expect(d).toBeInstanceOf(InvalidFieldError);
    expect(d).toMatchObject({ field: 'haircut', value: haircut.toString() });
  });

  it('the type is checked before the haircut rule', () => {
    const b = toBytes(encodeMarkMessage(sample));
    writeUintBE(b, HAIRCUT_OFFSET, 8, E18 + 1n);
    b[MESSAGE_TYPE_OFFSET] = MessageType.Credit;
    const e = catchError(() => decodeMarkMessage(b));
    expect(e).toBeInstanceOf(UnsupportedMessageTypeError);
    expect(e).toMatchObject({ messageType: 1, expected: 3 });
  });

  it('the receiver bounds (markNonce ≤ 2^32 − 1, price ≤ 2^112 − 1) are not the codec’s: larger values encode and decode', () => {
    const m = { ...sample, markNonce: 1n << 32n, price: 1n << 112n };
    expect(decodeMarkMessage(encodeMarkMessage(m))).toEqual(m);
  });
});
