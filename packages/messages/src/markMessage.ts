/**
 * REVALUATION message (type 3), 78 bytes, big-endian: the ONE TypeScript file with its byte layout
 * (docs/credit-message.md, "REVALUATION (asset mark)"). An attested MARK of one asset's value, posted by the relayer
 * to the MarginCreditReceiver. It is not a LayerZero packet (no path, no GUID, no packet nonce): marks are signed
 * together as an EIP-712 `MarkBatch(bytes[] marks,uint64 validUntil)` (attestation.ts, `markBatchDigest`).
 *
 * Mirrors `contracts/src/libraries/MarkMessage.sol` (same offset constants, same strict decode order: length, then
 * version, then messageType). The one field rule, `haircut` ≤ 1e18, is checked here after those three; the Solidity
 * library leaves value ranges to the receiver (which also bounds `markNonce` ≤ 2^32 − 1 and `price` ≤ 2^112 − 1,
 * limits of its storage, not of the wire format). Both are replayed against
 * `packages/messages/vectors/credit-messages.json` (`markMessages`, `invalidMarkMessages`).
 */
import {
  bytes32At,
  bytes32FromJson,
  decimalFromJson,
  numberAt,
  numberFromJson,
  readBody,
  requireAtMost,
  startBody,
  uintAt,
  writeBytes32,
  writeUint,
} from './body';
import { bytesToHex, type Hex } from './hex';
import { MESSAGE_TYPE_OFFSET, MESSAGE_VERSION, MessageType, VERSION_OFFSET } from './messageType';

// Offsets (bytes) — keep identical to MarkMessage.sol. VERSION_OFFSET (0), MESSAGE_TYPE_OFFSET (1): messageType.ts.
export const SRC_EID_OFFSET = 2; //          uint32
export const ASSET_OFFSET = 6; //            bytes32
export const MARK_NONCE_OFFSET = 38; //      uint64
export const PRICE_OFFSET = 46; //           uint128
export const PRICE_TIMESTAMP_OFFSET = 62; // uint64
export const HAIRCUT_OFFSET = 70; //         uint64
export const MARK_MESSAGE_LENGTH = 78;

/** The layout as one object (the package index exports this, not the bare offsets, which other bodies share by name). */
export const MARK_MESSAGE_LAYOUT = {
  VERSION_OFFSET,
  MESSAGE_TYPE_OFFSET,
  SRC_EID_OFFSET,
  ASSET_OFFSET,
  MARK_NONCE_OFFSET,
  PRICE_OFFSET,
  PRICE_TIMESTAMP_OFFSET,
  HAIRCUT_OFFSET,
  LENGTH: MARK_MESSAGE_LENGTH,
} as const;

/** 1e18 = a 100 % haircut: the largest `haircut` a mark may carry. */
export const MAX_MARK_HAIRCUT = 10n ** 18n;

export type MarkMessage = {
  version: typeof MESSAGE_VERSION;
  messageType: MessageType.Revaluation;
  /** uint32: LayerZero endpoint id of the asset's source chain. */
  srcEid: number;
  /** bytes32: the token on the source chain (EVM address left-padded, or a 32-byte key). */
  asset: Hex;
  /** uint64: strictly increasing per (srcEid, asset); the receiver accepts ≤ 2^32 − 1. */
  markNonce: bigint;
  /** uint128: USD per whole token, 18 decimals, after the oracle guard and confidence; the receiver accepts ≤ 2^112 − 1. */
  price: bigint;
  /** uint64: unix seconds of the price. */
  priceTimestamp: bigint;
  /** uint64, ≤ 1e18: the asset haircut, 18-decimal fraction (1e18 = 100 %). */
  haircut: bigint;
};

export type EncodeMarkMessageParameters = MarkMessage;
export type EncodeMarkMessageReturnType = Hex;
export type DecodeMarkMessageParameters = Hex | Uint8Array;
export type DecodeMarkMessageReturnType = MarkMessage;

/**
 * Encodes a REVALUATION to its 78 bytes. Requires version 1 and messageType REVALUATION, range-checks every integer
 * for its wire width (FieldOutOfRangeError naming it), requires `asset` to be exactly 32 bytes of hex, and applies the
 * field rule (InvalidFieldError: `haircut` ≤ 1e18).
 */
