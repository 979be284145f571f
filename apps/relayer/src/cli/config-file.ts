import { ConfigError } from '../config/config-error';
import type { RelayerConfig, RelayerRole } from '../config/load-config';
import { CliError, EXIT, type CliIo } from './io';

export const ROLES: readonly RelayerRole[] = ['relayer', 'attester'];

/** `--config`, else RELAYER_CONFIG; none: `config error: no config file …`, exit 1 (as before the CLI had subcommands). */
export function configPath(given: string | undefined, io: Pick<CliIo, 'env'>): string {
  const path = given ?? io.env.RELAYER_CONFIG;
  if (path === undefined || path === '') throw new CliError('config error: no config file: pass --config <file> or set RELAYER_CONFIG', EXIT.failure);
  return path;
}

/** loadConfig (read, RELAYER__ overrides, validate, resolve keys); a ConfigError is printed as it is (every field), exit 1. */
export async function loadConfigOrFail(path: string, role: RelayerRole, io: Pick<CliIo, 'env'>): Promise<RelayerConfig> {
  const { loadConfig } = await import('../config/load-config');
  try {
    return loadConfig({ path, env: io.env, role });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT.failure);
    throw error;
  }
}

/** The one-line summary of a valid config (`config ok: 2 chain(s), 1 asset(s), 1 attester key(s)`). */
export function configSummary(config: RelayerConfig): string {
  const attesters =
    config.role === 'attester'
      ? 'attester role'
      : config.remoteAttesters.length === 0
        ? `${config.attesterKeys.length} attester key(s)`
        : `${config.attesterKeys.length} attester key(s) + ${config.remoteAttesters.length} remote attester(s), threshold ${config.attestationThreshold}`;
  return `config ok: ${config.chains.length} chain(s), ${config.assets.length} asset(s), ${attesters}`;
}
