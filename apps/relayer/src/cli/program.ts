import { Command, CommanderError, Option } from 'commander';
import { registerAdmin } from './admin';
import { TOKEN_ENV } from './api-client';
import { checkConfig, registerCheckConfig } from './check-config';
import { registerDeposits } from './deposits';
import { CliError, CliExit, EXIT, type CliIo } from './io';
import { registerStart, roleOption, start, type StartOptions } from './start';
import { registerStatus } from './status';
import { registerStress } from './stress';
import { relayerVersion } from './version';
import { registerWithdrawals } from './withdrawals';

const MORE_HELP = `
Without a command, the options above start the relayer as before: \`relayer --config <file> [--role attester]\` is
\`relayer start …\`, and \`relayer --config <file> --check-config\` is \`relayer check-config --offline …\`.

The client commands (status, deposits, withdrawals, retry, void, resume-chain) talk to a running relayer's API:
--api <url>, else the api.host/api.port of --config (or RELAYER_CONFIG), else http://127.0.0.1:8080. The admin ones
(retry, void, resume-chain) send the admin token (api.adminToken) read from --token-file <path>, else from the
environment variable ${TOKEN_ENV}. --json prints the API's answer as it is.

Exit codes: 0 ok; 1 failure (invalid config, a failed chain check, an API error or an unreachable API); 2 bad usage
(unknown command or option, a missing or invalid argument).
`;

const USAGE_HINT = '(add --help for usage)';

type RootOptions = StartOptions & { checkConfig?: boolean };

/** The `relayer` program: one command per file of this folder; main.ts runs it. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('relayer')
    .description('Cross-chain collateral relayer: run it, check its config against the chains, and operate a running one through its API.')
    .version(relayerVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride() // CommanderError instead of process.exit: runCli maps it to an exit code
    .showSuggestionAfterError()
    .showHelpAfterError(USAGE_HINT)
    .enablePositionalOptions() // options before a command are the program's, after it the command's
    .option('-c, --config <file>', 'config file (default: RELAYER_CONFIG)')
    .addOption(roleOption())
    .addOption(new Option('--check-config', 'validate the config file and exit (= check-config --offline)'))
    .helpCommand('help [command]', 'print the help of a command')
    .addHelpText('after', MORE_HELP)
    .action(async (opts: RootOptions, cmd: Command) => {
      const [unknown] = cmd.args;
      if (unknown !== undefined) throw unknownCommand(cmd, unknown);
      if (opts.checkConfig === true) return checkConfig({ ...opts, offline: true }, io);
      return start(opts, io);
    });
  // `relayer --config f check-config`: options given before the command count for it unless it has its own.
  program.hook('preAction', (root, action) => {
    if (action === root) return;
    for (const name of ['config', 'role']) {
      if (root.getOptionValueSource(name) !== 'cli' || action.getOptionValueSource(name) === 'cli') continue;
      if (action.options.some((o) => o.attributeName() === name)) action.setOptionValueWithSource(name, root.getOptionValue(name), 'cli');
    }
  });
  registerStart(program, io);
  registerCheckConfig(program, io);
  registerStatus(program, io);
  registerDeposits(program, io);
  registerWithdrawals(program, io);
  registerAdmin(program, io);
  registerStress(program, io);
  // After the commands (they copy this setting): the root takes operands so that an unknown command reaches its action.
  program.allowExcessArguments(true);
  return program;
}

/** `error: unknown command 'x'` (with the closest command, as commander suggests), exit 2. */
function unknownCommand(program: Command, name: string): CliError {
  const names = program.commands.map((c) => c.name());
  const near = names
    .map((n) => ({ n, d: distance(name, n) }))
    .filter((c) => c.d <= Math.max(1, Math.floor(c.n.length / 3)))
    .sort((a, b) => a.d - b.d)[0];
  return new CliError(`error: unknown command '${name}'${near === undefined ? '' : `\n(Did you mean ${near.n}?)`}`, EXIT.usage);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * Runs the program on `argv` (without node and the script) and returns the exit code: 0, or 2 for a usage error
 * (commander's own code is 1: every CommanderError but --help and --version becomes 2), or a command's code.
 * `start` resolves once the relayer listens (it keeps running).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander printed it
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CliError) {
      io.stderr(`${error.message}\n${error.exitCode === EXIT.usage ? `${USAGE_HINT}\n` : ''}`);
      return error.exitCode;
    }
    throw error;
  }
}
