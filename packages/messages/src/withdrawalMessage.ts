/**
 * WITHDRAWAL message (type 2), 166 bytes, big-endian: the ONE TypeScript file with its byte layout
 * (docs/two-way-book.md, "WITHDRAWAL"). Sent derivatives chain → source chain (MarginCreditReceiver → CollateralVault),
 * refunds of voided deposits included (`voidedNonce` > 0).
 *
 * Mirrors `contracts/src/libraries/WithdrawalMessage.sol` (same offset constants, same strict decode order: length,
 * then version, then messageType, then the field rules in the spec's order: rawAmount > 0, then recipient ≠ 0). Both are
 * replayed against `packages/messages/vectors/credit-messages.json` (`withdrawalMessages`, `invalidWithdrawalMessages`).
 */
import {
  bytes32At,
  bytes32FromJson,
  decimalFromJson,
  numberAt,
  numberFromJson,
  readBody,
  requireNonZeroBytes32,
  requirePositive,
  startBody,
  uintAt,
  writeBytes32,
  writeUint,
} from './body';
import { bytesToHex, type Hex } from './hex';
import { MESSAGE_TYPE_OFFSET, MESSAGE_VERSION, MessageType, VERSION_OFFSET } from './messageType';

// Offsets (bytes) — keep identical to WithdrawalMessage.sol. VERSION_OFFSET (0), MESSAGE_TYPE_OFFSET (1): messageType.ts.
export const ACCOUNT_OFFSET = 2; //            bytes32
export const VAULT_EID_OFFSET = 34; //         uint32
export const VAULT_OFFSET = 38; //             bytes32
export const ASSET_OFFSET = 70; //             bytes32
export const RECIPIENT_OFFSET = 102; //        bytes32
export const WITHDRAWAL_NONCE_OFFSET = 134; // uint64
export const RAW_AMOUNT_OFFSET = 142; //       uint128
export const VOIDED_NONCE_OFFSET = 158; //     uint64
export const WITHDRAWAL_MESSAGE_LENGTH = 166;

/** The layout as one object (the package index exports this, not the bare offsets, which other bodies share by name). */
export const WITHDRAWAL_MESSAGE_LAYOUT = {
  VERSION_OFFSET,
  MESSAGE_TYPE_OFFSET,
  ACCOUNT_OFFSET,
  VAULT_EID_OFFSET,
  VAULT_OFFSET,
  ASSET_OFFSET,
  RECIPIENT_OFFSET,
  WITHDRAWAL_NONCE_OFFSET,
  RAW_AMOUNT_OFFSET,
  VOIDED_NONCE_OFFSET,
  LENGTH: WITHDRAWAL_MESSAGE_LENGTH,
} as const;

export type WithdrawalMessage = {
  version: typeof MESSAGE_VERSION;
  messageType: MessageType.Withdrawal;
  /** bytes32: the derivatives-chain account whose collateral is withdrawn (refund: the deposit's account). */
  account: Hex;
  /** uint32: eid of the source chain holding the collateral (= the packet's dstEid). */
  vaultEid: number;
  /** bytes32: the vault paying out (= the packet's receiver). */
  vault: Hex;
  /** bytes32: the token on the source chain. */
  asset: Hex;
  /** bytes32, ≠ 0: who receives it on the source chain (EVM: left-padded address). */
  recipient: Hex;
  /** uint64: = the packet nonce (the receiver's outbound nonce on the path). */
  withdrawalNonce: bigint;
  /** uint128, > 0: token base units to release. */
  rawAmount: bigint;
  /** uint64: 0 for a withdrawal; n > 0 for the refund of the voided deposit nonce n of this vault. */
  voidedNonce: bigint;
};

export type EncodeWithdrawalMessageParameters = WithdrawalMessage;
export type EncodeWithdrawalMessageReturnType = Hex;
export type DecodeWithdrawalMessageParameters = Hex | Uint8Array;
export type DecodeWithdrawalMessageReturnType = WithdrawalMessage;

/**
 * Encodes a WITHDRAWAL to its 166 bytes. Requires version 1 and messageType WITHDRAWAL, range-checks every integer
 * (FieldOutOfRangeError naming it), requires bytes32 fields of exactly 32 bytes of hex, and applies the field rules
 * (InvalidFieldError: `rawAmount` > 0, then `recipient` ≠ 0).
 */
