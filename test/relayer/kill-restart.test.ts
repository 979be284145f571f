/**
 * Soak: the relayer PROCESS (apps/relayer/dist/main.js) is SIGKILLed at random moments while 200 deposits stream
 * in on two source chains, restarted after each kill, then left to finish. Afterwards the destination chain alone
 * must show every deposit credited exactly once (one `Credited` event per GUID, its nonce ≤ the receiver's `lastNonce`
 * of its path, per-account raw positions equal to what was locked), no poster transaction reverted, and the relayer's database must agree (all CREDITED, one
 * CREDITED transition each).
 *
 * Randomness (deposit plan, kill delays) comes from a seeded RNG; the seed is printed. Replay a failure with
 *   KILL_RESTART_SEED=<seed> npx jest test/relayer/kill-restart.test.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockAndWait, type LockRecord } from '../../scripts/lib/lock';
import { transactionsFrom } from '../../scripts/lib/receiver-audit';
import { fetchDeposits, fetchDeposit } from '../../scripts/lib/relayer-api';
import { createRng, randomSeed } from '../../scripts/lib/rng';
import { sleep, waitFor } from '../../scripts/lib/wait';
import { startDevnet, type Devnet } from '../support/devnet';
import { startRelayerProcess, type RelayerProcess } from '../support/relayerProcess';
import { auditCreditsOnChain, positionOf } from './harness';

jest.setTimeout(180_000);

const DEPOSITS = 200;
const seed = process.env.KILL_RESTART_SEED === undefined ? randomSeed() : Number(process.env.KILL_RESTART_SEED) >>> 0;

let dir: string;
let devnet: Devnet | undefined;
let relayer: RelayerProcess | undefined;
/** Output of every killed process. */
const outputs: string[] = [];
// eslint-disable-next-line no-control-regex -- Nest colours its log lines
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

beforeAll(async () => {
  console.log(`kill-restart seed: ${seed}  (replay: KILL_RESTART_SEED=${seed} npx jest test/relayer/kill-restart.test.ts)`);
  dir = mkdtempSync(join(tmpdir(), 'ccr-kill-restart-'));
  devnet = await startDevnet({
    sources: 2,
    attesters: 2,
    threshold: 2,
    users: 3,
    databasePath: join(dir, 'relayer.sqlite'),
    relayer: { batch: { maxSize: 20, maxWaitMs: 100 }, pipeline: { intervalMs: 50, receiptTimeoutMs: 5_000 }, pollIntervalMs: 100, logLevel: 'log' },
  });
  devnet.writeConfig(join(dir, 'relayer.json'));
});

