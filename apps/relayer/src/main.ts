#!/usr/bin/env node
import { runCli } from './cli/program';

/**
 * The `relayer` bin (package.json "bin"; also `node dist/main.js`): the commands of cli/ — start, check-config, status,
 * deposits, withdrawals, retry, void, resume-chain, stress (`relayer --help`). Without a command it starts as it always
 * did: `--config <file>` (or RELAYER_CONFIG) `[--role relayer|attester] [--check-config]`. Exit codes: 0 ok, 1 failure,
 * 2 bad usage (an unknown option or command is named and nothing is started).
 */
runCli(process.argv.slice(2), { env: process.env, stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) }).then(
  (code) => {
    // 0: a client command ends by itself; `start` keeps running (its server) until a signal.
    if (code === 0) process.exitCode = 0;
    else process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`relayer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
