import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Runs the real program the way `pnpm risk` does: `npx tsx packages/risk/src/cli/main.ts …`. */
const ROOT = resolve(__dirname, '../../../..');

function risk(args: string[]) {
  return spawnSync('npx', ['tsx', 'packages/risk/src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

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
});
