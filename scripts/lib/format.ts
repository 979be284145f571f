/**
 * Text formatting for the demo and benchmark output: money from bigint fixed point (never via floats),
 * token amounts, percentages, durations, and plain-text tables.
 */
const E18 = 10n ** 18n;

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A non-negative fixed-point integer with `decimals` as "1,234.56", rounded DOWN to `shown` fractional digits. */
export function formatFixed(value: bigint, decimals: number, shown: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  let frac = '';
  if (shown > 0) {
    const f = ((abs % scale) * 10n ** BigInt(shown)) / scale; // rounded down
    frac = `.${f.toString().padStart(shown, '0')}`;
  }
  return `${negative ? '-' : ''}${groupThousands(whole.toString())}${frac}`;
}

/** USD with 18 decimals → "$1,234.56" (rounded down to the cent). */
export function formatUsd(value18: bigint): string {
  return `$${formatFixed(value18, 18, 2)}`;
}

/** A token amount in base units → "1,500.25 WETH", trailing zeros trimmed, at most `maxFraction` digits (rounded down). */
export function formatToken(amount: bigint, decimals: number, symbol: string, maxFraction = 6): string {
  const shown = Math.min(decimals, maxFraction);
  const text = formatFixed(amount, decimals, shown);
  return `${shown > 0 ? text.replace(/\.?0+$/, '') : text} ${symbol}`;
}

/** An 18-decimal fraction → "2.00%". */
export function formatPercent(fraction18: bigint, shown = 2): string {
  return `${formatFixed(fraction18 * 100n, 18, shown)}%`;
}

/** An 18-decimal price → "$2,150.00" (4 digits when below $10). */
export function formatPrice(price18: bigint): string {
  return `$${formatFixed(price18, 18, price18 < 10n * E18 ? 4 : 2)}`;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function shortHex(hex: string, keep = 6): string {
  return hex.length <= 2 + 2 * keep ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-4)}`;
}

export type Align = 'left' | 'right';

/** A plain-text table: header, rule, rows; columns padded to their widest cell. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
