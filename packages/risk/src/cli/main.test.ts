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
    expect(out[1]).toEqual({ error: expect.objectContaining({ error: 'InvalidInputError', field: 'portfolio.base' }) });
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
    [['margin', '--frobnicate'], 'argv'],
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

  it('with no arguments prints help and exits 2', () => {
    const f = fakeIo({});
    expect(runCli([], f.io, registry)).toBe(EXIT_INVALID);
    expect(f.stdout()).toMatch(/Usage: risk <command>/);
  });

  it('the default registry lists margin, value, health and stress', () => {
    const f = fakeIo({});
    expect(runCli(['--help'], f.io)).toBe(EXIT_OK);
    for (const name of ['margin', 'value', 'health', 'stress']) expect(f.stdout()).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
  });
});
