import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RISK_PACKAGE, runRiskCli as risk } from '../../test-utils/runRiskCli';

const WORKED = {
  model: 'scenario-pm',
  params: 'test',
  market: {
    spot: '2000',
    spotConfidence: '1',
    stablePrice: '1',
    perpPrice: '2001',
    perpConfidence: '1',
    expiries: [
      { expiry: '2023-01-18', secondsToExpiry: 1497600, forward: '2004.7545', forwardConfidence: '1', rate: '0.02', rateConfidence: '1', vol: '0.5', volConfidence: '1' },
    ],
  },
  portfolio: { cash: '0', options: [{ expiry: '2023-01-18', strike: '1400', kind: 'call', amount: '-1', vol: '0.5', volConfidence: '1' }] },
};

describe('risk CLI as a child process', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'risk-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('margin: short 1 call K 1400 → IM −1021.83, MM −925.59, exit 0', () => {
    const file = join(dir, 'worked.json');
    writeFileSync(file, JSON.stringify(WORKED));
    const r = risk(['margin', '--input', file]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { im: string; mm: string }; // the margin command's output
    expect(Number(out.im).toFixed(2)).toBe('-1021.83');
    expect(Number(out.mm).toFixed(2)).toBe('-925.59');
    expect(out.im).toMatch(/^-?\d+\.\d{6,}$/);
  }, 60_000);

  it('a bad field → exit 2 and a JSON error on stderr naming it', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...WORKED, portfolio: { options: [{ ...WORKED.portfolio.options[0], strike: '-5' }] } }));
    const r = risk(['margin', '--input', file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('{')) ?? 'null')).toMatchObject({ field: 'portfolio.options[0].strike' });
  }, 60_000);

  it('--version prints the package version and nothing else; --help goes to stdout, exit 0', () => {
    const { version } = JSON.parse(readFileSync(join(RISK_PACKAGE, 'package.json'), 'utf8')) as { version: string }; // our package.json
    const v = risk(['--version']);
    expect([v.status, v.stdout, v.stderr]).toEqual([0, `${version}\n`, '']);
    const h = risk(['--help']);
    expect([h.status, h.stderr]).toEqual([0, '']);
    expect(h.stdout).toMatch(/^Usage: risk <command> --input <file.json \| ->\n/);
  }, 60_000);

  it('an unknown option: exit 2, one JSON line on stderr naming it, stdout empty', () => {
    const r = risk(['value', '--inptu', 'x.json']);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: 'InvalidInputError', field: '--inptu', message: 'unknown option --inptu (risk --help lists the options)' });
  }, 60_000);

  it('--input - reads stdin; an integer beyond 2^53 − 1 there is refused as written', () => {
    const r = risk(['margin', '--input', '-'], JSON.stringify(WORKED).replace('"cash":"0"', '"cash":12345678901234567890'));
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(JSON.parse(r.stderr)).toMatchObject({ field: 'portfolio.cash', details: { written: '12345678901234567890', readAs: '12345678901234567168' } });
  }, 60_000);
});
