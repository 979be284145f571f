import { FieldOutOfRangeError } from './errors';

export const MAX_UINT8 = (1n << 8n) - 1n;
export const MAX_UINT32 = (1n << 32n) - 1n;
export const MAX_UINT64 = (1n << 64n) - 1n;
export const MAX_UINT128 = (1n << 128n) - 1n;

/**
 * Checks that `value` is an integer in [0, 2^bits − 1] of the expected runtime kind (`'bigint'`, `'number'` — a safe
 * integer —, or `'any'` of the two) and returns it as a bigint; FieldOutOfRangeError naming `field` otherwise.
 */
export function checkUint(field: string, value: unknown, bits: 8 | 32 | 64 | 128, kind: 'bigint' | 'number' | 'any' = 'any'): bigint {
  const max = (1n << BigInt(bits)) - 1n;
  let v: bigint | undefined;
  if (typeof value === 'bigint' && kind !== 'number') v = value;
  else if (typeof value === 'number' && kind !== 'bigint' && Number.isSafeInteger(value)) v = BigInt(value);
  if (v === undefined || v < 0n || v > max) throw new FieldOutOfRangeError({ field, max, value });
  return v;
}

/** Writes `value` big-endian into `size` bytes of `out` at `offset`. The caller has range-checked it. */
export function writeUintBE(out: Uint8Array, offset: number, size: number, value: bigint): void {
  let v = value;
  for (let i = offset + size - 1; i >= offset; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Reads `size` bytes of `bytes` at `offset` as a big-endian unsigned integer. */
export function readUintBE(bytes: Uint8Array, offset: number, size: number): bigint {
  let v = 0n;
  for (let i = offset; i < offset + size; i++) v = (v << 8n) | BigInt(bytes[i] ?? 0);
  return v;
}
