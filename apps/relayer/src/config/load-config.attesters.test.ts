import { inspect } from 'node:util';
import { Wallet } from 'ethers';
import { ConfigError } from './config-error';
import { FIXTURE_ENV, fixtureConfig } from './config.fixture';
import type { RelayerConfigInput } from './config.schema';
import { buildConfig, type RelayerRole } from './load-config';

const TOKEN = 'attester-token-0123456789';
const env = { ...FIXTURE_ENV, A1_TOKEN: TOKEN, A2_TOKEN: `${TOKEN}-2` };
const a1 = new Wallet('0x' + '51'.repeat(32)).address;
const a2 = new Wallet('0x' + '52'.repeat(32)).address;

/** The fixture with one local key and two remote attesters (threshold 2). */
function remoteConfig(): RelayerConfigInput {
  return {
    ...fixtureConfig(),
    attesters: [{ keyEnv: 'ATTESTER_KEY_0' }, { url: 'http://10.0.0.1:8091/', tokenEnv: 'A1_TOKEN', address: a1.toLowerCase() }, { name: 'second', url: 'https://a2.example', tokenEnv: 'A2_TOKEN', address: a2 }],
    attestation: { threshold: 2 },
  };
}

function issues(raw: unknown, role: RelayerRole = 'relayer', e: Record<string, string> = env): string[] {
  try {
    buildConfig(raw, { env: e, baseDir: '/tmp', role });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('attesters config', () => {
  it('takes local keys and remote attesters (url, token, expected address), tokens redacted', () => {
    const config = buildConfig(remoteConfig(), { env, baseDir: '/tmp' });
    expect(config.role).toBe('relayer');
    expect(config.attesterKeys).toHaveLength(1);
    expect(config.remoteAttesters.map((r) => ({ name: r.name, url: r.url, address: r.address }))).toEqual([
      { name: a1, url: 'http://10.0.0.1:8091', address: a1 },
      { name: 'second', url: 'https://a2.example', address: a2 },
    ]);
    expect(config.attestationThreshold).toBe(2);
    expect(config.attestation.timeoutMs).toBe(5000);
    expect(JSON.stringify(config)).not.toContain(TOKEN);
    expect(inspect(config, { depth: 10 })).not.toContain(TOKEN);
  });

  it('defaults the threshold to every attester (the local-keys mode signs with all of them)', () => {
    expect(buildConfig(fixtureConfig(), { env, baseDir: '/tmp' }).attestationThreshold).toBe(1);
     
    const { attestation: _, ...noThreshold } = remoteConfig();
    expect(buildConfig(noThreshold, { env, baseDir: '/tmp' }).attestationThreshold).toBe(3);
  });

  it('names what is wrong: threshold above the count, one address twice, a token missing or short, both token sources', () => {
    expect(issues({ ...remoteConfig(), attestation: { threshold: 4 } })).toEqual(['config error: attestation.threshold: 4 is more than the 3 configured attester(s)']);
    const twice = remoteConfig();
    twice.attesters[2] = { url: 'http://x.example', tokenEnv: 'A2_TOKEN', address: a1 };
    expect(issues(twice)).toEqual([`config error: attesters[2]: attester ${a1} is also attesters[1]`]);
    const local = remoteConfig();
    local.attesters[1] = { url: 'http://x.example', tokenEnv: 'A1_TOKEN', address: new Wallet(FIXTURE_ENV.ATTESTER_KEY_0!).address };
    expect(issues(local)).toEqual([`config error: attesters[1]: attester ${new Wallet(FIXTURE_ENV.ATTESTER_KEY_0!).address} is also attesters[0]`]);
    expect(issues(remoteConfig(), 'relayer', { ...FIXTURE_ENV, A2_TOKEN: TOKEN })).toEqual(['config error: attesters[1].tokenEnv: environment variable A1_TOKEN is not set']);
    expect(issues(remoteConfig(), 'relayer', { ...env, A1_TOKEN: 'short' })).toEqual(['config error: attesters[1].tokenEnv: a token must be at least 16 printable characters without spaces']);
    const both = remoteConfig();
    both.attesters[1] = { url: 'http://x.example', tokenEnv: 'A1_TOKEN', tokenFile: 't', address: a1 };
    expect(issues(both)[0]).toMatch(/^config error: attesters\[1\]/);
  });

  it('the relayer role needs a poster', () => {
     
    const { poster: _, ...noPoster } = fixtureConfig();
    expect(issues(noPoster)).toEqual(['config error: poster: Required']);
  });

  it('the attester role: its token, exactly one key of its own, no poster (revealing one is a bug)', () => {
     
    const { poster: _, ...base } = fixtureConfig();
    const config = buildConfig({ ...base, attester: { tokenEnv: 'A1_TOKEN' } }, { env, baseDir: '/tmp', role: 'attester' });
    expect(config.role).toBe('attester');
    expect(config.attesterToken?.reveal()).toBe(TOKEN);
    expect(config.attester).toEqual({ tokenEnv: 'A1_TOKEN', acceptOperatorVoids: false, maxRoundsBack: 64, awaitMs: 2000, maxTtlSeconds: 3600 });
    expect(() => config.posterKey.reveal()).toThrow(ConfigError);
    expect(issues(base, 'attester')).toEqual(['config error: attester: required by --role attester (its API token)']);
    expect(issues({ ...remoteConfig(), attester: { tokenEnv: 'A1_TOKEN' } }, 'attester')).toEqual(['config error: attesters: the attester role holds exactly one key of its own (keyEnv or keyFile)']);
  });
});
