import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root and the risk package, for paths in CLI arguments. */
export const REPO_ROOT = resolve(__dirname, '../../..');
export const RISK_PACKAGE = resolve(__dirname, '..');

const TSX_CLI = require.resolve('tsx/cli');
const MAIN = resolve(RISK_PACKAGE, 'src/cli/main.ts');

/**
 * Runs the real `risk` program as a child process: node + tsx on src/cli/main.ts, the same entry the built bin
 * (dist/cli/main.js) is compiled from, so the test needs no build. `stdin` is fed to `--input -`.
 */
export function runRiskCli(args: readonly string[], stdin?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [TSX_CLI, MAIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    ...(stdin === undefined ? {} : { input: stdin }),
  });
}