afterAll(async () => {
  if (relayer !== undefined) {
    relayer.child.kill('SIGKILL');
    await relayer.stop();
  }
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it(`credits ${DEPOSITS} streamed deposits exactly once while the relayer process is SIGKILLed and restarted at random`, async () => {
  const d = devnet!;
  const configPath = join(dir, 'relayer.json');
  const start = async (): Promise<RelayerProcess> => {
    const r = await startRelayerProcess(configPath, d.env, 60_000);
    relayer = r;
    return r;
  };

  // Deposits: random source, user, asset, amount; random pauses and random block mining (finality advances in steps).
  const depositRng = createRng(seed);
  const locks: LockRecord[] = [];
  const stream = async (): Promise<void> => {
    for (let i = 0; i < DEPOSITS; i++) {
      const source = depositRng.pick(d.sources);
      const user = depositRng.pick(source.users);
      const usdc = depositRng.next() < 0.5;
      const amount = usdc ? BigInt(depositRng.int(1, 50_000)) * 10n ** 6n : BigInt(depositRng.int(1, 20_000)) * 10n ** 15n;
      locks.push(await lockAndWait(source, user, usdc ? source.usdc : source.weth, amount));
      if (depositRng.next() < 0.2) await depositRng.pick(d.sources).anvil.mine(depositRng.int(1, 40));
      await sleep(depositRng.int(0, 60));
    }
    for (const source of d.sources) await source.anvil.mine(70); // everything final
  };

  // Kills: 5–8 SIGKILLs, each followed by a restart. The first two are aimed at a posted but
  // unconfirmed batch: the destination stops mining, the kill lands 0–200 ms after a batch tx reaches its pool, and
  // for one of them the node also forgets the pending transaction (the restart must re-broadcast, not re-post).
  // The others come at random delays after the start.
  const killRng = createRng(seed ^ 0x9e3779b9);
  type KillMode = 'random' | 'tx-pending' | 'tx-dropped';
  const kills: { mode: KillMode; afterMs: number; sawBroadcast: boolean; outputTail: string }[] = [];
  const dstRpc = <T = unknown>(method: string, params?: readonly unknown[]): Promise<T> => d.destination.anvil.rpc<T>(method, params);
  const killer = async (): Promise<void> => {
    const count = killRng.int(5, 8);
    const modes: KillMode[] = Array.from({ length: count }, () => 'random');
    // The first two kills, in random order, while deposits still stream in (so there is a batch to catch).
    const aimed = killRng.int(0, 1);
    modes[aimed] = 'tx-pending';
    modes[1 - aimed] = 'tx-dropped';
    let r = await start();
    for (const mode of modes) {
      const started = Date.now();
      let sawBroadcast = false;
      if (mode === 'random') await sleep(killRng.int(150, 2_500));
      else {
        // With mining stopped, a transaction in the destination's pool is a broadcast batch waiting for its receipt.
        await dstRpc('evm_setAutomine', [false]);
        const pending = async (): Promise<true | undefined> => (BigInt((await dstRpc<{ pending: string }>('txpool_status')).pending) > 0n ? true : undefined);
        sawBroadcast = await waitFor('a broadcast', pending, 8_000, 10).catch(() => false);
        await sleep(killRng.int(0, 200));
      }
      const exited = new Promise<NodeJS.Signals | null>((done) => r.child.once('exit', (_code, signal) => done(signal)));
      expect(r.child.kill('SIGKILL')).toBe(true);
      expect(await exited).toBe('SIGKILL');
      kills.push({ mode, afterMs: Date.now() - started, sawBroadcast, outputTail: r.output().trim().split('\n').slice(-1)[0] ?? '' });
      outputs.push(r.output());
      if (mode === 'tx-dropped') await dstRpc('anvil_dropAllTransactions');
      if (mode !== 'random') await dstRpc('evm_setAutomine', [true]); // also mines what is pending
      await sleep(killRng.int(0, 300));
      r = await start();
    }
  };

  await Promise.all([stream(), killer()]);
  expect(kills.length).toBeGreaterThanOrEqual(5);
  // The soak is only worth something if some kill caught a batch broadcast but not yet confirmed.
  expect(kills.filter((k) => k.sawBroadcast).length).toBeGreaterThanOrEqual(1);
  const guids = locks.map((l) => l.guid);
  expect(new Set(guids).size).toBe(DEPOSITS);

  // Left alone, the last process finishes the job.
  const final = relayer!;
  await waitFor(
    `all ${DEPOSITS} deposits CREDITED`,
    async () => {
      const all = await Promise.all(guids.map((g) => fetchDeposit(final.url, g)));
      const pending = all.filter((x) => x?.state !== 'CREDITED').length;
      return pending === 0 ? true : undefined;
    },
    90_000,
    250,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n--- last relayer output ---\n${final.output().slice(-4000)}`);
  });

  // The chain: one Credited event per GUID, nothing else credited, every nonce applied (≤ lastNonce of its path),
  // no reverted poster tx.
  const dst = d.destination;
  const audit = await auditCreditsOnChain(d, locks);
  expect(audit.duplicates).toEqual([]);
  expect(audit.missing).toEqual([]);
  expect(audit.unexpected).toEqual([]);
  expect(audit.notApplied).toEqual([]);
  expect(audit.events).toHaveLength(DEPOSITS);
  const posterTxs = await transactionsFrom(dst.anvil.provider, d.posterAddress);
  expect(posterTxs.filter((t) => t.status !== 1).map((t) => t.hash)).toEqual([]);
  expect(posterTxs).toHaveLength(await dst.anvil.provider.getTransactionCount(d.posterAddress, 'latest')); // every transaction the poster ever sent was scanned
  expect(posterTxs.reduce((n, t) => n + t.credits, 0)).toBe(DEPOSITS);

  // Per (account, source, asset): the receiver's raw total equals what was locked (a double credit would exceed it).
  const lockedSums = new Map<string, bigint>();
  for (const l of locks) {
    const key = `${l.account}|${l.srcEid}|${l.token.slice(2).padStart(64, '0')}`;
    lockedSums.set(key, (lockedSums.get(key) ?? 0n) + l.amount);
  }
  for (const [key, locked] of lockedSums) {
    const [account, eid, asset] = key.split('|') as [string, string, string]; // built just above with three parts
    const { rawAmount: raw } = await positionOf(d, account, Number(eid), `0x${asset}`);
    expect({ key, raw }).toEqual({ key, raw: locked });
  }

  // The relayer's database agrees: every deposit CREDITED, exactly one CREDITED transition, with the tx that holds its event.
  const rows = await fetchDeposits(final.url, guids);
  const creditTxOf = new Map(audit.events.map((e) => [e.guid, e.txHash]));
  for (const row of rows) {
    expect(row?.state).toBe('CREDITED');
    expect(row!.history.filter((t) => t.to === 'CREDITED')).toHaveLength(1);
    // Reconciled deposits (credited on chain by a batch the killed process never settled) take theirs from the Credited event.
    expect(row!.creditTxHash).toBe(creditTxOf.get(row!.guid));
  }

  const interrupted = rows.filter((r) => r!.history.some((t) => t.reason === 'tx-dropped' || t.reason === 'reconciled')).length;
  const recoveryLines = [...outputs, final.output()]
    .flatMap((o) => stripAnsi(o).split('\n'))
    .filter((line) => /re-broadcast|never signed|reconciled|cannot settle/.test(line));
  console.log(
    [
      `kill-restart seed ${seed}: ${kills.length} SIGKILLs (${kills.map((k) => `${k.mode}${k.sawBroadcast ? ' after a broadcast' : ''} at +${k.afterMs}ms`).join(', ')})`,
      `  ${DEPOSITS} deposits on ${d.sources.length} chains credited once each by ${posterTxs.length} poster txs (0 reverted);`,
      `  ${interrupted} deposit(s) with a tx-dropped/reconciled transition; recovery log lines after restarts:`,
      ...recoveryLines.map((line) => `    ${line.replace(/^.*?(LOG|WARN|ERROR)\s+/, '$1 ').slice(0, 200)}`),
      ...kills.map((k, i) => `  kill ${i + 1} (${k.mode}): last log line before it: ${stripAnsi(k.outputTail).slice(0, 160)}`),
    ].join('\n'),
  );
});
