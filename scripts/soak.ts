/**
 * `pnpm soak`: the two-way SIGKILL soak of npm test (test/relayer/kill-restart-two-way.test.ts) at a size of your
 * choosing — deposits on two source chains, withdrawals (a fifth unpayable), the relayer process SIGKILLed at random,
 * every RPC request of the relayer through a proxy that fails a share of them — then the on-chain audit: each deposit
 * credited once, each withdrawal released at most once and settled once, vault balances = totalLocked = locked −
 * released, receiver credits = locked − finished, zero reverted posts.
 *
 *   pnpm soak [--deposits 1000] [--withdrawals 300] [--kills 20] [--fault-rate 0.05] [--runs 1] [--seed N]
 *
 * Prints each run's seed (replay: --seed) and its figures; exits 1 if any run failed. Needs a build (`pnpm build`).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseFlags, UsageError } from './lib/args';
import { randomSeed } from './lib/rng';

const ROOT = join(__dirname, '..');

type Run = { seed: number; ok: boolean; summary: string; seconds: number };

function runOnce(env: Record<string, string>, seed: number): Promise<Run> {
  const started = Date.now();
  const jest = require.resolve('jest/bin/jest', { paths: [ROOT] });
  const child = spawn(process.execPath, [jest, '--ci', '--selectProjects', 'chain', '--testPathPatterns', 'test/relayer/kill-restart-two-way.test.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, KILL_RESTART_SEED: String(seed) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const echo = (chunk: Buffer): void => {
    out += chunk.toString();
    process.stdout.write(chunk);
  };
  child.stdout.on('data', echo);
  child.stderr.on('data', echo);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      const summary = /kill-restart-two-way seed \d+: (.*)/.exec(out)?.[1] ?? 'no summary (the run failed before its audit: see the output above)';
      resolve({ seed, ok: code === 0, summary, seconds: Math.round((Date.now() - started) / 1000) });
    }),
  );
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), { deposits: 'integer', withdrawals: 'integer', kills: 'integer', 'fault-rate': 'string', runs: 'integer', seed: 'integer' });
  const deposits = flags.deposits ?? 1000;
  const withdrawals = flags.withdrawals ?? 300;
  const kills = flags.kills ?? 20;
  const runs = flags.runs ?? 1;
  const faultRate = flags['fault-rate'] === undefined ? 0.05 : Number(flags['fault-rate']);
  if (!Number.isFinite(faultRate) || faultRate < 0 || faultRate > 0.5) throw new UsageError(`--fault-rate expects a share of requests in [0, 0.5], got ${flags['fault-rate']}`);
  if (deposits < 1 || runs < 1) throw new UsageError('--deposits and --runs must be at least 1');
  if (flags.seed !== undefined && runs > 1) throw new UsageError('--seed replays one run: leave out --runs');

  const env = { SOAK_DEPOSITS: String(deposits), SOAK_WITHDRAWALS: String(withdrawals), SOAK_MIN_KILLS: String(kills), SOAK_RPC_FAULT_RATE: String(faultRate) };
  console.log(`soak: ${runs} run(s) of ${deposits} deposits, ${withdrawals} withdrawals, ≥ ${kills} SIGKILLs, ${(faultRate * 100).toFixed(1)} % of RPC requests faulted`);
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(await runOnce(env, flags.seed ?? randomSeed()));

  console.log('\nsoak results');
  for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'} seed ${r.seed} (${r.seconds} s): ${r.summary}${r.ok ? '' : `  (replay: pnpm soak --seed ${r.seed} --deposits ${deposits} --withdrawals ${withdrawals} --kills ${kills} --fault-rate ${faultRate})`}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `soak: ${error.shortMessage}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
