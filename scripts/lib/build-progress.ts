/**
 * The Solidity build (solc-js, ≈25 s on a fresh clone) with progress: the demo says what it is doing instead of
 * sitting silent. Nothing to do when the artifacts are current (contracts/scripts/build.ts `isBuildCurrent`).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { isBuildCurrent } from '../../contracts/scripts/build';

const CONTRACTS_DIR = resolve(__dirname, '..', '..', 'contracts');

export async function buildContractsWithProgress(say: (line: string) => void): Promise<void> {
  if (isBuildCurrent()) return;
  const t0 = Date.now();
  say('compiling the contracts with solc-js (once per source change, ≈25 s)…');
  const ticker = setInterval(() => say(`  … still compiling (${Math.round((Date.now() - t0) / 1000)} s)`), 5000);
  try {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(CONTRACTS_DIR, 'scripts', 'build.ts')], { cwd: CONTRACTS_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    if (code !== 0) throw new Error(`contract build failed (exit ${code}): ${stderr.slice(-2000)}`);
  } finally {
    clearInterval(ticker);
  }
  say(`compiled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
