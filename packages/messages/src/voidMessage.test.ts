import { voidMessage as arbVoid } from '../test-utils/arbitraries';
import { bodySuite } from '../test-utils/bodySuite';
import { catchError } from '../test-utils/catchError';
import { packedVoid } from '../test-utils/packed';
import { loadVectors } from '../test-utils/vectors';
import { InvalidFieldError } from './errors';
import { toBytes } from './hex';
import { MESSAGE_TYPE_OFFSET, MessageType, VERSION_OFFSET } from './messageType';
import {
  ACCOUNT_OFFSET,
  ASSET_OFFSET,
  DEPOSIT_NONCE_OFFSET,
  RAW_AMOUNT_OFFSET,
  REASON_OFFSET,
  REFUND_TO_OFFSET,
  SRC_EID_OFFSET,
  SRC_VAULT_OFFSET,
  VOID_MESSAGE_LAYOUT,
  VOID_MESSAGE_LENGTH,
  type VoidMessage,
  VoidReason,
  decodeVoidMessage,
  encodeVoidMessage,
  voidMessageFromJson,
  voidMessageToJson,
} from './voidMessage';

const vectors = loadVectors();

const sample: VoidMessage = {
  version: 1,
  messageType: MessageType.Void,
  account: `0x${'0a'.repeat(32)}`,
  srcEid: 40101,
  srcVault: `0x${'00'.repeat(12)}${'bb'.repeat(20)}`,
  asset: `0x${'00'.repeat(12)}${'cc'.repeat(20)}`,
  depositNonce: 4n,
  rawAmount: 1_000_000n,
  refundTo: `0x${'00'.repeat(12)}${'dd'.repeat(20)}`,
  reason: VoidReason.InvalidDeposit,
};

bodySuite({
  title: 'VOID',
  type: MessageType.Void,
  length: VOID_MESSAGE_LENGTH,
  layout: [
    ['version', VERSION_OFFSET, 1], ['messageType', MESSAGE_TYPE_OFFSET, 1], ['account', ACCOUNT_OFFSET, 32], ['srcEid', SRC_EID_OFFSET, 4],
    ['srcVault', SRC_VAULT_OFFSET, 32], ['asset', ASSET_OFFSET, 32], ['depositNonce', DEPOSIT_NONCE_OFFSET, 8], ['rawAmount', RAW_AMOUNT_OFFSET, 16],
    ['refundTo', REFUND_TO_OFFSET, 32], ['reason', REASON_OFFSET, 1],
  ],
  encode: encodeVoidMessage,
  decode: decodeVoidMessage,
  toJson: voidMessageToJson,
  fromJson: voidMessageFromJson,
  packed: packedVoid,
  arbitrary: arbVoid,
  vectors: vectors.voidMessages,
  invalid: vectors.invalidVoidMessages,
  integers: [['srcEid', 32, 'number'], ['depositNonce', 64, 'bigint'], ['rawAmount', 128, 'bigint'], ['reason', 8, 'number']],
  bytes32: ['account', 'srcVault', 'asset', 'refundTo'],
  makeValid: (b) => {
    b[REASON_OFFSET] = ((b[REASON_OFFSET] ?? 0) % 3) + 1; // reason ∈ {1, 2, 3}
    b[REFUND_TO_OFFSET + 31] = (b[REFUND_TO_OFFSET + 31] ?? 0) | 1; // refundTo ≠ 0
  },
  sample,
});

describe('VOID specifics', () => {
  it('offsets and length are the spec table (docs/two-way-book.md)', () => {
    expect(VOID_MESSAGE_LAYOUT).toEqual({
      VERSION_OFFSET: 0, MESSAGE_TYPE_OFFSET: 1, ACCOUNT_OFFSET: 2, SRC_EID_OFFSET: 34, SRC_VAULT_OFFSET: 38, ASSET_OFFSET: 70,
      DEPOSIT_NONCE_OFFSET: 102, RAW_AMOUNT_OFFSET: 110, REFUND_TO_OFFSET: 126, REASON_OFFSET: 158, LENGTH: 159,
    });
    expect([VoidReason.UnsupportedAsset, VoidReason.InvalidDeposit, VoidReason.Operator]).toEqual([1, 2, 3]);
  });

  it('vector file: every reason, a zero amount, a void with the guid of a credit of the file', () => {
    const v = vectors.voidMessages;
    expect(new Set(v.map((x) => x.fields.reason))).toEqual(new Set([1, 2, 3]));
    expect(v.some((x) => x.fields.rawAmount === '0')).toBe(true);
    const sameGuid = v.find((x) => vectors.creditMessages.some((c) => c.guid === x.guid));
    expect(sameGuid).toBeDefined();
    const credit = vectors.creditMessages.find((c) => c.guid === sameGuid?.guid);
    expect(credit?.fields.depositNonce).toBe(sameGuid?.fields.depositNonce);
    // The refund withdrawal of the file refunds a void of the file.
    const refund = vectors.withdrawalMessages.find((w) => w.fields.voidedNonce !== '0' && w.fields.vault === v[1]?.fields.srcVault);
    expect(refund?.fields).toMatchObject({ voidedNonce: v[1]?.fields.depositNonce, rawAmount: v[1]?.fields.rawAmount, recipient: v[1]?.fields.refundTo });
  });

  it('a zero rawAmount is allowed', () => {
    const m = { ...sample, rawAmount: 0n };
    expect(decodeVoidMessage(encodeVoidMessage(m))).toEqual(m);
  });

  it.each([0, 4, 255])('encode and decode: InvalidFieldError names reason for %i', (reason) => {
    const e = catchError(() => encodeVoidMessage({ ...sample, reason })); // a deliberately bad reason
    expect(e).toBeInstanceOf(InvalidFieldError);
    expect(e).toMatchObject({ field: 'reason', value: String(reason), rule: 'must be one of 1, 2, 3' });
    const b = toBytes(encodeVoidMessage(sample));
    b[REASON_OFFSET] = reason;
    const d = catchError(() => decodeVoidMessage(b));
    expect(d).toBeInstanceOf(InvalidFieldError);
    expect(d).toMatchObject({ field: 'reason', value: String(reason) });
  });

  it('InvalidFieldError names refundTo when it is zero; reason is checked first', () => {
    const zero = `0x${'00'.repeat(32)}` as const;
    const e = catchError(() => encodeVoidMessage({ ...sample, refundTo: zero }));
    expect(e).toBeInstanceOf(InvalidFieldError);
    expect(e).toMatchObject({ field: 'refundTo', value: zero, rule: 'must not be zero' });
    const b = toBytes(encodeVoidMessage(sample));
    b.fill(0, REFUND_TO_OFFSET, REFUND_TO_OFFSET + 32);
    expect(catchError(() => decodeVoidMessage(b))).toMatchObject({ name: 'InvalidFieldError', field: 'refundTo' });
    b[REASON_OFFSET] = 0;
    expect(catchError(() => decodeVoidMessage(b))).toMatchObject({ name: 'InvalidFieldError', field: 'reason' });
  });
});
