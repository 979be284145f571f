/**
 * Margin-credit message v1: the ONE TypeScript file with the byte layout (docs/credit-message.md).
 *
 * Mirrors `contracts/src/libraries/CreditMessage.sol` (same offset constants, same strict decode order:
 * length, then version, then messageType). Both are replayed against `packages/messages/vectors/credit-messages.json`.
 * Fixed length 183 bytes, big-endian.
 */
import { InvalidLengthError, UnsupportedMessageTypeError, UnsupportedVersionError } from './errors';
import { bytesToHex, toBytes, toFixedHex, writeFixedHex, type Hex } from './hex';
import { MESSAGE_TYPE_OFFSET, MESSAGE_VERSION, MessageType, VERSION_OFFSET } from './messageType';
import { checkUint, MAX_UINT128, MAX_UINT64, readUintBE, writeUintBE } from './uint';

export { MessageType, VERSION_OFFSET, MESSAGE_TYPE_OFFSET } from './messageType';

export const CREDIT_MESSAGE_VERSION = MESSAGE_VERSION;

// Offsets (bytes) — keep identical to CreditMessage.sol. VERSION_OFFSET (0) and MESSAGE_TYPE_OFFSET (1): messageType.ts.
export const ACCOUNT_OFFSET = 2; //          bytes32
export const SRC_EID_OFFSET = 34; //         uint32
export const SRC_VAULT_OFFSET = 38; //       bytes32
export const ASSET_OFFSET = 70; //           bytes32
export const ASSET_DECIMALS_OFFSET = 102; // uint8
export const DEPOSIT_NONCE_OFFSET = 103; //  uint64
export const RAW_AMOUNT_OFFSET = 111; //     uint128
export const HAIRCUT_VALUE_OFFSET = 127; //  uint128
export const PRICE_OFFSET = 143; //          uint128
export const PRICE_TIMESTAMP_OFFSET = 159; // uint64
export const HAIRCUT_OFFSET = 167; //        uint64
export const SIZE_WEIGHT_OFFSET = 175; //    uint64
export const MESSAGE_LENGTH = 183;
/** = MESSAGE_LENGTH, named like the other bodies' lengths. */
export const CREDIT_MESSAGE_LENGTH = MESSAGE_LENGTH;
/** The messageType byte of a credit message, as the number read or written at MESSAGE_TYPE_OFFSET. */
const CREDIT_TYPE_BYTE: number = MessageType.Credit;

export type CreditMessage = {
  version: typeof CREDIT_MESSAGE_VERSION;
  messageType: MessageType.Credit;
  /** bytes32: the account credited on the derivatives chain (EVM address left-padded, or a 32-byte key). */
  account: Hex;
  /** uint32: LayerZero endpoint id of the source chain. */
  srcEid: number;
  /** bytes32: the vault that locked the collateral (= the packet header's sender). */
  srcVault: Hex;
  /** bytes32: the token on the source chain (EVM address left-padded, or SPL mint). */
  asset: Hex;
  /** uint8: decimals of rawAmount. */
  assetDecimals: number;
  /** uint64: the vault's outbound nonce for this destination (= the packet nonce). */
  depositNonce: bigint;
  /** uint128: amount locked, token base units. */
  rawAmount: bigint;
  /** uint128: margin value credited, USD with 18 decimals, rounded down. */
  haircutValue: bigint;
  /** uint128: USD per whole token, 18 decimals. */
  price: bigint;
  /** uint64: unix seconds of the price used. */
  priceTimestamp: bigint;
  /** uint64: haircut applied, 18-decimal fraction. */
  haircut: bigint;
  /** uint64: average weight of the marginal size tiers, 18-decimal fraction (1e18 = no size discount). */
  sizeWeight: bigint;
};

export type EncodeCreditMessageParameters = CreditMessage;
export type EncodeCreditMessageReturnType = Hex;
export type DecodeCreditMessageParameters = Hex | Uint8Array;
export type DecodeCreditMessageReturnType = CreditMessage;

/**
 * Encodes a credit message to its 183 bytes. Range-checks every field (FieldOutOfRangeError naming it), requires
 * version 1 and messageType CREDIT, and requires the bytes32 fields to be exactly 32 bytes of hex.
 */
