/**
 * `--name value` / `--name=value` / `--flag` parsing for the scripts, on Node's `util.parseArgs`: unknown flags,
 * positional arguments, a flag given a value and a missing value are errors (UsageError), never silently ignored.
 * A `--` (the npm/pnpm pass-through separator) is skipped wherever it is.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(readonly shortMessage: string) {
    super(shortMessage);
  }
}

export type FlagSpec = Record<string, 'boolean' | 'integer' | 'string'>;
export type Flags<S extends FlagSpec> = { [K in keyof S]?: S[K] extends 'boolean' ? boolean : S[K] extends 'integer' ? number : string };

export function parseFlags<S extends FlagSpec>(argv: readonly string[], spec: S): Flags<S> {
  const args = argv.filter((a) => a !== '--');
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, kind] of Object.entries(spec)) options[name] = { type: kind === 'boolean' ? 'boolean' : 'string' };
  // Not strict: parseArgs tokenizes, the checks below word the errors (naming the argument and the known flags).
  const { values, tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const known = (): string => Object.keys(spec).map((k) => `--${k}`).join(', ');
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue; // unreachable: every `--` was removed above
    const raw = args[token.index]!;
    if (token.kind === 'positional' || !Object.hasOwn(spec, token.name) || !token.rawName.startsWith('--')) throw new UsageError(`unknown argument ${raw} (known: ${known()})`);
    if (spec[token.name] === 'boolean' && token.value !== undefined) throw new UsageError(`--${token.name} takes no value, got ${raw}`);
    if (spec[token.name] !== 'boolean' && token.value === undefined) throw new UsageError(`--${token.name} needs a value`);
  }
  const out: Record<string, boolean | number | string> = {};
  for (const [name, kind] of Object.entries(spec)) {
    const value = values[name];
    if (value === undefined) continue;
    if (kind === 'integer') {
      if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new UsageError(`--${name} expects a non-negative integer, got ${String(value)}`);
      out[name] = Number(value);
    } else out[name] = value;
  }
  return out as Flags<S>; // every key was checked against `spec` and given the matching type above
}
