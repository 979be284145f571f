import { InvalidInputError } from '../errors';
import { join } from '../fieldPath';
import { DECIMALS, parseDecimal } from '../money/fixed';
import { isUnsafeInteger, unsafeIntegerError } from '../money/readJson';

/** The field-path style of every error (`positions[2].amount`, `configs["USDC.e"]`), see fieldPath.ts. */
export { join };

/** Readers for JSON input that name the offending field. Numbers may be JSON numbers or decimal strings. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidInputError('expected an object', { field });
  return value as Record<string, unknown>; // checked just above
}

export function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new InvalidInputError('expected an array', { field });
  return value;
}

export function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidInputError('expected a non-empty string', { field });
  return value;
}

/** A decimal (JSON number or string) → 18-decimal bigint, exact; more than 18 fractional digits is an error. */
export function fixed(value: unknown, field: string): bigint {
  if (typeof value !== 'string' && typeof value !== 'number') throw new InvalidInputError('expected a decimal number', { field });
  if (isUnsafeInteger(value)) throw unsafeIntegerError(value, field);
  try {
    return parseDecimal(value, DECIMALS, undefined, field);
  } catch (cause) {
    throw new InvalidInputError(`expected a decimal number, got ${JSON.stringify(value)}`, { field, cause });
  }
}

/** A decimal → float, for model inputs (vols, rates, shocks). Must be finite. */
export function float(value: unknown, field: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new InvalidInputError(`expected a finite decimal number, got ${JSON.stringify(value)}`, { field });
  return n;
}

export function optional<T>(obj: Record<string, unknown>, key: string, read: (v: unknown, field: string) => T, field: string): T | undefined {
  const v = obj[key];
  return v === undefined || v === null ? undefined : read(v, join(field, key));
}

export function required<T>(obj: Record<string, unknown>, key: string, read: (v: unknown, field: string) => T, field: string): T {
  const path = join(field, key);
  const v = obj[key];
  if (v === undefined || v === null) throw new InvalidInputError('is required', { field: path });
  return read(v, path);
}
