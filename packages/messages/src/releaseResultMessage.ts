/**
 * RELEASE_RESULT message (type 4), 167 bytes, big-endian: the ONE TypeScript file with its byte layout
 * (docs/two-way-book.md, "RELEASE_RESULT"). Sent source chain → derivatives chain (CollateralVault →
 * MarginCreditReceiver) on the same nonce sequence as the vault's CREDITs, answering one WITHDRAWAL.
 *
 * Mirrors `contracts/src/libraries/ReleaseResultMessage.sol` (same offset constants, same strict decode order:
 * length, then version, then messageType, then `status` ∈ {1, 2}). Both are replayed against
 * `packages/messages/vectors/credit-messages.json` (`releaseResultMessages`, `invalidReleaseResultMessages`).
 */
import {
  bytes32At,
  bytes32FromJson,
  decimalFromJson,
  numberAt,
  numberFromJson,
  readBody,
  requireOneOf,
  startBody,
  uintAt,
  writeBytes32,
  writeUint,
} from './body';
import { bytesToHex, type Hex } from './hex';
import { MESSAGE_TYPE_OFFSET, MESSAGE_VERSION, MessageType, VERSION_OFFSET } from './messageType';

// Offsets (bytes) — keep identical to ReleaseResultMessage.sol. VERSION_OFFSET (0), MESSAGE_TYPE_OFFSET (1): messageType.ts.
export const SRC_EID_OFFSET = 2; //            uint32
export const SRC_VAULT_OFFSET = 6; //          bytes32
export const RESULT_NONCE_OFFSET = 38; //      uint64
export const WITHDRAWAL_GUID_OFFSET = 46; //   bytes32
export const WITHDRAWAL_NONCE_OFFSET = 78; //  uint64
export const STATUS_OFFSET = 86; //            uint8
export const ACCOUNT_OFFSET = 87; //           bytes32
export const ASSET_OFFSET = 119; //            bytes32
export const RAW_AMOUNT_OFFSET = 151; //       uint128
export const RELEASE_RESULT_MESSAGE_LENGTH = 167;

/** The layout as one object (the package index exports this, not the bare offsets, which other bodies share by name). */
export const RELEASE_RESULT_MESSAGE_LAYOUT = {
  VERSION_OFFSET,
  MESSAGE_TYPE_OFFSET,
  SRC_EID_OFFSET,
  SRC_VAULT_OFFSET,
  RESULT_NONCE_OFFSET,
  WITHDRAWAL_GUID_OFFSET,
  WITHDRAWAL_NONCE_OFFSET,
  STATUS_OFFSET,
  ACCOUNT_OFFSET,
  ASSET_OFFSET,
  RAW_AMOUNT_OFFSET,
  LENGTH: RELEASE_RESULT_MESSAGE_LENGTH,
} as const;

/** What the vault did with the withdrawal. Persisted (vault `releaseStatus`): only ever extended. */
export enum ReleaseStatus {
  /** Paid out: the receiver removes the frozen amount (FINISHED, or REFUNDED for a refund). */
  Released = 1,
  /** Not paid (transfer failed, non-canonical recipient, amount > totalLocked): frozen back to credited (UNFROZEN, or REFUND_FAILED). */
  Failed = 2,
}

const RELEASE_STATUSES: readonly number[] = [ReleaseStatus.Released, ReleaseStatus.Failed];

export type ReleaseResultMessage = {
  version: typeof MESSAGE_VERSION;
  messageType: MessageType.ReleaseResult;
  /** uint32: the vault's eid (= the packet's srcEid). */
  srcEid: number;
  /** bytes32: the vault (= the packet's sender). */
  srcVault: Hex;
  /** uint64: = the packet nonce (the vault's outbound nonce, shared with its locks). */
  resultNonce: bigint;
  /** bytes32: GUID of the WITHDRAWAL packet this answers. */
  withdrawalGuid: Hex;
  /** uint64: that withdrawal's nonce. */
  withdrawalNonce: bigint;
  /** uint8 ∈ {1, 2}. */
  status: ReleaseStatus;
  /** bytes32: echo of the withdrawal's account. */
  account: Hex;
  /** bytes32: echo of the withdrawal's asset. */
  asset: Hex;
  /** uint128: echo of the withdrawal's amount. */
  rawAmount: bigint;
};

export type EncodeReleaseResultMessageParameters = ReleaseResultMessage;
export type EncodeReleaseResultMessageReturnType = Hex;
export type DecodeReleaseResultMessageParameters = Hex | Uint8Array;
export type DecodeReleaseResultMessageReturnType = ReleaseResultMessage;

/**
 * Encodes a RELEASE_RESULT to its 167 bytes. Requires version 1 and messageType RELEASE_RESULT, range-checks every
 * integer (FieldOutOfRangeError naming it), requires bytes32 fields of exactly 32 bytes of hex, and `status` ∈ {1, 2}
 * (InvalidFieldError).
 */
