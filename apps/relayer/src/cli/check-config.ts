import type { Command } from 'commander';
import type { RelayerRole } from '../config/load-config';
import type { CheckLine } from './chain-checks';
import { configPath, configSummary, loadConfigOrFail } from './config-file';
import { CliExit, EXIT, type CliIo } from './io';
import { roleOption } from './start';

export type CheckConfigOptions = { config?: string; role?: RelayerRole; offline?: boolean; json?: boolean };

/** `relayer check-config [--config <file>] [--role r] [--offline] [--json]`. */
export function registerCheckConfig(program: Command, io: CliIo): void {
  program
    .command('check-config')
    .summary('validate the config, then check it against every chain')
    .description(
      'Validate the config file, then contact every chain: each RPC endpoint (and its chain id), code at the vaults, the receiver and the feeds, each feed\'s latestRoundData, each token\'s decimals() against the config and the receiver\'s registration of it, Solana multisigs and nonce accounts. One line per check; exit 1 naming each failing field.',
    )
    .option('-c, --config <file>', 'config file, YAML or JSON (default: RELAYER_CONFIG)')
    .addOption(roleOption())
    .option('--offline', 'only validate the file (no chain is contacted)')
    .option('--json', 'print { ok, summary, checks: [{ status, path, message }] }')
    .action((opts: CheckConfigOptions) => checkConfig(opts, io));
}

/**
 * Validates the file (every bad field named, exit 1), prints `config ok: …`; then, unless offline, one line per chain
 * check (cli/chain-checks.ts) and, on stderr, `config error: <field>: <why>` for each failing one (as the boot check
 * prints them), exit 1 when any failed.
 */
export async function checkConfig(opts: CheckConfigOptions, io: CliIo): Promise<void> {
  const config = await loadConfigOrFail(configPath(opts.config, io), opts.role ?? 'relayer', io);
  const summary = configSummary(config);
  if (opts.offline === true) {
    io.stdout(opts.json === true ? `${JSON.stringify({ ok: true, summary, checks: [] }, null, 2)}\n` : `${summary}\n`);
    return;
  }
  // The chain clients would log endpoint failovers through Nest's logger: the lines below say it all.
  const [{ Logger }, { chainChecks }] = await Promise.all([import('@nestjs/common'), import('./chain-checks')]);
  Logger.overrideLogger(false);
  const checks = await chainChecks(config);
  const failed = checks.filter((c) => c.status === 'fail');
  if (opts.json === true) io.stdout(`${JSON.stringify({ ok: failed.length === 0, summary, checks }, null, 2)}\n`);
  else io.stdout(`${summary}\n${formatChecks(checks)}`);
  for (const c of failed) io.stderr(`config error: ${c.path}: ${c.message}\n`);
  if (failed.length > 0) throw new CliExit(EXIT.failure);
}

/** `ok    chains[0].vault   devnet-source-1: vault 0x…: contract, 4321 bytes of code`, then a count. */
export function formatChecks(checks: readonly CheckLine[]): string {
  const width = Math.max(0, ...checks.map((c) => c.path.length));
  const lines = checks.map((c) => `${c.status === 'fail' ? 'FAIL' : c.status}`.padEnd(6) + `${c.path.padEnd(width)}  ${c.message}`);
  const count = (s: CheckLine['status']): number => checks.filter((c) => c.status === s).length;
  const warned = count('warn') > 0 ? `, ${count('warn')} warning(s)` : '';
  lines.push(`chain checks: ${count('ok') + count('warn')} ok${warned}, ${count('fail')} failed`);
  return `${lines.join('\n')}\n`;
}
