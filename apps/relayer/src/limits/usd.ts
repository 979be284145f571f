/** USD amounts of the limits: exact bigint with 18 decimals (the unit of every haircut value). */
export const USD_DECIMALS = 18;
const ONE = 10n ** BigInt(USD_DECIMALS);

/** "10000" / "2500.5" (whole dollars, ≤ 18 fractional digits, as the config schema checks) → 18-decimal bigint, exact. */
export function parseUsd(value: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(value);
  if (m === null) throw new RangeError(`not a USD decimal string: ${value}`);
  return BigInt(m[1]!) * ONE + BigInt((m[2] ?? '').padEnd(USD_DECIMALS, '0'));
}

/** 18-decimal bigint → "10000" / "2500.5" (exact, no trailing zeros; negative values keep their sign). */
export function formatUsd(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const fraction = (abs % ONE).toString().padStart(USD_DECIMALS, '0').replace(/0+$/, '');
  return `${sign}${abs / ONE}${fraction === '' ? '' : `.${fraction}`}`;
}

/** A gauge's float of an 18-decimal USD amount (rounded to the cent's millionth; gauges are floats anyway). */
export function usdGauge(value: bigint): number {
  return Number(value / 10n ** 10n) / 1e8;
}
