import { InvalidNumberError } from '../errors';

/**
 * Fixed-point decimals as bigint. A `Fixed` is an integer scaled by 10^18 unless a function says otherwise.
 * Rounding is always explicit: collateral values round `down`, requirements round `up`.
 */
export type Fixed = bigint;
export type Rounding = 'down' | 'up' | 'half-up';

export const DECIMALS = 18;
export const ONE: Fixed = 10n ** 18n;
export const ZERO: Fixed = 0n;

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** "1.5" → 1.5·10^decimals exactly. More fractional digits than `decimals` are rounded as asked (default: refused). */
export function parseDecimal(input: string | number, decimals = DECIMALS, rounding?: Rounding, field?: string): bigint {
  const text = typeof input === 'number' ? numberToPlainString(input, field) : input.trim();
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new InvalidNumberError(`not a decimal number: ${JSON.stringify(input)}`, { field, details: { input } });
  const [, sign, int = '0', frac = ''] = m;
  let digits = BigInt(int + frac.slice(0, decimals).padEnd(decimals, '0'));
  const rest = frac.slice(decimals);
  if (rest.length > 0 && /[1-9]/.test(rest)) {
    if (rounding === undefined)
      throw new InvalidNumberError(`more than ${decimals} fractional digits: ${text}`, { field, details: { input } });
    const negative = sign === '-';
    if (rounding === 'half-up' ? rest[0]! >= '5' : (rounding === 'up') !== negative) digits += 1n;
  }
  return sign === '-' ? -digits : digits;
}

/** Fixed → "123.450000" with at least `minFraction` fractional digits (trailing zeros beyond it trimmed). */
export function formatDecimal(value: bigint, decimals = DECIMALS, minFraction = 0): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const int = abs / scale;
  let frac = (abs % scale).toString().padStart(decimals, '0');
  while (frac.length > minFraction && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${negative ? '-' : ''}${int}${frac.length > 0 ? `.${frac}` : ''}`;
}

/** a · b / d with the chosen rounding (towards −∞ for `down`, +∞ for `up`). d must be non-zero. */
export function mulDiv(a: bigint, b: bigint, d: bigint, rounding: Rounding): bigint {
  if (d === 0n) throw new InvalidNumberError('division by zero', { details: { a, b } });
  return divRound(a * b, d, rounding);
}

/** n / d rounded towards −∞ (`down`), +∞ (`up`) or half away from zero (`half-up`). */
export function divRound(n: bigint, d: bigint, rounding: Rounding): bigint {
  if (d > 0n && n >= 0n && rounding === 'down') return n / d; // the common case (collateral values): plain truncation
  if (d === 0n) throw new InvalidNumberError('division by zero', { details: { n } });
  if (d < 0n) return divRound(-n, -d, rounding);
  const q = n / d; // truncates towards zero
  const r = n - q * d; // n % d, one multiplication instead of a second division
  if (r === 0n) return q;
  switch (rounding) {
    case 'down':
      return n < 0n ? q - 1n : q;
    case 'up':
      return n > 0n ? q + 1n : q;
    case 'half-up': {
      const twice = 2n * (r < 0n ? -r : r);
      if (twice >= d) return n < 0n ? q - 1n : q + 1n;
      return q;
    }
  }
}

/** Fixed × Fixed. */
export function mul(a: Fixed, b: Fixed, rounding: Rounding): Fixed {
  return mulDiv(a, b, ONE, rounding);
}

/** Fixed ÷ Fixed. */
export function div(a: Fixed, b: Fixed, rounding: Rounding): Fixed {
  return mulDiv(a, ONE, b, rounding);
}

/** A float from model maths → Fixed, rounding as asked. NaN and ±Infinity are refused. */
export function fromFloat(x: number, rounding: Rounding, field?: string): Fixed {
  if (!Number.isFinite(x)) throw new InvalidNumberError(`not a finite number: ${x}`, { field, details: { value: String(x) } });
  // Exact decimal expansion of the double, then round to 18 places.
  return parseDecimal(numberToPlainString(x, field), DECIMALS, rounding, field);
}

/** Fixed → float, for model maths only. */
export function toFloat(x: Fixed): number {
  return Number(x) / 1e18;
}

/** Scale a token amount with `decimals` to 18-decimal Fixed (exact when decimals ≤ 18). */
export function scaleTo18(amount: bigint, decimals: number, rounding: Rounding = 'down'): Fixed {
  if (decimals <= DECIMALS) return amount * 10n ** BigInt(DECIMALS - decimals);
  return divRound(amount, 10n ** BigInt(decimals - DECIMALS), rounding);
}

const POW10: readonly bigint[] = Array.from({ length: 78 }, (_, i) => 10n ** BigInt(i));

/** 10^n as bigint, from a table for n in [0, 77]. */
export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

export function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function abs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/**
 * A JS number as a plain decimal string (no exponent): its shortest round-trip form (2004.7545 → "2004.7545"),
 * which is what a JSON number means to the person who wrote it.
 */
function numberToPlainString(x: number, field?: string): string {
  if (!Number.isFinite(x)) throw new InvalidNumberError(`not a finite number: ${x}`, { field, details: { value: String(x) } });
  const text = String(x);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign = '', int = '', frac = '', expText = '0'] = m;
  const exp = Number(expText);
  const digits = int + frac;
  const point = int.length + exp; // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