export function encodeWithdrawalMessage(msg: EncodeWithdrawalMessageParameters): EncodeWithdrawalMessageReturnType {
  const out = startBody(msg, MessageType.Withdrawal, WITHDRAWAL_MESSAGE_LENGTH);
  writeBytes32(out, ACCOUNT_OFFSET, 'account', msg.account);
  writeUint(out, VAULT_EID_OFFSET, 4, 'vaultEid', msg.vaultEid, 'number');
  writeBytes32(out, VAULT_OFFSET, 'vault', msg.vault);
  writeBytes32(out, ASSET_OFFSET, 'asset', msg.asset);
  const recipient = writeBytes32(out, RECIPIENT_OFFSET, 'recipient', msg.recipient);
  writeUint(out, WITHDRAWAL_NONCE_OFFSET, 8, 'withdrawalNonce', msg.withdrawalNonce, 'bigint');
  const rawAmount = writeUint(out, RAW_AMOUNT_OFFSET, 16, 'rawAmount', msg.rawAmount, 'bigint');
  writeUint(out, VOIDED_NONCE_OFFSET, 8, 'voidedNonce', msg.voidedNonce, 'bigint');
  requirePositive('rawAmount', rawAmount);
  requireNonZeroBytes32('recipient', recipient);
  return bytesToHex(out);
}

/**
 * Strict decode: length ≠ 166 → InvalidLengthError; version ≠ 1 → UnsupportedVersionError; messageType ≠ 2 →
 * UnsupportedMessageTypeError; `rawAmount` = 0, then `recipient` = 0 → InvalidFieldError naming the field (checked
 * in that order). A string input must be 0x hex (InvalidHexError). bytes32 fields are returned lowercase.
 */
export function decodeWithdrawalMessage(input: DecodeWithdrawalMessageParameters): DecodeWithdrawalMessageReturnType {
  const b = readBody(input, MessageType.Withdrawal, WITHDRAWAL_MESSAGE_LENGTH);
  const msg: WithdrawalMessage = {
    version: MESSAGE_VERSION,
    messageType: MessageType.Withdrawal,
    account: bytes32At(b, ACCOUNT_OFFSET),
    vaultEid: numberAt(b, VAULT_EID_OFFSET, 4),
    vault: bytes32At(b, VAULT_OFFSET),
    asset: bytes32At(b, ASSET_OFFSET),
    recipient: bytes32At(b, RECIPIENT_OFFSET),
    withdrawalNonce: uintAt(b, WITHDRAWAL_NONCE_OFFSET, 8),
    rawAmount: uintAt(b, RAW_AMOUNT_OFFSET, 16),
    voidedNonce: uintAt(b, VOIDED_NONCE_OFFSET, 8),
  };
  requirePositive('rawAmount', msg.rawAmount);
  requireNonZeroBytes32('recipient', msg.recipient);
  return msg;
}

/** True for the refund of a voided deposit (voidedNonce > 0), false for a withdrawal the account asked for. */
export function isRefund(msg: Pick<WithdrawalMessage, 'voidedNonce'>): boolean {
  return msg.voidedNonce > 0n;
}

// JSON (the vector file's form) ------------------------------------------------------------------------------------

/** Integers that can exceed 2^53 are decimal strings; eids, version and messageType are numbers; bytes lowercase hex. */
export type WithdrawalMessageJson = {
  version: number;
  messageType: number;
  account: string;
  vaultEid: number;
  vault: string;
  asset: string;
  recipient: string;
  withdrawalNonce: string;
  rawAmount: string;
  voidedNonce: string;
};

export function withdrawalMessageToJson(msg: WithdrawalMessage): WithdrawalMessageJson {
  return {
    version: msg.version,
    messageType: msg.messageType,
    account: msg.account.toLowerCase(),
    vaultEid: msg.vaultEid,
    vault: msg.vault.toLowerCase(),
    asset: msg.asset.toLowerCase(),
    recipient: msg.recipient.toLowerCase(),
    withdrawalNonce: msg.withdrawalNonce.toString(),
    rawAmount: msg.rawAmount.toString(),
    voidedNonce: msg.voidedNonce.toString(),
  };
}

/**
 * Parses the JSON form, checking every field's type and range. Version, messageType and the field rules are not
 * enforced here (`encodeWithdrawalMessage` does), so invalid messages can be described too.
 */
export function withdrawalMessageFromJson(json: WithdrawalMessageJson): WithdrawalMessage {
  return {
    // A JSON value is not a literal type; encodeWithdrawalMessage rejects any version/messageType but 1/2.
    version: numberFromJson('version', json.version, 8) as typeof MESSAGE_VERSION,
    messageType: numberFromJson('messageType', json.messageType, 8), // a number passes for the enum member; checked on encode
    account: bytes32FromJson('account', json.account),
    vaultEid: numberFromJson('vaultEid', json.vaultEid, 32),
    vault: bytes32FromJson('vault', json.vault),
    asset: bytes32FromJson('asset', json.asset),
    recipient: bytes32FromJson('recipient', json.recipient),
    withdrawalNonce: decimalFromJson('withdrawalNonce', json.withdrawalNonce, 64),
    rawAmount: decimalFromJson('rawAmount', json.rawAmount, 128),
    voidedNonce: decimalFromJson('voidedNonce', json.voidedNonce, 64),
  };
}
