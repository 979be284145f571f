/**
 * Internal helpers shared by the fixed-layout bodies (withdrawalMessage.ts, releaseResultMessage.ts, voidMessage.ts,
 * markMessage.ts): the strict decode prologue (length, then version, then messageType), the encode prologue, the field
 * rules, and the JSON conversions. Not exported from the package.
 */
import { FieldOutOfRangeError, InvalidFieldError, InvalidLengthError, UnsupportedMessageTypeError, UnsupportedVersionError } from './errors';
import { bytesToHex, toBytes, toFixedHex, type Hex } from './hex';
import { MESSAGE_TYPE_OFFSET, MESSAGE_VERSION, type MessageType, VERSION_OFFSET } from './messageType';
import { checkUint, readUintBE, writeUintBE } from './uint';

/**
 * Decode prologue: bytes of `input` (InvalidHexError for a bad string), exactly `length` long (InvalidLengthError),
 * version 1 (UnsupportedVersionError), messageType `type` (UnsupportedMessageTypeError), in that order.
 */
export function readBody(input: Hex | Uint8Array, type: MessageType, length: number): Uint8Array {
  const b = toBytes(input, 'message');
  if (b.length !== length) throw new InvalidLengthError({ expected: length, actual: b.length, subject: 'message' });
  const version = b[VERSION_OFFSET] ?? 0;
  if (version !== MESSAGE_VERSION) throw new UnsupportedVersionError({ version });
  const messageType = b[MESSAGE_TYPE_OFFSET] ?? 0;
  const expected: number = type; // the byte a body of `type` carries
  if (messageType !== expected) throw new UnsupportedMessageTypeError({ messageType, expected });
  return b;
}

/** Encode prologue: a zeroed buffer of `length` with version 1 and `type`, after checking the given version and type. */
export function startBody(msg: { version: unknown; messageType: unknown }, type: MessageType, length: number): Uint8Array {
  const version = Number(checkUint('version', msg.version, 8, 'number'));
  if (version !== MESSAGE_VERSION) throw new UnsupportedVersionError({ version });
  const messageType = Number(checkUint('messageType', msg.messageType, 8, 'number'));
  const expected: number = type; // as in readBody
  if (messageType !== expected) throw new UnsupportedMessageTypeError({ messageType, expected });
  const out = new Uint8Array(length);
  out[VERSION_OFFSET] = version;
  out[MESSAGE_TYPE_OFFSET] = messageType;
  return out;
}

/** Writes a bytes32 field (InvalidHexError / InvalidLengthError naming it) and returns its lowercase hex. */
export function writeBytes32(out: Uint8Array, offset: number, field: string, value: Hex | Uint8Array): Hex {
  const hex = toFixedHex(value, 32, field);
  out.set(toBytes(hex), offset);
  return hex;
}

/** Range-checks and writes an unsigned integer field of `size` bytes; returns it as a bigint. */
export function writeUint(out: Uint8Array, offset: number, size: 1 | 4 | 8 | 16, field: string, value: unknown, kind: 'bigint' | 'number'): bigint {
  const bits = size === 1 ? 8 : size === 4 ? 32 : size === 8 ? 64 : 128;
  const v = checkUint(field, value, bits, kind);
  writeUintBE(out, offset, size, v);
  return v;
}

export const bytes32At = (b: Uint8Array, offset: number): Hex => bytesToHex(b.subarray(offset, offset + 32));
export const uintAt = (b: Uint8Array, offset: number, size: number): bigint => readUintBE(b, offset, size);
export const numberAt = (b: Uint8Array, offset: number, size: 1 | 4): number => Number(readUintBE(b, offset, size));

const ZERO_BYTES32: Hex = `0x${'00'.repeat(32)}`;

/** Field rule: a bytes32 that must not be zero (InvalidFieldError). */
export function requireNonZeroBytes32(field: string, value: Hex): void {
  if (value === ZERO_BYTES32) throw new InvalidFieldError({ field, value, rule: 'must not be zero' });
}

/** Field rule: an amount that must be > 0 (InvalidFieldError). */
export function requirePositive(field: string, value: bigint): void {
  if (value === 0n) throw new InvalidFieldError({ field, value: '0', rule: 'must be > 0' });
}

/** Field rule: an integer that must be ≤ `max` (InvalidFieldError). */
export function requireAtMost(field: string, value: bigint, max: bigint): void {
  if (value > max) throw new InvalidFieldError({ field, value: value.toString(), rule: `must be ≤ ${max}` });
}

/** Field rule: a uint8 that must be one of `allowed` (InvalidFieldError). */
export function requireOneOf(field: string, value: number, allowed: readonly number[]): void {
  if (!allowed.includes(value)) throw new InvalidFieldError({ field, value: String(value), rule: `must be one of ${allowed.join(', ')}` });
}

// JSON ------------------------------------------------------------------------------------------------------------

const DECIMAL_RE = /^(?:0|[1-9][0-9]*)$/;

/** A decimal-string JSON integer of `bits` (FieldOutOfRangeError naming the field otherwise). */
export function decimalFromJson(field: string, value: unknown, bits: 64 | 128): bigint {
  if (typeof value !== 'string' || !DECIMAL_RE.test(value)) {
    throw new FieldOutOfRangeError({ field, max: (1n << BigInt(bits)) - 1n, value });
  }
  return checkUint(field, BigInt(value), bits);
}

/** A JSON number of `bits` (FieldOutOfRangeError naming the field otherwise). */
export function numberFromJson(field: string, value: unknown, bits: 8 | 32): number {
  return Number(checkUint(field, value, bits, 'number'));
}

/** A JSON bytes32: 0x hex of 32 bytes, returned lowercase (InvalidHexError / InvalidLengthError naming the field). */
export function bytes32FromJson(field: string, value: unknown): Hex {
  // toFixedHex validates at runtime that the string is 0x hex; a non-string fails the same check.
  return toFixedHex((typeof value === 'string' ? value : String(value)) as Hex, 32, field);
}
