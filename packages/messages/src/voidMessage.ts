/**
 * VOID message (type 5), 159 bytes, big-endian: the ONE TypeScript file with its byte layout (docs/two-way-book.md,
 * "VOID"). Sent on the source → derivatives path at the nonce of one deposit that can never be credited, instead of
 * its CREDIT (same path, same nonce, so the same GUID): it credits nothing and requests a refund WITHDRAWAL.
 *
 * Mirrors `contracts/src/libraries/VoidMessage.sol` (same offset constants, same strict decode order: length, then
 * version, then messageType, then the field rules in the spec's order: reason ∈ {1, 2, 3}, then refundTo ≠ 0). A zero
 * `rawAmount` is allowed. Both are replayed against `packages/messages/vectors/credit-messages.json` (`voidMessages`,
 * `invalidVoidMessages`).
 */
import {
  bytes32At,
  bytes32FromJson,
  decimalFromJson,
  numberAt,
  numberFromJson,
  readBody,
  requireNonZeroBytes32,
  requireOneOf,
  startBody,
  uintAt,
  writeBytes32,
  writeUint,
} from './body';
import { bytesToHex, type Hex } from './hex';
import { MESSAGE_TYPE_OFFSET, MESSAGE_VERSION, MessageType, VERSION_OFFSET } from './messageType';

// Offsets (bytes) — keep identical to VoidMessage.sol. VERSION_OFFSET (0), MESSAGE_TYPE_OFFSET (1): messageType.ts.
export const ACCOUNT_OFFSET = 2; //          bytes32
export const SRC_EID_OFFSET = 34; //         uint32
export const SRC_VAULT_OFFSET = 38; //       bytes32
export const ASSET_OFFSET = 70; //           bytes32
export const DEPOSIT_NONCE_OFFSET = 102; //  uint64
export const RAW_AMOUNT_OFFSET = 110; //     uint128
export const REFUND_TO_OFFSET = 126; //      bytes32
export const REASON_OFFSET = 158; //         uint8
export const VOID_MESSAGE_LENGTH = 159;

/** The layout as one object (the package index exports this, not the bare offsets, which other bodies share by name). */
export const VOID_MESSAGE_LAYOUT = {
  VERSION_OFFSET,
  MESSAGE_TYPE_OFFSET,
  ACCOUNT_OFFSET,
  SRC_EID_OFFSET,
  SRC_VAULT_OFFSET,
  ASSET_OFFSET,
  DEPOSIT_NONCE_OFFSET,
  RAW_AMOUNT_OFFSET,
  REFUND_TO_OFFSET,
  REASON_OFFSET,
  LENGTH: VOID_MESSAGE_LENGTH,
} as const;

/** Why a deposit is voided. Persisted: only ever extended. */
export enum VoidReason {
  UnsupportedAsset = 1,
  InvalidDeposit = 2,
  Operator = 3,
}

const VOID_REASONS: readonly number[] = [VoidReason.UnsupportedAsset, VoidReason.InvalidDeposit, VoidReason.Operator];

export type VoidMessage = {
  version: typeof MESSAGE_VERSION;
  messageType: MessageType.Void;
  /** bytes32: the account the lock named. */
  account: Hex;
  /** uint32: = the packet's srcEid. */
  srcEid: number;
  /** bytes32: = the packet's sender (the vault). */
  srcVault: Hex;
  /** bytes32: the token locked. */
  asset: Hex;
  /** uint64: = the packet nonce: the deposit voided. */
  depositNonce: bigint;
  /** uint128: amount locked (refunded); 0 allowed (nothing to refund, no refund requested). */
  rawAmount: bigint;
  /** bytes32, ≠ 0: the depositor on the source chain, who receives the refund. */
  refundTo: Hex;
  /** uint8 ∈ {1, 2, 3}. */
  reason: VoidReason;
};

export type EncodeVoidMessageParameters = VoidMessage;
export type EncodeVoidMessageReturnType = Hex;
export type DecodeVoidMessageParameters = Hex | Uint8Array;
export type DecodeVoidMessageReturnType = VoidMessage;

/**
 * Encodes a VOID to its 159 bytes. Requires version 1 and messageType VOID, range-checks every integer
 * (FieldOutOfRangeError naming it), requires bytes32 fields of exactly 32 bytes of hex, and applies the field rules
 * (InvalidFieldError: `reason` ∈ {1, 2, 3}, then `refundTo` ≠ 0).
 */
