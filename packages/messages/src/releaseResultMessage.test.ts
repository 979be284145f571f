import { releaseResultMessage as arbReleaseResult } from '../test-utils/arbitraries';
import { bodySuite } from '../test-utils/bodySuite';
import { catchError } from '../test-utils/catchError';
import { packedReleaseResult } from '../test-utils/packed';
import { loadVectors } from '../test-utils/vectors';
import { InvalidFieldError } from './errors';
import { toBytes } from './hex';
import { MESSAGE_TYPE_OFFSET, MessageType, VERSION_OFFSET } from './messageType';
import {
  ACCOUNT_OFFSET,
  ASSET_OFFSET,
  RAW_AMOUNT_OFFSET,
  RELEASE_RESULT_MESSAGE_LAYOUT,
  RELEASE_RESULT_MESSAGE_LENGTH,
  RESULT_NONCE_OFFSET,
  type ReleaseResultMessage,
  ReleaseStatus,
  SRC_EID_OFFSET,
  SRC_VAULT_OFFSET,
  STATUS_OFFSET,
  WITHDRAWAL_GUID_OFFSET,
  WITHDRAWAL_NONCE_OFFSET,
  decodeReleaseResultMessage,
  encodeReleaseResultMessage,
  releaseResultMessageFromJson,
  releaseResultMessageToJson,
} from './releaseResultMessage';

const vectors = loadVectors();

const sample: ReleaseResultMessage = {
  version: 1,
  messageType: MessageType.ReleaseResult,
  srcEid: 40101,
  srcVault: `0x${'00'.repeat(12)}${'bb'.repeat(20)}`,
  resultNonce: 9n,
  withdrawalGuid: `0x${'47'.repeat(32)}`,
  withdrawalNonce: 3n,
  status: ReleaseStatus.Released,
  account: `0x${'0a'.repeat(32)}`,
  asset: `0x${'00'.repeat(12)}${'cc'.repeat(20)}`,
  rawAmount: 1_000_000n,
};

bodySuite({
  title: 'RELEASE_RESULT',
  type: MessageType.ReleaseResult,
  length: RELEASE_RESULT_MESSAGE_LENGTH,
  layout: [
    ['version', VERSION_OFFSET, 1], ['messageType', MESSAGE_TYPE_OFFSET, 1], ['srcEid', SRC_EID_OFFSET, 4], ['srcVault', SRC_VAULT_OFFSET, 32],
    ['resultNonce', RESULT_NONCE_OFFSET, 8], ['withdrawalGuid', WITHDRAWAL_GUID_OFFSET, 32], ['withdrawalNonce', WITHDRAWAL_NONCE_OFFSET, 8],
    ['status', STATUS_OFFSET, 1], ['account', ACCOUNT_OFFSET, 32], ['asset', ASSET_OFFSET, 32], ['rawAmount', RAW_AMOUNT_OFFSET, 16],
  ],
  encode: encodeReleaseResultMessage,
  decode: decodeReleaseResultMessage,
  toJson: releaseResultMessageToJson,
  fromJson: releaseResultMessageFromJson,
  packed: packedReleaseResult,
  arbitrary: arbReleaseResult,
  vectors: vectors.releaseResultMessages,
  invalid: vectors.invalidReleaseResultMessages,
  integers: [
    ['srcEid', 32, 'number'], ['resultNonce', 64, 'bigint'], ['withdrawalNonce', 64, 'bigint'], ['status', 8, 'number'], ['rawAmount', 128, 'bigint'],
  ],
  bytes32: ['srcVault', 'withdrawalGuid', 'account', 'asset'],
  makeValid: (b) => {
    b[STATUS_OFFSET] = ((b[STATUS_OFFSET] ?? 0) % 2) + 1; // status ∈ {1, 2}
  },
  sample,
});

describe('RELEASE_RESULT specifics', () => {
  it('offsets and length are the spec table (docs/two-way-book.md)', () => {
    expect(RELEASE_RESULT_MESSAGE_LAYOUT).toEqual({
      VERSION_OFFSET: 0, MESSAGE_TYPE_OFFSET: 1, SRC_EID_OFFSET: 2, SRC_VAULT_OFFSET: 6, RESULT_NONCE_OFFSET: 38, WITHDRAWAL_GUID_OFFSET: 46,
      WITHDRAWAL_NONCE_OFFSET: 78, STATUS_OFFSET: 86, ACCOUNT_OFFSET: 87, ASSET_OFFSET: 119, RAW_AMOUNT_OFFSET: 151, LENGTH: 167,
    });
    expect([ReleaseStatus.Released, ReleaseStatus.Failed]).toEqual([1, 2]);
  });

  it('vector file: both statuses, and each result echoes a withdrawal of the file (guid, nonce, account, asset, amount, vault)', () => {
    const r = vectors.releaseResultMessages;
    expect(new Set(r.map((v) => v.fields.status))).toEqual(new Set([1, 2]));
    for (const v of r) {
      const w = vectors.withdrawalMessages.find((x) => x.guid === v.fields.withdrawalGuid);
      expect(w).toBeDefined();
      expect(v.fields).toMatchObject({
        withdrawalNonce: w?.fields.withdrawalNonce, account: w?.fields.account, asset: w?.fields.asset, rawAmount: w?.fields.rawAmount,
        srcEid: w?.fields.vaultEid, srcVault: w?.fields.vault,
      });
    }
  });

  it.each([0, 3, 255])('encode and decode: InvalidFieldError names status for %i', (status) => {
    const e = catchError(() => encodeReleaseResultMessage({ ...sample, status })); // a deliberately bad status
    expect(e).toBeInstanceOf(InvalidFieldError);
    expect(e).toMatchObject({ field: 'status', value: String(status), rule: 'must be one of 1, 2' });
    const b = toBytes(encodeReleaseResultMessage(sample));
    b[STATUS_OFFSET] = status;
    const d = catchError(() => decodeReleaseResultMessage(b));
    expect(d).toBeInstanceOf(InvalidFieldError);
    expect(d).toMatchObject({ field: 'status', value: String(status) });
  });

  it('decodes both statuses', () => {
    for (const status of [ReleaseStatus.Released, ReleaseStatus.Failed]) {
      expect(decodeReleaseResultMessage(encodeReleaseResultMessage({ ...sample, status })).status).toBe(status);
    }
  });
});
