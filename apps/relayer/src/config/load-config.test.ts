import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { stringify } from 'yaml';
import { ConfigError } from './config-error';
import { FIXTURE_ENV, fixtureConfig } from './config.fixture';
import { chainRpcUrls } from './config.schema';
import { applyEnvOverrides, buildConfig, loadConfig } from './load-config';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The messages of the ConfigError thrown by building `raw`. */
function issues(raw: unknown, env: Record<string, string> = FIXTURE_ENV): string[] {
  try {
    buildConfig(raw, { env, baseDir: dir });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads YAML, applies defaults, resolves keys', () => {
    const path = join(dir, 'ok.yaml');
    writeFileSync(path, stringify(fixtureConfig()));
    const config = loadConfig({ path, env: FIXTURE_ENV });
    expect(config.api.host).toBe('127.0.0.1');
    expect(config.batch).toEqual({ maxSize: 50, maxWaitMs: 2000 });
    expect(config.chains[0]!.finality).toEqual({ mode: 'finalized' });
    expect(config.attesterKeys[0]!.reveal()).toBe(FIXTURE_ENV.ATTESTER_KEY_0);
  });

  it('never shows a key in JSON, string or inspect output', () => {
    const config = buildConfig(fixtureConfig(), { env: FIXTURE_ENV, baseDir: dir });
    const key = FIXTURE_ENV.POSTER_KEY!.slice(2);
    expect(JSON.stringify(config)).not.toContain(key);
    expect(inspect(config, { depth: 10 })).not.toContain(key);
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- what is tested: a key interpolated into text prints redacted
    expect(`${config.posterKey}`).toBe('[redacted env POSTER_KEY]');
  });

  it('names the field and the reason', () => {
    const raw = fixtureConfig();
    raw.chains[0]!.rpcUrl = 'not a url';
    expect(issues(raw)).toEqual(['config error: chains[0].rpcUrl: Invalid url']);
  });

  it('reports every issue, not only the first', () => {
    const raw = fixtureConfig();
    raw.chains[0]!.eid = -1;
    raw.api.adminToken = 'short';
    expect(issues(raw)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^config error: chains\[0\]\.eid: /), 'config error: api.adminToken: must be at least 16 characters']),
    );
  });

  it('checks across fields: one destination, asset chain and feed chain exist, duplicates', () => {
    const twoDst = fixtureConfig();
    twoDst.chains[0]!.role = 'destination';
    twoDst.chains[0]!.receiver = twoDst.chains[1]!.receiver;
    expect(issues(twoDst)).toContain('config error: chains: exactly one destination chain is required, found 2');

    const badAsset = fixtureConfig();
    badAsset.assets![0]!.eid = 999;
    badAsset.assets![0]!.feed.eid = 998;
    expect(issues(badAsset)).toEqual(['config error: assets[0].eid: no source chain with eid 999', 'config error: assets[0].feed.eid: no chain with eid 998']);

    const noVault = fixtureConfig();
    delete noVault.chains[0]!.vault;
    expect(issues(noVault)).toEqual(['config error: chains[0].vault: a source chain needs its vault address']);
  });

  it('runs the risk package validation on each asset', () => {
    const raw = fixtureConfig();
    raw.assets![0]!.risk.ltv = '0.99';
    expect(issues(raw)).toEqual(['config error: assets[0].risk.ltv: ltv must not exceed liquidationThreshold']);
  });

  it('refuses missing or malformed keys without echoing them', () => {
    expect(issues(fixtureConfig(), { POSTER_KEY: FIXTURE_ENV.POSTER_KEY! })).toEqual(['config error: attesters[0].keyEnv: environment variable ATTESTER_KEY_0 is not set']);
    const bad = issues(fixtureConfig(), { ...FIXTURE_ENV, POSTER_KEY: '0x1234-secret-typo' });
    expect(bad).toEqual(['config error: poster.keyEnv: env POSTER_KEY does not hold a 32-byte hex private key']);
    expect(bad.join()).not.toContain('secret-typo');
  });

  it('reads a key file relative to the config file', () => {
    writeFileSync(join(dir, 'poster.key'), `${FIXTURE_ENV.POSTER_KEY}\n`);
    const raw = { ...fixtureConfig(), poster: { keyFile: 'poster.key' } };
    expect(buildConfig(raw, { env: FIXTURE_ENV, baseDir: dir }).posterKey.reveal()).toBe(FIXTURE_ENV.POSTER_KEY);
  });

  it('refuses unknown fields (typos)', () => {
    const raw = { ...fixtureConfig(), batch: { maxSize: 10, maxWiatMs: 5 } };
    expect(issues(raw)).toEqual([expect.stringMatching(/^config error: batch: Unrecognized key\(s\) in object: 'maxWiatMs'/)]);
  });

  it('takes several RPC endpoints (rpcUrls, with or without rpcUrl first), and needs at least one', () => {
    const raw = fixtureConfig();
     
    const { rpcUrl: _dropped, ...src } = raw.chains[0]!;
    raw.chains[0] = { ...src, rpcUrls: ['http://127.0.0.1:7', 'https://node.example/v3/key'] };
    raw.chains[1] = { ...raw.chains[1]!, rpcUrls: ['http://127.0.0.1:8', 'http://127.0.0.1:2'] };
    const config = buildConfig(raw, { env: FIXTURE_ENV, baseDir: dir });
    expect(chainRpcUrls(config.chains[0]!)).toEqual(['http://127.0.0.1:7', 'https://node.example/v3/key']);
    expect(chainRpcUrls(config.chains[1]!)).toEqual(['http://127.0.0.1:2', 'http://127.0.0.1:8']);
    expect([config.chains[0]!.rpcStallMs, config.chains[0]!.rpcCooldownMs]).toEqual([120_000, 30_000]);
    raw.chains[0] = src;
    expect(issues(raw)).toEqual(['config error: chains[0].rpcUrl: a chain needs rpcUrl or rpcUrls']);
    raw.chains[0] = { ...src, rpcUrls: ['http://ok:1', 'localhost:8545'] };
    expect(issues(raw)).toEqual(['config error: chains[0].rpcUrls[1]: Invalid url']);
  });

  it('names an unreadable file', () => {
    expect(() => loadConfig({ path: join(dir, 'missing.yaml'), env: {} })).toThrow('config error: (root): cannot read');
  });
});

describe('applyEnvOverrides', () => {
  it('sets nested and array fields case-insensitively, coercing numbers and booleans', () => {
    const out = applyEnvOverrides(fixtureConfig(), {
      RELAYER__API__PORT: '9100',
      RELAYER__CHAINS__1__RPCURL: 'http://127.0.0.1:9',
      RELAYER__PIPELINE__AUTOSTART: 'false',
      RELAYER__BATCH__MAXWAITMS: '25',
      OTHER: 'ignored',
    }) as ReturnType<typeof fixtureConfig>; // only known keys are overridden, each value read as its field's type: still the fixture's shape
    expect(out.api.port).toBe(9100);
    expect(out.chains[1]!.rpcUrl).toBe('http://127.0.0.1:9');
    expect(out.pipeline).toEqual({ autoStart: false });
    expect(out.batch).toEqual({ maxWaitMs: 25 });
  });

  it('an override is validated like the file', () => {
    expect(issues(applyEnvOverrides(fixtureConfig(), { RELAYER__CHAINS__0__RPCURL: 'nope' }))).toEqual(['config error: chains[0].rpcUrl: Invalid url']);
  });
});
