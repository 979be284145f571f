import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from './config-error';
import { FIXTURE_ENV, fixtureConfig } from './config.fixture';
import { applyEnvOverrides, buildConfig } from './load-config';

const MARKS_KEY = '0x' + '5a'.repeat(32);
const env = { ...FIXTURE_ENV, MARKS_KEY };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-config-marks-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function issues(raw: unknown, e: Record<string, string> = env): string[] {
  try {
    buildConfig(raw, { env: e, baseDir: dir });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config: marks', () => {
  it('is off without a marks block', () => {
    const config = buildConfig(fixtureConfig(), { env, baseDir: dir });
    expect([config.marks, config.marksPosterKey]).toEqual([undefined, undefined]);
  });

  it('defaults: every 2 s, 50 bps, heartbeat 3600 s; its own key, redacted', () => {
    const config = buildConfig({ ...fixtureConfig(), marks: { posterKey: { keyEnv: 'MARKS_KEY' } } }, { env, baseDir: dir });
    expect(config.marks).toEqual({ posterKey: { keyEnv: 'MARKS_KEY' }, intervalMs: 2000, deviationBps: 50, heartbeatSeconds: 3600 });
    expect(config.marksPosterKey!.reveal()).toBe(MARKS_KEY);
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- what is tested: a key interpolated into text prints redacted
    expect(`${config.marksPosterKey}`).toBe('[redacted env MARKS_KEY]');
    expect(JSON.stringify(config)).not.toContain(MARKS_KEY.slice(2));
    expect(inspect(config, { depth: 10 })).not.toContain(MARKS_KEY.slice(2));
  });

  it('a key file, and environment overrides of its fields', () => {
    writeFileSync(join(dir, 'marks.key'), `${MARKS_KEY.slice(2)}\n`);
    const raw = applyEnvOverrides({ ...fixtureConfig(), marks: { posterKey: { keyFile: 'marks.key' } } }, { RELAYER__MARKS__DEVIATIONBPS: '25', RELAYER__MARKS__HEARTBEATSECONDS: '900' });
    const config = buildConfig(raw, { env, baseDir: dir });
    expect(config.marks).toMatchObject({ deviationBps: 25, heartbeatSeconds: 900 });
    expect(config.marksPosterKey!.reveal()).toBe(MARKS_KEY);
  });

  it('names each bad field', () => {
    const marks = { posterKey: { keyEnv: 'MARKS_KEY' }, intervalMs: 5, deviationBps: 10_001, heartbeatSeconds: 0, extra: 1 };
    expect(issues({ ...fixtureConfig(), marks })).toEqual([
      'config error: marks.intervalMs: Number must be greater than or equal to 100',
      'config error: marks.deviationBps: Number must be less than or equal to 10000',
      'config error: marks.heartbeatSeconds: Number must be greater than 0',
      "config error: marks: Unrecognized key(s) in object: 'extra'",
    ]);
    expect(issues({ ...fixtureConfig(), marks: {} })).toEqual(['config error: marks.posterKey: Invalid input']); // zod's message for a union (keyEnv | keyFile), as for poster
    expect(issues({ ...fixtureConfig(), marks: { posterKey: { keyEnv: 'NOT_SET' } } })).toEqual(['config error: marks.posterKey.keyEnv: environment variable NOT_SET is not set']);
  });

  it("refuses the poster's own key (the two accounts' nonces would race)", () => {
    expect(issues({ ...fixtureConfig(), marks: { posterKey: { keyEnv: 'POSTER_KEY' } } })).toEqual([
      "config error: marks.posterKey: must not be the poster's key (the two accounts' nonces would race)",
    ]);
  });
});