export function encodeReleaseResultMessage(msg: EncodeReleaseResultMessageParameters): EncodeReleaseResultMessageReturnType {
  const out = startBody(msg, MessageType.ReleaseResult, RELEASE_RESULT_MESSAGE_LENGTH);
  writeUint(out, SRC_EID_OFFSET, 4, 'srcEid', msg.srcEid, 'number');
  writeBytes32(out, SRC_VAULT_OFFSET, 'srcVault', msg.srcVault);
  writeUint(out, RESULT_NONCE_OFFSET, 8, 'resultNonce', msg.resultNonce, 'bigint');
  writeBytes32(out, WITHDRAWAL_GUID_OFFSET, 'withdrawalGuid', msg.withdrawalGuid);
  writeUint(out, WITHDRAWAL_NONCE_OFFSET, 8, 'withdrawalNonce', msg.withdrawalNonce, 'bigint');
  const status = writeUint(out, STATUS_OFFSET, 1, 'status', msg.status, 'number');
  writeBytes32(out, ACCOUNT_OFFSET, 'account', msg.account);
  writeBytes32(out, ASSET_OFFSET, 'asset', msg.asset);
  writeUint(out, RAW_AMOUNT_OFFSET, 16, 'rawAmount', msg.rawAmount, 'bigint');
  requireOneOf('status', Number(status), RELEASE_STATUSES);
  return bytesToHex(out);
}

/**
 * Strict decode: length ≠ 167 → InvalidLengthError; version ≠ 1 → UnsupportedVersionError; messageType ≠ 4 →
 * UnsupportedMessageTypeError; `status` ∉ {1, 2} → InvalidFieldError (field 'status'), in that order. A string input
 * must be 0x hex (InvalidHexError). bytes32 fields are returned lowercase.
 */
export function decodeReleaseResultMessage(input: DecodeReleaseResultMessageParameters): DecodeReleaseResultMessageReturnType {
  const b = readBody(input, MessageType.ReleaseResult, RELEASE_RESULT_MESSAGE_LENGTH);
  const status = numberAt(b, STATUS_OFFSET, 1);
  requireOneOf('status', status, RELEASE_STATUSES);
  return {
    version: MESSAGE_VERSION,
    messageType: MessageType.ReleaseResult,
    srcEid: numberAt(b, SRC_EID_OFFSET, 4),
    srcVault: bytes32At(b, SRC_VAULT_OFFSET),
    resultNonce: uintAt(b, RESULT_NONCE_OFFSET, 8),
    withdrawalGuid: bytes32At(b, WITHDRAWAL_GUID_OFFSET),
    withdrawalNonce: uintAt(b, WITHDRAWAL_NONCE_OFFSET, 8),
    status, // checked ∈ {1, 2} just above
    account: bytes32At(b, ACCOUNT_OFFSET),
    asset: bytes32At(b, ASSET_OFFSET),
    rawAmount: uintAt(b, RAW_AMOUNT_OFFSET, 16),
  };
}

// JSON (the vector file's form) ------------------------------------------------------------------------------------

/** Integers that can exceed 2^53 are decimal strings; eids, version, messageType and status are numbers. */
export type ReleaseResultMessageJson = {
  version: number;
  messageType: number;
  srcEid: number;
  srcVault: string;
  resultNonce: string;
  withdrawalGuid: string;
  withdrawalNonce: string;
  status: number;
  account: string;
  asset: string;
  rawAmount: string;
};

export function releaseResultMessageToJson(msg: ReleaseResultMessage): ReleaseResultMessageJson {
  return {
    version: msg.version,
    messageType: msg.messageType,
    srcEid: msg.srcEid,
    srcVault: msg.srcVault.toLowerCase(),
    resultNonce: msg.resultNonce.toString(),
    withdrawalGuid: msg.withdrawalGuid.toLowerCase(),
    withdrawalNonce: msg.withdrawalNonce.toString(),
    status: msg.status,
    account: msg.account.toLowerCase(),
    asset: msg.asset.toLowerCase(),
    rawAmount: msg.rawAmount.toString(),
  };
}

/**
 * Parses the JSON form, checking every field's type and range. Version, messageType and `status` ∈ {1, 2} are not
 * enforced here (`encodeReleaseResultMessage` does), so invalid messages can be described too.
 */
export function releaseResultMessageFromJson(json: ReleaseResultMessageJson): ReleaseResultMessage {
  return {
    // A JSON value is not a literal type; encodeReleaseResultMessage rejects any version/messageType but 1/4.
    version: numberFromJson('version', json.version, 8) as typeof MESSAGE_VERSION,
    messageType: numberFromJson('messageType', json.messageType, 8), // a number passes for the enum member; checked on encode
    srcEid: numberFromJson('srcEid', json.srcEid, 32),
    srcVault: bytes32FromJson('srcVault', json.srcVault),
    resultNonce: decimalFromJson('resultNonce', json.resultNonce, 64),
    withdrawalGuid: bytes32FromJson('withdrawalGuid', json.withdrawalGuid),
    withdrawalNonce: decimalFromJson('withdrawalNonce', json.withdrawalNonce, 64),
    status: numberFromJson('status', json.status, 8), // a uint8; encodeReleaseResultMessage checks ∈ {1, 2}
    account: bytes32FromJson('account', json.account),
    asset: bytes32FromJson('asset', json.asset),
    rawAmount: decimalFromJson('rawAmount', json.rawAmount, 128),
  };
}