export function encodeCreditMessage(msg: EncodeCreditMessageParameters): EncodeCreditMessageReturnType {
  const version = Number(checkUint('version', msg.version, 8, 'number'));
  if (version !== CREDIT_MESSAGE_VERSION) throw new UnsupportedVersionError({ version });
  const messageType = Number(checkUint('messageType', msg.messageType, 8, 'number'));
  if (messageType !== CREDIT_TYPE_BYTE) throw new UnsupportedMessageTypeError({ messageType });

  const out = new Uint8Array(MESSAGE_LENGTH);
  out[VERSION_OFFSET] = version;
  out[MESSAGE_TYPE_OFFSET] = messageType;
  out.set(toBytes(toFixedHex(msg.account, 32, 'account')), ACCOUNT_OFFSET);
  writeUintBE(out, SRC_EID_OFFSET, 4, checkUint('srcEid', msg.srcEid, 32, 'number'));
  out.set(toBytes(toFixedHex(msg.srcVault, 32, 'srcVault')), SRC_VAULT_OFFSET);
  out.set(toBytes(toFixedHex(msg.asset, 32, 'asset')), ASSET_OFFSET);
  writeUintBE(out, ASSET_DECIMALS_OFFSET, 1, checkUint('assetDecimals', msg.assetDecimals, 8, 'number'));
  writeUintBE(out, DEPOSIT_NONCE_OFFSET, 8, checkUint('depositNonce', msg.depositNonce, 64, 'bigint'));
  writeUintBE(out, RAW_AMOUNT_OFFSET, 16, checkUint('rawAmount', msg.rawAmount, 128, 'bigint'));
  writeUintBE(out, HAIRCUT_VALUE_OFFSET, 16, checkUint('haircutValue', msg.haircutValue, 128, 'bigint'));
  writeUintBE(out, PRICE_OFFSET, 16, checkUint('price', msg.price, 128, 'bigint'));
  writeUintBE(out, PRICE_TIMESTAMP_OFFSET, 8, checkUint('priceTimestamp', msg.priceTimestamp, 64, 'bigint'));
  writeUintBE(out, HAIRCUT_OFFSET, 8, checkUint('haircut', msg.haircut, 64, 'bigint'));
  writeUintBE(out, SIZE_WEIGHT_OFFSET, 8, checkUint('sizeWeight', msg.sizeWeight, 64, 'bigint'));
  return bytesToHex(out);
}

const isUint = (value: unknown, max: bigint): value is bigint => typeof value === 'bigint' && value >= 0n && value <= max;
const isUintNumber = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;

/**
 * Fast path of `encodeCreditMessage` for hot loops, never throws: when every field is valid AND in its usual form
 * (bytes32 fields as 0x hex strings), writes the 183 bytes into `out` at `offset` and returns true. Otherwise returns
 * false, `out` may be partly written, and the caller must take `encodeCreditMessage`, which throws the typed error
 * (or encodes a valid but unusual input, e.g. bytes32 fields given as Uint8Array). Same bytes as `encodeCreditMessage`
 * (property-tested in packet.test.ts).
 */
