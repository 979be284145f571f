import type { ValueTransformer } from 'typeorm';

/** Epoch milliseconds in an INTEGER column ↔ Date (null stays null). */
export const dateMs: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : value ?? null),
  from: (value: number | null) => (value === null || value === undefined ? null : new Date(Number(value))),
};

/**
 * A uint64 nonce in an INTEGER column ↔ bigint. SQLite integers are signed 64-bit but the sqlite3 driver
 * reads them as JS numbers, so values above 2^53 are refused rather than silently rounded.
 */
export const bigintInteger: ValueTransformer = {
  to: (value: bigint | null | undefined) => {
    if (value === null || value === undefined) return null;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`nonce ${value} exceeds 2^53; widen the column`);
    return Number(value);
  },
  from: (value: number | null) => (value === null || value === undefined ? null : BigInt(value)),
};
