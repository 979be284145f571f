import { InvalidInputError } from '../errors';
import { validateDecimals } from './asset';

/** A whole number (JSON safe integer or a string of digits, e.g. base units "6000000000000") → bigint. */
export function integer(value: unknown, field: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  throw new InvalidInputError(`expected a whole number (JSON integer or digit string), got ${JSON.stringify(value)}`, { field });
}

/** A non-negative whole number → bigint. */
export function naturalNumber(value: unknown, field: string): bigint {
  const n = integer(value, field);
  if (n < 0n) throw new InvalidInputError('must not be negative', { field });
  return n;
}

/** Token decimals: an integer in [0, 77]. */
export function tokenDecimals(value: unknown, field: string): number {
  const n = integer(value, field);
  if (n > 77n || n < 0n) throw new InvalidInputError(`decimals must be in [0, 77], got ${n}`, { field });
  validateDecimals(Number(n), field);
  return Number(n);
}
