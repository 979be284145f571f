import { type Command, Option } from 'commander';
import type { RelayerRole } from '../config/load-config';
import { configPath, loadConfigOrFail, ROLES } from './config-file';
import { CliError, EXIT, type CliIo } from './io';

export type StartOptions = { config?: string; role?: RelayerRole };

export const roleOption = (): Option => new Option('--role <role>', 'run as the relayer or as an independent attester').choices(ROLES).default('relayer');

/** `relayer start [--config <file>] [--role relayer|attester]` (also what `relayer --config <file>` without a command does). */
export function registerStart(program: Command, io: CliIo): void {
  program
    .command('start')
    .summary('run the relayer (or --role attester) until SIGTERM/SIGINT')
    .description('Load the config, check it against its chains (token decimals, receiver registrations, Solana multisig; a disagreement exits 1 naming each field), then run the relayer (or --role attester) until SIGTERM/SIGINT.')
    .option('-c, --config <file>', 'config file, YAML or JSON (default: RELAYER_CONFIG)')
    .addOption(roleOption())
    .action((opts: StartOptions) => start(opts, io));
}

/**
 * Load the config, check it against the chains (chains/check-chain-config.ts: token and receiver decimals,
 * registrations, Solana multisig; a disagreement exits 1 naming each field), then start Nest and listen. Resolves once
 * listening; SIGTERM/SIGINT close the app (a second signal exits at once).
 */
export async function start(opts: StartOptions, io: CliIo): Promise<void> {
  const role = opts.role ?? 'relayer';
  const config = await loadConfigOrFail(configPath(opts.config, io), role, io);
  // The chains must agree with the config: else exit 1 naming the field.
  const { assertChainConfig, ChainConfigError } = await import('../chains/check-chain-config');
  try {
    await assertChainConfig(config);
  } catch (error) {
    if (error instanceof ChainConfigError) throw new CliError(error.message, EXIT.failure);
    throw error;
  }
  // Loaded only now, so --help, check-config and the client commands do not pay for loading Nest.
  const { startAttester, startRelayer } = await import('../bootstrap');
  const { app, url } = role === 'attester' ? await startAttester(config) : await startRelayer(config);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      io.stderr(`second ${signal}: exiting now\n`);
      process.exit(1);
    }
    closing = true;
    io.stdout(`${signal}: finishing the current round and closing\n`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        io.stderr(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  io.stdout(`${role} listening on ${url}\n`);
}
