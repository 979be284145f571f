import { readFileSync } from 'node:fs';
import type { CliCommand } from './command';
import { command as margin } from './commands/margin';
import { EXIT_FAILURE, EXIT_INVALID, EXIT_OK, runCli, type CliIo } from './main';

const EXAMPLE = {
  params: 'test',
  market: {
    spot: '2000',
    stablePrice: '1',
    perpPrice: 2001,
    expiries: [{ expiry: '2023-01-18', secondsToExpiry: 1497600, forward: '2004.7545', rate: '0.02', vol: 0.5 }],
  },
  portfolio: { base: '1' },
};

function fakeIo(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
    version: '9.8.7',
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

const boom: CliCommand = {
  name: 'boom',
  description: 'throws a plain Error',
  run: () => {
    throw new Error('bug');
  },
};
const registry = { commands: new Map<string, CliCommand>([['margin', margin], ['boom', boom]]), unavailable: new Map([['value', 'not installed yet']]) };

describe('runCli', () => {
  it('runs margin on a file and prints JSON (long 1 base → IM 1545, MM 1650)', () => {
    const f = fakeIo({ 'in.json': JSON.stringify(EXAMPLE) });
    expect(runCli(['margin', '--input', 'in.json'], f.io, registry)).toBe(EXIT_OK);
    const out = JSON.parse(f.stdout()) as Record<string, unknown>; // the command's JSON output
    expect(out).toMatchObject({ im: '1545.000000', mm: '1650.000000', mtm: '2000.000000' });
    expect(out.worstScenario).toMatchObject({ spotShock: '0.850000' });
    expect(f.stderr()).toBe('');
  });

  it('accepts --input=path', () => {
    const f = fakeIo({ 'a.json': JSON.stringify(EXAMPLE) });
    expect(runCli(['margin', '--input=a.json'], f.io, registry)).toBe(EXIT_OK);
  });

  it('batch: an array in → an array out in order, an invalid element becomes { error } and the exit code is 2', () => {
    const bad = { ...EXAMPLE, portfolio: { base: 'one' } };
    const f = fakeIo({ 'b.json': JSON.stringify([EXAMPLE, bad, { ...EXAMPLE, portfolio: { cash: '10' } }]) });
    expect(runCli(['margin', '--input', 'b.json'], f.io, registry)).toBe(EXIT_INVALID);
    const out = JSON.parse(f.stdout()) as Array<Record<string, unknown>>; // batch output is an array
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ im: '1545.000000' });
    const error: unknown = expect.objectContaining({ error: 'InvalidInputError', field: 'portfolio.base' }); // jest's matchers are typed any
    expect(out[1]).toEqual({ error });
    expect(out[2]).toMatchObject({ im: '10.000000', mm: '10.000000' });
    expect(JSON.parse(f.stderr())).toMatchObject({ index: 1, field: 'portfolio.base' });
  });

  it('a valid batch exits 0', () => {
    const f = fakeIo({ 'b.json': JSON.stringify([EXAMPLE, EXAMPLE]) });
    expect(runCli(['margin', '--input', 'b.json'], f.io, registry)).toBe(EXIT_OK);
    expect(JSON.parse(f.stdout())).toHaveLength(2);
  });

  it.each([
    [['margin', '--input', 'missing.json'], '--input'],
    [['margin'], '--input'],
    [['nope', '--input', 'in.json'], 'command'],
    [['margin', '--input', 'bad.json'], 'input'],
    [['margin', '--input', 'field.json'], 'market.expiries[0].vol'],
    [['margin', '--frobnicate'], '--frobnicate'],
    [['margin', '-x', '--input', 'in.json'], '-x'],
    [['margin', '--input'], '--input'],
    [['margin', '-i'], '--input'],
    [['margin', '--input', '--help'], '--input'],
    [['margin', '--help=yes'], '--help'],
    [['margin', 'extra', '--input', 'in.json'], 'argv'],
    [[], 'command'],
    [['--input', 'in.json'], 'command'],
  ])('%j → exit 2, JSON error on stderr naming %s', (argv, field) => {
    const f = fakeIo({
      'in.json': JSON.stringify(EXAMPLE),
      'bad.json': '{ not json',
      'field.json': JSON.stringify({ ...EXAMPLE, market: { ...EXAMPLE.market, expiries: [{ ...EXAMPLE.market.expiries[0], vol: 'high' }] } }),
    });
    expect(runCli(argv, f.io, registry)).toBe(EXIT_INVALID);
    expect(JSON.parse(f.stderr())).toMatchObject({ field });
    expect(f.stdout()).toBe('');
  });

  it('an unexpected failure exits 1 with an InternalError', () => {
    const f = fakeIo({ 'in.json': '{}' });
    expect(runCli(['boom', '--input', 'in.json'], f.io, registry)).toBe(EXIT_FAILURE);
    expect(JSON.parse(f.stderr())).toEqual({ error: 'InternalError', message: 'bug' });
  });

  it('--help lists the commands and the unavailable ones', () => {
    const f = fakeIo({});
    expect(runCli(['--help'], f.io, registry)).toBe(EXIT_OK);
    expect(f.stdout()).toMatch(/margin\s+Scenario portfolio margin/);
    expect(f.stdout()).toMatch(/value\s+\(unavailable: not installed yet\)/);
    const g = fakeIo({});
    expect(runCli(['margin', '--help'], g.io, registry)).toBe(EXIT_OK);
    expect(g.stdout()).toMatch(/^risk margin --input/);
  });

  it('names the unknown option, the unknown command and the option missing its value', () => {
    const f = fakeIo({});
    expect(runCli(['margin', '--frobnicate=3'], f.io, registry)).toBe(EXIT_INVALID);
    expect(JSON.parse(f.stderr())).toMatchObject({ error: 'InvalidInputError', field: '--frobnicate', message: 'unknown option --frobnicate (risk --help lists the options)' });
    const g = fakeIo({ 'in.json': '{}' });
    expect(runCli(['nope', '--input', 'in.json'], g.io, registry)).toBe(EXIT_INVALID);
    expect(JSON.parse(g.stderr())).toMatchObject({ field: 'command', message: 'unknown command "nope"', details: { known: ['margin', 'boom'] } });
    const h = fakeIo({});
    expect(runCli(['margin', '--input'], h.io, registry)).toBe(EXIT_INVALID);
    expect(JSON.parse(h.stderr())).toMatchObject({ field: '--input', message: 'needs a value: --input <file.json>, or - for stdin' });
  });

  it('with no arguments: exit 2, a JSON error naming the command, nothing on stdout', () => {
    const f = fakeIo({});
    expect(runCli([], f.io, registry)).toBe(EXIT_INVALID);
    expect(JSON.parse(f.stderr())).toEqual({
      error: 'InvalidInputError',
      message: 'is required: risk <margin|boom> --input <file.json> (risk --help)',
      field: 'command',
      details: {},
    });
    expect(f.stdout()).toBe('');
  });

  it('--version and -v print the version alone on stdout, exit 0', () => {
    for (const argv of [['--version'], ['-v'], ['margin', '--version']]) {
      const f = fakeIo({});
      expect(runCli(argv, f.io, registry)).toBe(EXIT_OK);
      expect(f.stdout()).toBe('9.8.7\n');
      expect(f.stderr()).toBe('');
    }
  });

  it('-h, help and help <command> print help on stdout, exit 0', () => {
    const f = fakeIo({});
    expect(runCli(['-h'], f.io, registry)).toBe(EXIT_OK);
    expect(f.stdout()).toMatch(/^Usage: risk <command>/);
    expect(f.stdout()).toMatch(/-i, --input <file>/);
    const g = fakeIo({});
    expect(runCli(['help', 'margin'], g.io, registry)).toBe(EXIT_OK);
    expect(g.stdout()).toBe(`risk margin --input <file.json | ->\n\n${margin.description}\nExample input: packages/risk/examples/margin.json\n`);
  });

  it('--input - reads stdin (the io is asked for "-")', () => {
    const f = fakeIo({ '-': JSON.stringify(EXAMPLE) });
    expect(runCli(['margin', '--input', '-'], f.io, registry)).toBe(EXIT_OK);
    expect(JSON.parse(f.stdout())).toMatchObject({ im: '1545.000000' });
  });

  it('an integer beyond 2^53 − 1 is refused as written, naming its field: "write it as a string"', () => {
    const text = '{ "params": "test", "market": { "spot": 2000, "stablePrice": 1, "expiries": [] }, "portfolio": { "cash": 9007199254740993 } }';
    const f = fakeIo({ 'big.json': text });
    expect(runCli(['margin', '--input', 'big.json'], f.io, registry)).toBe(EXIT_INVALID);
    expect(JSON.parse(f.stderr())).toEqual({
      error: 'InvalidInputError',
      message:
        '9007199254740993 is beyond 2^53 − 1 (9007199254740991) and reads as 9007199254740992: a JSON number that large loses digits; write it as a string, e.g. "9007199254740993"',
      field: 'portfolio.cash',
      details: { written: '9007199254740993', readAs: '9007199254740992' },
    });
    expect(f.stdout()).toBe('');
    const asString = fakeIo({ 'big.json': text.replace('9007199254740993', '"9007199254740993"') });
    expect(runCli(['margin', '--input', 'big.json'], asString.io, registry)).toBe(EXIT_OK);
    expect(JSON.parse(asString.stdout())).toMatchObject({ mtm: '9007199254740993.000000' });
  });

  it('batch: only the element holding a too-large integer is refused, its field relative to the element', () => {
    const ok = JSON.stringify(EXAMPLE);
    const f = fakeIo({ 'b.json': `[${ok}, { "params": "test", "market": { "spot": 1e20, "stablePrice": 1 }, "portfolio": {} }, ${ok}]` });
    expect(runCli(['margin', '--input', 'b.json'], f.io, registry)).toBe(EXIT_INVALID);
    const out = JSON.parse(f.stdout()) as Array<Record<string, unknown>>; // batch output is an array
    expect(out.map((r) => ('error' in r ? 'error' : r['im']))).toEqual(['1545.000000', 'error', '1545.000000']);
    expect(JSON.parse(f.stderr())).toMatchObject({ index: 1, field: 'market.spot', details: { written: '1e20', readAs: '100000000000000000000' } });
    const message: unknown = expect.stringContaining('write it as a string, e.g. "100000000000000000000"'); // jest's matchers are typed any
    const error: unknown = expect.objectContaining({ message });
    expect(out[1]).toEqual({ error });
  });

  it('the default registry lists margin, value, health and stress', () => {
    const f = fakeIo({});
    expect(runCli(['--help'], f.io)).toBe(EXIT_OK);
    for (const name of ['margin', 'value', 'health', 'stress']) expect(f.stdout()).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
  });
});

describe('the risk bin', () => {
  it('package.json bin points at the built CLI, whose source starts with the node shebang', () => {
    const pkg = JSON.parse(readFileSync(`${__dirname}/../../package.json`, 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> }; // our package.json
    expect(pkg.bin).toEqual({ risk: 'dist/cli/main.js' });
    expect(pkg.scripts['build']).toContain("chmodSync('dist/cli/main.js', 0o755)");
    expect(readFileSync(`${__dirname}/main.ts`, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});