export function encodeVoidMessage(msg: EncodeVoidMessageParameters): EncodeVoidMessageReturnType {
  const out = startBody(msg, MessageType.Void, VOID_MESSAGE_LENGTH);
  writeBytes32(out, ACCOUNT_OFFSET, 'account', msg.account);
  writeUint(out, SRC_EID_OFFSET, 4, 'srcEid', msg.srcEid, 'number');
  writeBytes32(out, SRC_VAULT_OFFSET, 'srcVault', msg.srcVault);
  writeBytes32(out, ASSET_OFFSET, 'asset', msg.asset);
  writeUint(out, DEPOSIT_NONCE_OFFSET, 8, 'depositNonce', msg.depositNonce, 'bigint');
  writeUint(out, RAW_AMOUNT_OFFSET, 16, 'rawAmount', msg.rawAmount, 'bigint');
  const refundTo = writeBytes32(out, REFUND_TO_OFFSET, 'refundTo', msg.refundTo);
  const reason = writeUint(out, REASON_OFFSET, 1, 'reason', msg.reason, 'number');
  requireOneOf('reason', Number(reason), VOID_REASONS);
  requireNonZeroBytes32('refundTo', refundTo);
  return bytesToHex(out);
}

/**
 * Strict decode: length ≠ 159 → InvalidLengthError; version ≠ 1 → UnsupportedVersionError; messageType ≠ 5 →
 * UnsupportedMessageTypeError; `reason` ∉ {1, 2, 3}, then `refundTo` = 0 → InvalidFieldError naming the field (in
 * that order). A string input must be 0x hex (InvalidHexError). bytes32 fields are returned lowercase.
 */
export function decodeVoidMessage(input: DecodeVoidMessageParameters): DecodeVoidMessageReturnType {
  const b = readBody(input, MessageType.Void, VOID_MESSAGE_LENGTH);
  const reason = numberAt(b, REASON_OFFSET, 1);
  requireOneOf('reason', reason, VOID_REASONS);
  const refundTo = bytes32At(b, REFUND_TO_OFFSET);
  requireNonZeroBytes32('refundTo', refundTo);
  return {
    version: MESSAGE_VERSION,
    messageType: MessageType.Void,
    account: bytes32At(b, ACCOUNT_OFFSET),
    srcEid: numberAt(b, SRC_EID_OFFSET, 4),
    srcVault: bytes32At(b, SRC_VAULT_OFFSET),
    asset: bytes32At(b, ASSET_OFFSET),
    depositNonce: uintAt(b, DEPOSIT_NONCE_OFFSET, 8),
    rawAmount: uintAt(b, RAW_AMOUNT_OFFSET, 16),
    refundTo,
    reason, // checked ∈ {1, 2, 3} just above
  };
}

// JSON (the vector file's form) ------------------------------------------------------------------------------------

/** Integers that can exceed 2^53 are decimal strings; eids, version, messageType and reason are numbers. */
export type VoidMessageJson = {
  version: number;
  messageType: number;
  account: string;
  srcEid: number;
  srcVault: string;
  asset: string;
  depositNonce: string;
  rawAmount: string;
  refundTo: string;
  reason: number;
};

export function voidMessageToJson(msg: VoidMessage): VoidMessageJson {
  return {
    version: msg.version,
    messageType: msg.messageType,
    account: msg.account.toLowerCase(),
    srcEid: msg.srcEid,
    srcVault: msg.srcVault.toLowerCase(),
    asset: msg.asset.toLowerCase(),
    depositNonce: msg.depositNonce.toString(),
    rawAmount: msg.rawAmount.toString(),
    refundTo: msg.refundTo.toLowerCase(),
    reason: msg.reason,
  };
}

/**
 * Parses the JSON form, checking every field's type and range. Version, messageType and the field rules are not
 * enforced here (`encodeVoidMessage` does), so invalid messages can be described too.
 */
export function voidMessageFromJson(json: VoidMessageJson): VoidMessage {
  return {
    // A JSON value is not a literal type; encodeVoidMessage rejects any version/messageType but 1/5.
    version: numberFromJson('version', json.version, 8) as typeof MESSAGE_VERSION,
    messageType: numberFromJson('messageType', json.messageType, 8), // a number passes for the enum member; checked on encode
    account: bytes32FromJson('account', json.account),
    srcEid: numberFromJson('srcEid', json.srcEid, 32),
    srcVault: bytes32FromJson('srcVault', json.srcVault),
    asset: bytes32FromJson('asset', json.asset),
    depositNonce: decimalFromJson('depositNonce', json.depositNonce, 64),
    rawAmount: decimalFromJson('rawAmount', json.rawAmount, 128),
    refundTo: bytes32FromJson('refundTo', json.refundTo),
    reason: numberFromJson('reason', json.reason, 8), // a uint8; encodeVoidMessage checks ∈ {1, 2, 3}
  };
}
