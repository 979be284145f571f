/** Minimal `--name value` / `--flag` parsing for the scripts (unknown flags are an error, not silently ignored). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(readonly shortMessage: string) {
    super(shortMessage);
  }
}

export type FlagSpec = Record<string, 'boolean' | 'integer' | 'string'>;
export type Flags<S extends FlagSpec> = { [K in keyof S]?: S[K] extends 'boolean' ? boolean : S[K] extends 'integer' ? number : string };

export function parseFlags<S extends FlagSpec>(argv: readonly string[], spec: S): Flags<S> {
  const out: Record<string, boolean | number | string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue; // npm/pnpm pass-through separator
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    const name = m?.[1];
    const kind = name === undefined ? undefined : spec[name];
    if (name === undefined || kind === undefined) throw new UsageError(`unknown argument ${arg} (known: ${Object.keys(spec).map((k) => `--${k}`).join(', ')})`);
    if (kind === 'boolean') {
      out[name] = true;
      continue;
    }
    const value = m?.[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (kind === 'integer') {
      if (!/^\d+$/.test(value)) throw new UsageError(`--${name} expects a non-negative integer, got ${value}`);
      out[name] = Number(value);
    } else out[name] = value;
  }
  return out as Flags<S>; // every key was checked against `spec` and given the matching type above
}
