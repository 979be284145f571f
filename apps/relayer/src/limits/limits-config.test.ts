import { ConfigError } from '../config/config-error';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import type { RelayerConfigInput } from '../config/config.schema';
import { buildConfig } from '../config/load-config';

/** The messages of the ConfigError thrown by building `raw`. */
function errorsOf(raw: RelayerConfigInput): string[] {
  try {
    buildConfig(raw, { env: FIXTURE_ENV, baseDir: '/tmp' });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const withLimits = (limits: Record<string, unknown>, index = 0): RelayerConfigInput => {
  const c = fixtureConfig();
  return { ...c, chains: c.chains.map((chain, i) => (i === index ? { ...chain, limits } : chain)) } as RelayerConfigInput; // the point is to pass what the schema may refuse
};

describe('config chains[].limits', () => {
  it('is optional (no limits), and fills its defaults', () => {
    expect(buildConfig(fixtureConfig(), { env: FIXTURE_ENV, baseDir: '/tmp' }).chains[0]!.limits).toBeUndefined();
    expect(buildConfig(withLimits({ notionalLimitUsd: '50000000' }), { env: FIXTURE_ENV, baseDir: '/tmp' }).chains[0]!.limits).toEqual({
      notionalLimitUsd: '50000000',
      windowSeconds: 86_400,
      largeTransferDelaySeconds: 86_400,
    });
  });

  it('names the field of a bad value', () => {
    expect(errorsOf(withLimits({ notionalLimitUsd: '0' }))).toEqual(['config error: chains[0].limits.notionalLimitUsd: must be above 0']);
    expect(errorsOf(withLimits({ notionalLimitUsd: '1e6' }))).toEqual(['config error: chains[0].limits.notionalLimitUsd: expected a USD amount as a decimal string with at most 18 fractional digits']);
    expect(errorsOf(withLimits({ notionalLimitUsd: '10', windowSeconds: 0 }))).toEqual(['config error: chains[0].limits.windowSeconds: Number must be greater than 0']);
    expect(errorsOf(withLimits({ notionalLimitUsd: '10', dailyLimit: 5 }))).toEqual(["config error: chains[0].limits: Unrecognized key(s) in object: 'dailyLimit'"]);
  });

  it('applies to source chains only', () => {
    expect(errorsOf(withLimits({ notionalLimitUsd: '10' }, 1))).toEqual(['config error: chains[1].limits: limits apply to source chains (their credits) only']);
  });
});
