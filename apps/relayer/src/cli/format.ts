/** Plain-text output of the client commands: aligned tables, amounts in whole units, USD, ages. */

/** Columns aligned on the widest cell, two spaces apart; `-` for an empty cell; `(none)` for no rows. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  if (rows.length === 0) return '  (none)\n';
  const cells = rows.map((r) => headers.map((_, i) => cell(r[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return `${[line(headers), ...cells.map(line)].join('\n')}\n`;
}

function cell(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === '' ? '-' : String(v);
}

/** `label: value` lines, labels aligned. */
export function fields(entries: readonly (readonly [string, string | number | null | undefined])[]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return `${entries.map(([k, v]) => `  ${`${k}:`.padEnd(width + 1)}  ${cell(v)}`).join('\n')}\n`;
}

/** Base units as whole units (`1500250000`, 6 → `1500.25`); raw when the decimals are unknown. */
export function units(raw: string | null | undefined, decimals: number | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (decimals === null || decimals === undefined || !/^-?\d+$/.test(raw)) return raw;
  const v = BigInt(raw);
  const abs = v < 0n ? -v : v;
  const scale = 10n ** BigInt(decimals);
  const fraction = (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${v < 0n ? '-' : ''}${abs / scale}${fraction === '' ? '' : `.${fraction}`}`;
}

/** A USD amount with 18 decimals as `1,234.56` (rounded down to cents). */
export function usd(raw18: string | null | undefined): string | null {
  if (raw18 === null || raw18 === undefined || !/^-?\d+$/.test(raw18)) return raw18 ?? null;
  const v = BigInt(raw18);
  const cents = (v < 0n ? -v : v) / 10n ** 16n;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${v < 0n ? '-' : ''}${whole}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** A bytes32 holding a left-padded EVM address as that address; anything else as it is. */
export function address(b32: string | null | undefined): string | null {
  if (b32 === null || b32 === undefined) return null;
  return /^0x0{24}[0-9a-fA-F]{40}$/.test(b32) ? `0x${b32.slice(26)}` : b32;
}

/** A long hex string (a padded address first unpadded) as `0x1234ab…cdef`. */
export function short(hex: string | null | undefined): string | null {
  const h = address(hex);
  if (h === null) return null;
  return h.length <= 16 ? h : `${h.slice(0, 8)}…${h.slice(-4)}`;
}

/** How long ago an ISO time was (`42 s ago`, `3 min ago`, `5 h ago`, `2 d ago`). */
export function ago(iso: string | null | undefined, now = Date.now()): string | null {
  if (iso === null || iso === undefined) return null;
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return iso;
  if (s < 0) return `in ${seconds(-s)}`;
  return `${seconds(s)} ago`;
}

export function seconds(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}
