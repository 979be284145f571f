import type { Command } from 'commander';
import { CliExit, type CliIo } from './io';

/**
 * `relayer stress …`: the live-book stress report (stress/stress-cli.ts). Its arguments go to that parser as they are
 * (`relayer stress --help` prints its usage; its exit codes: 0 ok, 2 bad arguments, 1 failure). A `--config` given
 * before `stress` is passed on as RELAYER_CONFIG.
 */
export function registerStress(program: Command, io: CliIo): void {
  program
    .command('stress')
    .description('stress over the live book (relayer stress --help)')
    .usage('--config <file> (--scenario <name> | --scenario-file <file.json>) [--requirements <file.json>] [--json] | --list')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_opts: unknown, cmd: Command) => {
      const { runStressCli } = await import('../stress/stress-cli');
      const rootConfig = cmd.parent?.opts<{ config?: string }>().config; // the root program's -c, --config <file>
      const env = rootConfig === undefined ? io.env : { ...io.env, RELAYER_CONFIG: rootConfig };
      const code = await runStressCli(cmd.args, { env, stdout: io.stdout, stderr: io.stderr });
      if (code !== 0) throw new CliExit(code);
    });
}
