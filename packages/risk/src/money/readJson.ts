import { InvalidInputError } from '../errors';
import { validateDecimals } from './asset';

/** The largest integer a JSON number (an IEEE double) holds exactly: 2^53 − 1. */
export const MAX_JSON_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * The error for an integer JSON number beyond 2^53 − 1, which JSON.parse has already rounded
 * (9007199254740993 reads as 9007199254740992). `written` is the number as it stands in the JSON text when the
 * caller has it (the CLI does, see cli/parseJson.ts); without it the message quotes the rounded value.
 */
export function unsafeIntegerError(value: number, field: string, written?: string): InvalidInputError {
  const readAs = plainInteger(value);
  const what = written === undefined ? `a JSON number beyond 2^53 − 1 (${MAX_JSON_INTEGER}), read as ${readAs}` : `${written} is beyond 2^53 − 1 (${MAX_JSON_INTEGER}) and reads as ${readAs}`;
  const example = written === undefined ? '"6000000000000000000"' : JSON.stringify(expandExponent(written));
  return new InvalidInputError(`${what}: a JSON number that large loses digits; write it as a string, e.g. ${example}`, {
    field,
    details: written === undefined ? { readAs } : { written, readAs },
  });
}

/** True for a JSON number that is a whole number beyond 2^53 − 1 (it may have lost digits). */
export function isUnsafeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
}

/** A whole number (JSON safe integer or a string of digits, e.g. base units "6000000000000") → bigint. */
export function integer(value: unknown, field: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (isUnsafeInteger(value)) throw unsafeIntegerError(value, field);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  throw new InvalidInputError(`expected a whole number (JSON integer or digit string), got ${JSON.stringify(value)}`, { field });
}

/** A non-negative whole number → bigint. */
export function naturalNumber(value: unknown, field: string): bigint {
  const n = integer(value, field);
  if (n < 0n) throw new InvalidInputError(`must not be negative, got ${n}`, { field });
  return n;
}

/** Token decimals: an integer in [0, 77]. */
export function tokenDecimals(value: unknown, field: string): number {
  const n = integer(value, field);
  if (n > 77n || n < 0n) throw new InvalidInputError(`decimals must be in [0, 77], got ${n}`, { field });
  validateDecimals(Number(n), field);
  return Number(n);
}

/** A whole double as its digits (1e21 → "1000000000000000000000"): BigInt is exact for any integer double. */
function plainInteger(value: number): string {
  return BigInt(value).toString();
}

/** "1.5e21" → "1500000000000000000000", "-2E3" → "-2000"; text without an exponent is returned as is. */
function expandExponent(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text);
  if (m === null) return text;
  const [, sign = '', int = '', frac = '', exponent = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
