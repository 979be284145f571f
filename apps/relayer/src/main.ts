#!/usr/bin/env node
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';

/**
 * node dist/main.js [--config <file>] [--check-config] [--role relayer|attester]
 * node dist/main.js stress --config <file> --scenario <name> [--requirements <file>] [--json]   (stress/stress-cli.ts)
 * The config path comes from --config or RELAYER_CONFIG. A bad config prints every offending field
 * (`config error: chains[0].rpcUrl: Invalid url`) and exits 1. --check-config validates and exits 0. Before starting, every
 * asset is checked against its chains (chains/check-chain-config.ts: token decimals(), the receiver's registration);
 * a disagreement exits 1 the same way (`config error: assets[1].decimals: configured 6, token reports 18`).
 * `--role attester` runs an independent attester (attester/attester-role.module.ts: its own key, store and RPC URLs,
 * no poster; docs/two-way-book.md "Independent attesters"); the default role is the relayer.
 */
async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'stress') {
    // `stress --config <file> --scenario <name>`: the live-book stress report (stress/stress-cli.ts), then exit.
    const { runStressCli } = await import('./stress/stress-cli');
    process.exitCode = await runStressCli(argv.slice(1), { env: process.env, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
    return;
  }
  const configFlag = argv.indexOf('--config');
  const path = configFlag >= 0 ? argv[configFlag + 1] : process.env.RELAYER_CONFIG;
  if (path === undefined || path === '') {
    process.stderr.write('config error: no config file: pass --config <file> or set RELAYER_CONFIG\n');
    process.exit(1);
  }
  const roleFlag = argv.indexOf('--role');
  const role = roleFlag >= 0 ? argv[roleFlag + 1] : 'relayer';
  if (role !== 'relayer' && role !== 'attester') {
    process.stderr.write(`config error: --role: expected relayer or attester, got ${role ?? '(nothing)'}\n`);
    process.exit(1);
  }
  let config;
  try {
    config = loadConfig({ path, env: process.env, role });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (argv.includes('--check-config')) {
    const attesters = config.remoteAttesters.length === 0 ? `${config.attesterKeys.length} attester key(s)` : `${config.attesterKeys.length} attester key(s) + ${config.remoteAttesters.length} remote attester(s), threshold ${config.attestationThreshold}`;
    process.stdout.write(`config ok: ${config.chains.length} chain(s), ${config.assets.length} asset(s), ${role === 'attester' ? 'attester role' : attesters}\n`);
    return;
  }
  // The chains must agree with the config (token and receiver decimals, registered assets): else exit 1 naming the field.
  const { assertChainConfig, ChainConfigError } = await import('./chains/check-chain-config');
  try {
    await assertChainConfig(config);
  } catch (error) {
    if (error instanceof ChainConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Loaded only now, so --check-config and config errors do not pay for loading Nest.
  const { startAttester, startRelayer } = await import('./bootstrap');
  const { app, url } = role === 'attester' ? await startAttester(config) : await startRelayer(config);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      process.stderr.write(`second ${signal}: exiting now\n`);
      process.exit(1);
    }
    closing = true;
    process.stdout.write(`${signal}: finishing the current round and closing\n`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdout.write(`${role} listening on ${url}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`relayer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