export function writeCreditMessage(out: Uint8Array, offset: number, msg: CreditMessage): boolean {
  if (msg.version !== CREDIT_MESSAGE_VERSION || msg.messageType !== MessageType.Credit) return false;
  const { srcEid, assetDecimals, depositNonce, rawAmount, haircutValue, price, priceTimestamp, haircut, sizeWeight } = msg;
  if (
    !isUintNumber(srcEid, 0xffff_ffff) ||
    !isUintNumber(assetDecimals, 0xff) ||
    !isUint(depositNonce, MAX_UINT64) ||
    !isUint(rawAmount, MAX_UINT128) ||
    !isUint(haircutValue, MAX_UINT128) ||
    !isUint(price, MAX_UINT128) ||
    !isUint(priceTimestamp, MAX_UINT64) ||
    !isUint(haircut, MAX_UINT64) ||
    !isUint(sizeWeight, MAX_UINT64)
  ) {
    return false;
  }
  if (
    !writeFixedHex(out, offset + ACCOUNT_OFFSET, msg.account, 32) ||
    !writeFixedHex(out, offset + SRC_VAULT_OFFSET, msg.srcVault, 32) ||
    !writeFixedHex(out, offset + ASSET_OFFSET, msg.asset, 32)
  ) {
    return false;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, MESSAGE_LENGTH);
  view.setUint8(VERSION_OFFSET, CREDIT_MESSAGE_VERSION);
  view.setUint8(MESSAGE_TYPE_OFFSET, MessageType.Credit);
  view.setUint32(SRC_EID_OFFSET, srcEid);
  view.setUint8(ASSET_DECIMALS_OFFSET, assetDecimals);
  view.setBigUint64(DEPOSIT_NONCE_OFFSET, depositNonce);
  view.setBigUint64(RAW_AMOUNT_OFFSET, rawAmount >> 64n);
  view.setBigUint64(RAW_AMOUNT_OFFSET + 8, BigInt.asUintN(64, rawAmount));
  view.setBigUint64(HAIRCUT_VALUE_OFFSET, haircutValue >> 64n);
  view.setBigUint64(HAIRCUT_VALUE_OFFSET + 8, BigInt.asUintN(64, haircutValue));
  view.setBigUint64(PRICE_OFFSET, price >> 64n);
  view.setBigUint64(PRICE_OFFSET + 8, BigInt.asUintN(64, price));
  view.setBigUint64(PRICE_TIMESTAMP_OFFSET, priceTimestamp);
  view.setBigUint64(HAIRCUT_OFFSET, haircut);
  view.setBigUint64(SIZE_WEIGHT_OFFSET, sizeWeight);
  return true;
}

/**
 * Strict decode: length ≠ 183 → InvalidLengthError; version ≠ 1 → UnsupportedVersionError; messageType ≠ 1 →
 * UnsupportedMessageTypeError (checked in that order). A string input must be 0x hex (InvalidHexError).
 * bytes32 fields are returned lowercase. Whether srcVault/asset are canonical EVM addresses is the caller's
 * check (`isEvmAddress`), since only the caller knows the source chain's VM.
 */
export function decodeCreditMessage(input: DecodeCreditMessageParameters): DecodeCreditMessageReturnType {
  const b = toBytes(input, 'message');
  if (b.length !== MESSAGE_LENGTH) throw new InvalidLengthError({ expected: MESSAGE_LENGTH, actual: b.length, subject: 'message' });
  const version = b[VERSION_OFFSET] ?? 0;
  if (version !== CREDIT_MESSAGE_VERSION) throw new UnsupportedVersionError({ version });
  const messageType = b[MESSAGE_TYPE_OFFSET] ?? 0;
  if (messageType !== CREDIT_TYPE_BYTE) throw new UnsupportedMessageTypeError({ messageType });

  const bytes32At = (offset: number): Hex => bytesToHex(b.subarray(offset, offset + 32));
  return {
    version: CREDIT_MESSAGE_VERSION,
    messageType: MessageType.Credit,
    account: bytes32At(ACCOUNT_OFFSET),
    srcEid: Number(readUintBE(b, SRC_EID_OFFSET, 4)),
    srcVault: bytes32At(SRC_VAULT_OFFSET),
    asset: bytes32At(ASSET_OFFSET),
    assetDecimals: Number(readUintBE(b, ASSET_DECIMALS_OFFSET, 1)),
    depositNonce: readUintBE(b, DEPOSIT_NONCE_OFFSET, 8),
    rawAmount: readUintBE(b, RAW_AMOUNT_OFFSET, 16),
    haircutValue: readUintBE(b, HAIRCUT_VALUE_OFFSET, 16),
    price: readUintBE(b, PRICE_OFFSET, 16),
    priceTimestamp: readUintBE(b, PRICE_TIMESTAMP_OFFSET, 8),
    haircut: readUintBE(b, HAIRCUT_OFFSET, 8),
    sizeWeight: readUintBE(b, SIZE_WEIGHT_OFFSET, 8),
  };
}
