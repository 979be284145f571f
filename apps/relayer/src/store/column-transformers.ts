import type { ValueTransformer } from 'typeorm';

/** Epoch milliseconds in a 64-bit integer column (`bigint`: ms exceed 2^31) ↔ Date (null stays null). Strings are read too. */
export const dateMs = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : value ?? null),
  from: (value: number | string | null) => (value === null || value === undefined ? null : new Date(Number(value))),
} satisfies ValueTransformer;

/**
 * A uint64 nonce in a 64-bit integer column (`bigint`) ↔ bigint. SQLite integers are signed 64-bit but the sqlite3
 * driver reads them as JS numbers, so values above 2^53 are refused rather than silently rounded. (A PostgreSQL
 * driver returns `bigint` as decimal text, which `BigInt` reads as well.)
 */
export const bigintInteger = {
  to: (value: bigint | null | undefined) => {
    if (value === null || value === undefined) return null;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`nonce ${value} exceeds 2^53; widen the column`);
    return Number(value);
  },
  from: (value: number | string | null) => (value === null || value === undefined ? null : BigInt(value)),
} satisfies ValueTransformer;

/**
 * A `bigint` column whose values stay safe integers (unix seconds, account nonces) ↔ number. The sqlite driver returns
 * numbers already (read unchanged); a PostgreSQL driver returns `bigint` as decimal text, made a number here. Written
 * as given (undefined stays undefined, so an omitted field is still omitted).
 */
export const bigintNumber = {
  to: (value: number | null | undefined) => value,
  from: (value: number | string | null) => {
    if (value === null || value === undefined) return value;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new RangeError(`integer column value ${value} is not a safe integer`);
    return n;
  },
} satisfies ValueTransformer;
