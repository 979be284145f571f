import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { isBuildCurrent } from '../../contracts/scripts/build';

const CONTRACTS_DIR = resolve(__dirname, '..', '..', 'contracts');

/**
 * Builds the Solidity artifacts (contracts/out) when they are missing or were built from other sources.
 * The build runs in a child process (solc-js is heavy to load inside a test worker); its files are written
 * atomically, so parallel test files building at once are harmless.
 */
export function ensureBuilt(): void {
  if (isBuildCurrent()) return;
  const tsxCli = require.resolve('tsx/cli');
  execFileSync(process.execPath, [tsxCli, join(CONTRACTS_DIR, 'scripts', 'build.ts')], { cwd: CONTRACTS_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
}
