const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The one field-path style of every error: JavaScript accessors from the root of the input.
 * `a.b` + `c` → `a.b.c`; '' + `c` → `c`; `positions` + 2 → `positions[2]`; a key that is not an identifier is
 * quoted, so a path stays unambiguous: `configs` + `USDC.e` → `configs["USDC.e"]`, `prices` + `1INCH` → `prices["1INCH"]`.
 */
export function join(field: string, key: string | number): string {
  if (typeof key === 'number') return `${field}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${field}[${JSON.stringify(key)}]`;
  return field === '' ? key : `${field}.${key}`;
}

/** A path as keys and indices → its field string: ['account', 'positions', 2, 'amount'] → `account.positions[2].amount`. */
export function fieldOf(path: readonly (string | number)[]): string {
  return path.reduce<string>((field, key) => join(field, key), '');
}
