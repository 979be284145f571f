#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { InvalidInputError, RiskError } from '../errors';
import type { CliCommand } from './command';
import { loadCommands, type CommandRegistry } from './commands';

/**
 * `risk <command> --input <file.json>` — reads a JSON input, runs the command, prints JSON on stdout.
 * A JSON array input is a batch: the output is an array of results in the same order, an invalid element
 * yields `{ "error": … }` in its place and the exit code is then 2. Exit codes: 0 ok; 2 invalid input,
 * unknown command or unreadable file (a RiskError JSON naming the field on stderr); 1 an unexpected failure.
 * `--input -` reads stdin.
 */
export type CliIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Throws when the file cannot be read. */
  readFile(path: string): string;
};

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INVALID = 2;

export function runCli(argv: readonly string[], io: CliIo, registry: CommandRegistry = loadCommands()): number {
  try {
    const args = parseArgs(argv);
    if (args.help || args.command === undefined) {
      io.stdout(helpText(registry, args.command));
      return args.help ? EXIT_OK : EXIT_INVALID;
    }
    const command = registry.commands.get(args.command);
    if (command === undefined)
      throw new InvalidInputError(`unknown command "${args.command}"`, {
        field: 'command',
        details: { command: args.command, known: [...registry.commands.keys()], unavailable: Object.fromEntries(registry.unavailable) },
      });
    if (args.input === undefined) throw new InvalidInputError('is required: risk <command> --input <file.json>', { field: '--input' });
    const input = readJson(io, args.input);
    if (Array.isArray(input)) return runBatch(command, input, io);
    io.stdout(`${JSON.stringify(command.run(input), null, 2)}\n`);
    return EXIT_OK;
  } catch (error) {
    io.stderr(`${JSON.stringify(errorJson(error))}\n`);
    return error instanceof RiskError ? EXIT_INVALID : EXIT_FAILURE;
  }
}

function runBatch(command: CliCommand, inputs: readonly unknown[], io: CliIo): number {
  let invalid = false;
  let failed = false;
  const results = inputs.map((input, index) => {
    try {
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

type Args = { command: string | undefined; input: string | undefined; help: boolean };

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { command: undefined, input: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h' || a === 'help') args.help = true;
    else if (a === '--input' || a === '-i') {
      const next = argv[++i];
      if (next === undefined) throw new InvalidInputError('needs a file path', { field: '--input' });
      args.input = next;
    } else if (a.startsWith('--input=')) args.input = a.slice('--input='.length);
    else if (a.startsWith('-') && a !== '-') throw new InvalidInputError(`unknown option ${a}`, { field: 'argv', details: { option: a } });
    else if (args.command === undefined) args.command = a;
    else throw new InvalidInputError(`unexpected argument ${a}`, { field: 'argv', details: { argument: a } });
  }
  return args;
}

function readJson(io: CliIo, path: string): unknown {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (cause) {
    throw new InvalidInputError('cannot read the input file', { field: '--input', details: { path, reason: String(cause) }, cause });
  }
  try {
    return JSON.parse(text) as unknown; // any JSON value; the command validates it
  } catch (cause) {
    throw new InvalidInputError(`not valid JSON: ${String(cause)}`, { field: 'input', details: { path }, cause });
  }
}

function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof RiskError) return error.toJSON();
  return { error: 'InternalError', message: error instanceof Error ? error.message : String(error) };
}

function helpText(registry: CommandRegistry, command: string | undefined): string {
  const selected = command === undefined ? undefined : registry.commands.get(command);
  if (selected !== undefined) return `risk ${selected.name} --input <file.json>\n\n${selected.description}\n`;
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
  ];
  return lines.join('\n');
}

/* istanbul ignore next -- process wiring, exercised by the child-process test */
if (require.main === module) {
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
  });
}