export function encodeMarkMessage(msg: EncodeMarkMessageParameters): EncodeMarkMessageReturnType {
  const out = startBody(msg, MessageType.Revaluation, MARK_MESSAGE_LENGTH);
  writeUint(out, SRC_EID_OFFSET, 4, 'srcEid', msg.srcEid, 'number');
  writeBytes32(out, ASSET_OFFSET, 'asset', msg.asset);
  writeUint(out, MARK_NONCE_OFFSET, 8, 'markNonce', msg.markNonce, 'bigint');
  writeUint(out, PRICE_OFFSET, 16, 'price', msg.price, 'bigint');
  writeUint(out, PRICE_TIMESTAMP_OFFSET, 8, 'priceTimestamp', msg.priceTimestamp, 'bigint');
  const haircut = writeUint(out, HAIRCUT_OFFSET, 8, 'haircut', msg.haircut, 'bigint');
  requireAtMost('haircut', haircut, MAX_MARK_HAIRCUT);
  return bytesToHex(out);
}

/**
 * Strict decode: length ≠ 78 → InvalidLengthError; version ≠ 1 → UnsupportedVersionError; messageType ≠ 3 →
 * UnsupportedMessageTypeError; `haircut` > 1e18 → InvalidFieldError naming it (in that order). A string input must be
 * 0x hex (InvalidHexError). `asset` is returned lowercase.
 */
export function decodeMarkMessage(input: DecodeMarkMessageParameters): DecodeMarkMessageReturnType {
  const b = readBody(input, MessageType.Revaluation, MARK_MESSAGE_LENGTH);
  const haircut = uintAt(b, HAIRCUT_OFFSET, 8);
  requireAtMost('haircut', haircut, MAX_MARK_HAIRCUT);
  return {
    version: MESSAGE_VERSION,
    messageType: MessageType.Revaluation,
    srcEid: numberAt(b, SRC_EID_OFFSET, 4),
    asset: bytes32At(b, ASSET_OFFSET),
    markNonce: uintAt(b, MARK_NONCE_OFFSET, 8),
    price: uintAt(b, PRICE_OFFSET, 16),
    priceTimestamp: uintAt(b, PRICE_TIMESTAMP_OFFSET, 8),
    haircut,
  };
}

// JSON (the vector file's form) ------------------------------------------------------------------------------------

/** Integers that can exceed 2^53 are decimal strings; srcEid, version and messageType are numbers. */
export type MarkMessageJson = {
  version: number;
  messageType: number;
  srcEid: number;
  asset: string;
  markNonce: string;
  price: string;
  priceTimestamp: string;
  haircut: string;
};

export function markMessageToJson(msg: MarkMessage): MarkMessageJson {
  return {
    version: msg.version,
    messageType: msg.messageType,
    srcEid: msg.srcEid,
    asset: msg.asset.toLowerCase(),
    markNonce: msg.markNonce.toString(),
    price: msg.price.toString(),
    priceTimestamp: msg.priceTimestamp.toString(),
    haircut: msg.haircut.toString(),
  };
}

/**
 * Parses the JSON form, checking every field's type and range. Version, messageType and the haircut rule are not
 * enforced here (`encodeMarkMessage` does), so invalid messages can be described too.
 */
export function markMessageFromJson(json: MarkMessageJson): MarkMessage {
  return {
    // A JSON value is not a literal type; encodeMarkMessage rejects any version/messageType but 1/3.
    version: numberFromJson('version', json.version, 8) as typeof MESSAGE_VERSION,
    messageType: numberFromJson('messageType', json.messageType, 8), // a number passes for the enum member; checked on encode
    srcEid: numberFromJson('srcEid', json.srcEid, 32),
    asset: bytes32FromJson('asset', json.asset),
    markNonce: decimalFromJson('markNonce', json.markNonce, 64),
    price: decimalFromJson('price', json.price, 128),
    priceTimestamp: decimalFromJson('priceTimestamp', json.priceTimestamp, 64),
    haircut: decimalFromJson('haircut', json.haircut, 64),
  };
}
