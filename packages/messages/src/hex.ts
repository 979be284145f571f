import { InvalidHexError, InvalidLengthError, type LengthSubject } from './errors';

/** 0x-prefixed hex. Values this package returns are always lowercase. */
export type Hex = `0x${string}`;

const HEX_RE = /^0x(?:[0-9a-fA-F]{2})*$/;

/** True for a 0x-prefixed string with an even number of hex digits (`0x` alone is the empty byte string). */
export function isHex(value: unknown): value is Hex {
  return typeof value === 'string' && HEX_RE.test(value);
}

/** Hex or bytes → a fresh Uint8Array. Throws InvalidHexError for anything that is not even-length 0x hex. */
export function toBytes(value: Hex | Uint8Array, field?: string): Uint8Array {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (!isHex(value)) throw new InvalidHexError({ value: String(value), field });
  const out = new Uint8Array((value.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(value.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** Bytes → lowercase 0x hex. */
export function bytesToHex(bytes: Uint8Array): Hex {
  let s = '0x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  // The string is built from "0x" plus hex digits, so it is a Hex by construction.
  return s as Hex;
}

/** Hex of exactly `size` bytes, returned lowercase; InvalidHexError / InvalidLengthError otherwise. */
export function toFixedHex(value: Hex | Uint8Array, size: number, subject: LengthSubject): Hex {
  const bytes = toBytes(value, subject);
  if (bytes.length !== size) throw new InvalidLengthError({ expected: size, actual: bytes.length, subject });
  return bytesToHex(bytes);
}
