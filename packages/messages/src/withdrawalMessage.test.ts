import { withdrawalMessage as arbWithdrawal } from '../test-utils/arbitraries';
import { bodySuite } from '../test-utils/bodySuite';
import { catchError } from '../test-utils/catchError';
import { packedWithdrawal } from '../test-utils/packed';
import { loadVectors } from '../test-utils/vectors';
import { InvalidFieldError } from './errors';
import { bytesToHex, toBytes } from './hex';
import { MESSAGE_TYPE_OFFSET, MessageType, VERSION_OFFSET } from './messageType';
import {
  ACCOUNT_OFFSET,
  ASSET_OFFSET,
  RAW_AMOUNT_OFFSET,
  RECIPIENT_OFFSET,
  VAULT_EID_OFFSET,
  VAULT_OFFSET,
  VOIDED_NONCE_OFFSET,
  WITHDRAWAL_MESSAGE_LAYOUT,
  WITHDRAWAL_MESSAGE_LENGTH,
  WITHDRAWAL_NONCE_OFFSET,
  type WithdrawalMessage,
  decodeWithdrawalMessage,
  encodeWithdrawalMessage,
  isRefund,
  withdrawalMessageFromJson,
  withdrawalMessageToJson,
} from './withdrawalMessage';

const vectors = loadVectors();

const sample: WithdrawalMessage = {
  version: 1,
  messageType: MessageType.Withdrawal,
  account: `0x${'0a'.repeat(32)}`,
  vaultEid: 40101,
  vault: `0x${'00'.repeat(12)}${'bb'.repeat(20)}`,
  asset: `0x${'00'.repeat(12)}${'cc'.repeat(20)}`,
  recipient: `0x${'00'.repeat(12)}${'dd'.repeat(20)}`,
  withdrawalNonce: 3n,
  rawAmount: 1_000_000n,
  voidedNonce: 0n,
};

bodySuite({
  title: 'WITHDRAWAL',
  type: MessageType.Withdrawal,
  length: WITHDRAWAL_MESSAGE_LENGTH,
  layout: [
    ['version', VERSION_OFFSET, 1], ['messageType', MESSAGE_TYPE_OFFSET, 1], ['account', ACCOUNT_OFFSET, 32],
    ['vaultEid', VAULT_EID_OFFSET, 4], ['vault', VAULT_OFFSET, 32], ['asset', ASSET_OFFSET, 32], ['recipient', RECIPIENT_OFFSET, 32],
    ['withdrawalNonce', WITHDRAWAL_NONCE_OFFSET, 8], ['rawAmount', RAW_AMOUNT_OFFSET, 16], ['voidedNonce', VOIDED_NONCE_OFFSET, 8],
  ],
  encode: encodeWithdrawalMessage,
  decode: decodeWithdrawalMessage,
  toJson: withdrawalMessageToJson,
  fromJson: withdrawalMessageFromJson,
  packed: packedWithdrawal,
  arbitrary: arbWithdrawal,
  vectors: vectors.withdrawalMessages,
  invalid: vectors.invalidWithdrawalMessages,
  integers: [['vaultEid', 32, 'number'], ['withdrawalNonce', 64, 'bigint'], ['rawAmount', 128, 'bigint'], ['voidedNonce', 64, 'bigint']],
  bytes32: ['account', 'vault', 'asset', 'recipient'],
  makeValid: (b) => {
    b[RAW_AMOUNT_OFFSET + 15] = (b[RAW_AMOUNT_OFFSET + 15] ?? 0) | 1; // rawAmount > 0
    b[RECIPIENT_OFFSET + 31] = (b[RECIPIENT_OFFSET + 31] ?? 0) | 1; // recipient ≠ 0
  },
  sample,
});

describe('WITHDRAWAL specifics', () => {
  it('offsets and length are the spec table (docs/two-way-book.md)', () => {
    expect(WITHDRAWAL_MESSAGE_LAYOUT).toEqual({
      VERSION_OFFSET: 0, MESSAGE_TYPE_OFFSET: 1, ACCOUNT_OFFSET: 2, VAULT_EID_OFFSET: 34, VAULT_OFFSET: 38, ASSET_OFFSET: 70,
      RECIPIENT_OFFSET: 102, WITHDRAWAL_NONCE_OFFSET: 134, RAW_AMOUNT_OFFSET: 142, VOIDED_NONCE_OFFSET: 158, LENGTH: 166,
    });
  });

  it('vector file: EVM and 32-byte keys, max values, a refund with voidedNonce > 0', () => {
    const w = vectors.withdrawalMessages;
    expect(w.some((v) => v.fields.voidedNonce !== '0')).toBe(true);
    expect(w.some((v) => v.fields.voidedNonce === '0')).toBe(true);
    expect(w.some((v) => v.fields.rawAmount === ((1n << 128n) - 1n).toString() && v.fields.withdrawalNonce === ((1n << 64n) - 1n).toString())).toBe(true);
    expect(w.some((v) => v.fields.recipient.startsWith(`0x${'00'.repeat(12)}`))).toBe(true);
    expect(w.some((v) => !v.fields.recipient.startsWith(`0x${'00'.repeat(12)}`) && !v.fields.account.startsWith(`0x${'00'.repeat(12)}`))).toBe(true);
  });

  it.each([
    ['rawAmount', { rawAmount: 0n }, '0', 'must be > 0'],
    ['recipient', { recipient: `0x${'00'.repeat(32)}` as const }, `0x${'00'.repeat(32)}`, 'must not be zero'],
  ] as const)('encode: InvalidFieldError names %s', (field, change, value, rule) => {
    const e = catchError(() => encodeWithdrawalMessage({ ...sample, ...change }));
    expect(e).toBeInstanceOf(InvalidFieldError);
    expect(e).toMatchObject({ name: 'InvalidFieldError', code: 'InvalidField', field, value, rule });
  });

  it('decode: InvalidFieldError for a zero amount, then a zero recipient (rawAmount checked first, as the spec lists them)', () => {
    const b = toBytes(encodeWithdrawalMessage(sample));
    b.fill(0, RECIPIENT_OFFSET, RECIPIENT_OFFSET + 32);
    expect(catchError(() => decodeWithdrawalMessage(b))).toMatchObject({ name: 'InvalidFieldError', field: 'recipient' });
    b.fill(0, RAW_AMOUNT_OFFSET, RAW_AMOUNT_OFFSET + 16);
    const both = catchError(() => decodeWithdrawalMessage(bytesToHex(b)));
    expect(both).toBeInstanceOf(InvalidFieldError);
    expect(both).toMatchObject({ field: 'rawAmount' });
  });

  it('a recipient that is not an EVM address (a 32-byte key) is valid', () => {
    const m = { ...sample, recipient: `0x${'ff'.repeat(32)}` as const };
    expect(decodeWithdrawalMessage(encodeWithdrawalMessage(m))).toEqual(m);
  });

  it('isRefund is voidedNonce > 0', () => {
    expect(isRefund(sample)).toBe(false);
    expect(isRefund({ voidedNonce: 4n })).toBe(true);
  });
});
