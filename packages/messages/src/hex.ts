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

/** The two lowercase hex digits of every byte value. */
const BYTE_TO_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The value of each ASCII hex digit (either case), −1 for every other character code below 128. */
const HEX_DIGIT_VALUE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let c = 0; c < 16; c++) {
    t[c.toString(16).charCodeAt(0)] = c;
    t[c.toString(16).toUpperCase().charCodeAt(0)] = c;
  }
  return t;
})();

/** Bytes → lowercase 0x hex. */
export function bytesToHex(bytes: Uint8Array): Hex {
  let s = '0x';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_HEX[bytes[i] ?? 0];
  // The string is built from "0x" plus hex digits, so it is a Hex by construction.
  return s as Hex;
}

/**
 * Fast path, never throws: when `value` is a 0x hex string of exactly `size` bytes (either case), writes those bytes
 * into `out` at `offset` and returns true. Otherwise returns false (`out` may then be partly written) and the caller
 * takes the checked path (`toFixedHex`), which throws the typed error.
 */
export function writeFixedHex(out: Uint8Array, offset: number, value: unknown, size: number): boolean {
  if (typeof value !== 'string' || value.length !== 2 + 2 * size || value.charCodeAt(0) !== 0x30 || value.charCodeAt(1) !== 0x78) return false;
  for (let i = 0; i < size; i++) {
    const hi = HEX_DIGIT_VALUE[value.charCodeAt(2 + 2 * i)] ?? -1; // undefined above code 127
    const lo = HEX_DIGIT_VALUE[value.charCodeAt(3 + 2 * i)] ?? -1;
    if (hi < 0 || lo < 0) return false;
    out[offset + i] = (hi << 4) | lo;
  }
  return true;
}

/** Hex of exactly `size` bytes, returned lowercase; InvalidHexError / InvalidLengthError otherwise. */
export function toFixedHex(value: Hex | Uint8Array, size: number, subject: LengthSubject): Hex {
  const bytes = toBytes(value, subject);
  if (bytes.length !== size) throw new InvalidLengthError({ expected: size, actual: bytes.length, subject });
  return bytesToHex(bytes);
}
