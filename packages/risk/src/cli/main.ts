#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InvalidInputError, RiskError } from '../errors';
import { fieldOf } from '../fieldPath';
import { unsafeIntegerError } from '../money/readJson';
import type { CliCommand } from './command';
import { loadCommands, type CommandRegistry } from './commands';
import { findUnsafeIntegers, parseJsonText, type UnsafeInteger } from './parseJson';

/**
 * `risk <command> --input <file.json>` — reads a JSON input, runs the command, prints JSON on stdout and nothing
 * else (so `risk value --input f.json | jq` works). A JSON array input is a batch: the output is an array of results
 * in the same order, an invalid element yields `{ "error": … }` in its place and the exit code is then 2.
 * Exit codes: 0 ok (also --help, --version); 2 invalid input, a missing or unknown command or option, an unreadable
 * file (a RiskError JSON naming the field on stderr); 1 an unexpected failure. `--input -` reads stdin.
 */
export type CliIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Throws when the file cannot be read. */
  readFile(path: string): string;
  /** What `--version` prints: the package's version. */
  version: string;
};

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INVALID = 2;

export function runCli(argv: readonly string[], io: CliIo, registry: CommandRegistry = loadCommands()): number {
  try {
    const args = parseCliArgs(argv);
    if (args.version) {
      io.stdout(`${io.version}\n`);
      return EXIT_OK;
    }
    if (args.help) {
      io.stdout(helpText(registry, args.command));
      return EXIT_OK;
    }
    if (args.command === undefined)
      throw new InvalidInputError(`is required: risk <${[...registry.commands.keys()].join('|')}> --input <file.json> (risk --help)`, { field: 'command' });
    const command = registry.commands.get(args.command);
    if (command === undefined)
      throw new InvalidInputError(`unknown command "${args.command}"`, {
        field: 'command',
        details: { command: args.command, known: [...registry.commands.keys()], unavailable: Object.fromEntries(registry.unavailable) },
      });
    if (args.input === undefined) throw new InvalidInputError('is required: risk <command> --input <file.json>', { field: '--input' });
    const text = readInput(io, args.input);
    const input = parseJsonText(text);
    const unsafe = findUnsafeIntegers(text);
    if (Array.isArray(input)) return runBatch(command, input, unsafe, io);
    const [first] = unsafe;
    if (first !== undefined) throw unsafeIntegerError(first.value, fieldOf(first.path), first.literal);
    io.stdout(`${JSON.stringify(command.run(input), null, 2)}\n`);
    return EXIT_OK;
  } catch (error) {
    io.stderr(`${JSON.stringify(errorJson(error))}\n`);
    return error instanceof RiskError ? EXIT_INVALID : EXIT_FAILURE;
  }
}

/** Each element runs on its own; an element holding an integer beyond 2^53 − 1 is refused, named relative to it. */
function runBatch(command: CliCommand, inputs: readonly unknown[], unsafe: readonly UnsafeInteger[], io: CliIo): number {
  let invalid = false;
  let failed = false;
  const results = inputs.map((input, index) => {
    try {
      const big = unsafe.find((u) => u.path[0] === index);
      if (big !== undefined) throw unsafeIntegerError(big.value, fieldOf(big.path.slice(1)), big.literal);
      return command.run(input);
    } catch (error) {
      const json = errorJson(error);
      io.stderr(`${JSON.stringify({ index, ...json })}\n`);
      if (error instanceof RiskError) invalid = true;
      else failed = true;
      return { error: json };
    }
  });
  io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  return invalid ? EXIT_INVALID : failed ? EXIT_FAILURE : EXIT_OK;
}

type Args = { command: string | undefined; input: string | undefined; help: boolean; version: boolean };

const OPTIONS = {
  input: { type: 'string', short: 'i' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

/**
 * `[help] [<command>] [--input <file> | -i <file> | --input=<file>] [--help | -h] [--version | -v]`, read by
 * node:util parseArgs (strict). An unknown option, an option without its value or a second positional is an
 * InvalidInputError naming it (`--frobnicate`, `--input`, `argv`).
 */
function parseCliArgs(argv: readonly string[]): Args {
  let parsed: { values: { input?: string | undefined; help?: boolean | undefined; version?: boolean | undefined }; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (cause) {
    throw argvError(argv, cause);
  }
  const { values } = parsed;
  const positionals = [...parsed.positionals];
  const help = values.help === true || positionals[0] === 'help';
  if (positionals[0] === 'help') positionals.shift();
  const [command, extra] = positionals;
  if (extra !== undefined) throw new InvalidInputError(`unexpected argument "${extra}"`, { field: 'argv', details: { argument: extra } });
  return { command, input: values.input, help, version: values.version === true };
}

/** What strict parseArgs refused, as an InvalidInputError naming the option at fault (found in the lenient tokens). */
function argvError(argv: readonly string[], cause: unknown): InvalidInputError {
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const type = Object.entries(OPTIONS).find(([name]) => name === t.name)?.[1].type;
    const option = `--${t.name}`;
    if (type === undefined)
      return new InvalidInputError(`unknown option ${t.rawName} (risk --help lists the options)`, { field: t.rawName, details: { option: t.rawName }, cause });
    if (type === 'boolean' && t.value !== undefined) return new InvalidInputError('takes no value', { field: option, details: { option, value: t.value }, cause });
    // lenient parsing takes `--input --help` as the file "--help"; strict parsing calls it ambiguous
    if (type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && t.value !== '-')))
      return new InvalidInputError('needs a value: --input <file.json>, or - for stdin', { field: option, details: { option }, cause });
  }
  return new InvalidInputError(cause instanceof Error ? cause.message : String(cause), { field: 'argv', cause });
}

function readInput(io: CliIo, path: string): string {
  try {
    return io.readFile(path);
  } catch (cause) {
    throw new InvalidInputError('cannot read the input file', { field: '--input', details: { path, reason: String(cause) }, cause });
  }
}

function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof RiskError) return error.toJSON();
  return { error: 'InternalError', message: error instanceof Error ? error.message : String(error) };
}

function helpText(registry: CommandRegistry, command: string | undefined): string {
  const selected = command === undefined ? undefined : registry.commands.get(command);
  if (selected !== undefined) return `risk ${selected.name} --input <file.json | ->\n\n${selected.description}\nExample input: packages/risk/examples/${selected.name}.json\n`;
  const width = Math.max(...[...registry.commands.keys(), ...registry.unavailable.keys()].map((n) => n.length));
  const lines = [
    'Usage: risk <command> --input <file.json | ->',
    '',
    'The input is one JSON object, or an array of them (batch: an array of results, { "error": … } for invalid',
    'elements, exit code 2). Numbers may be JSON numbers or decimal strings. Errors: JSON on stderr naming the field.',
    '',
    'Commands:',
    ...[...registry.commands.values()].map((c) => `  ${c.name.padEnd(width)}  ${c.description}`),
    ...[...registry.unavailable].map(([name, why]) => `  ${name.padEnd(width)}  (unavailable: ${why})`),
    '',
    'Options:',
    '  -i, --input <file>  the JSON input; - reads stdin',
    '  -h, --help          this help; risk <command> --help for one command',
    '  -v, --version       the version',
    '',
    'Exit codes: 0 ok, 2 invalid input or usage (JSON error on stderr), 1 unexpected failure.',
    '',
  ];
  return lines.join('\n');
}

/* istanbul ignore next -- process wiring, exercised by the child-process test */
if (require.main === module) {
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
    version: packageVersion(),
  });
}

/** The version in packages/risk/package.json: two levels up from src/cli/ and from dist/cli/ alike. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown }; // our own package.json
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
