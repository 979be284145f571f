import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_ENV, fixtureConfig } from '../../apps/relayer/src/config/config.fixture';
import { stringContaining } from '../support/matchers';
import { RELAYER_DIR, checkConfig } from '../support/relayerProcess';

jest.setTimeout(120_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

it('accepts a valid file with --check-config', () => {
  const r = checkConfig(write('ok.json', fixtureConfig()), FIXTURE_ENV);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('config ok: 2 chain(s), 1 asset(s), 1 attester key(s)');
});

it.each([
  ['a bad url', (c: ReturnType<typeof fixtureConfig>) => void (c.chains[0]!.rpcUrl = 'localhost:8545'), 'config error: chains[0].rpcUrl: Invalid url'],
  ['a bad address', (c: ReturnType<typeof fixtureConfig>) => void (c.chains[1]!.receiver = '0x1234'), 'config error: chains[1].receiver: expected a 0x-prefixed 20-byte hex address'],
  ['an asset on an unknown chain', (c: ReturnType<typeof fixtureConfig>) => void (c.assets![0]!.eid = 7), 'config error: assets[0].eid: no source chain with eid 7'],
  ['no destination', (c: ReturnType<typeof fixtureConfig>) => void (c.chains[1]!.role = 'source'), 'config error: chains: exactly one destination chain is required, found 0'],
  ['a bad finality mode', (c: ReturnType<typeof fixtureConfig>) => void ((c.chains[0] as Record<string, unknown>).finality = { mode: 'safe' }) /* a mode the typed config cannot hold */, 'config error: chains[0].finality.mode: Invalid discriminator value'],
  ['bad risk parameters', (c: ReturnType<typeof fixtureConfig>) => void (c.assets![0]!.risk.haircut = '1.5'), 'config error: assets[0].risk.haircut: must be in [0, 1]'],
])('exits non-zero naming the field for %s', (_name, mutate, message) => {
  const config = fixtureConfig();
  mutate(config);
  const r = checkConfig(write(`bad-${Math.random()}.json`, config), FIXTURE_ENV);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain(message);
});

it('names a missing key variable, never prints a malformed key', () => {
  const path = write('keys.json', fixtureConfig());
  const missing = checkConfig(path, { POSTER_KEY: FIXTURE_ENV.POSTER_KEY! });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('config error: attesters[0].keyEnv: environment variable ATTESTER_KEY_0 is not set');
  const malformed = checkConfig(path, { ...FIXTURE_ENV, POSTER_KEY: 'deadbeef-not-a-key' });
  expect(malformed.code).toBe(1);
  expect(malformed.stderr).not.toContain('deadbeef');
});

it('applies RELAYER__ env overrides before validating', () => {
  const r = checkConfig(write('env.json', fixtureConfig()), { ...FIXTURE_ENV, RELAYER__API__PORT: 'not-a-port' });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('config error: api.port: Expected number, received string');
});

it('reports unreadable and unparsable files', () => {
  expect(checkConfig(join(dir, 'nope.yaml'), FIXTURE_ENV)).toMatchObject({ code: 1, stderr: stringContaining('cannot read') });
  expect(checkConfig(write('broken.yaml', 'chains: [\n'), FIXTURE_ENV)).toMatchObject({ code: 1, stderr: stringContaining('is not valid YAML/JSON') });
});

it('accepts the example config shipped with the relayer', () => {
  const r = checkConfig(join(RELAYER_DIR, 'config', 'relayer.example.yaml'), FIXTURE_ENV);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
