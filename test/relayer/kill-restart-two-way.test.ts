/**
 * Soak of the two-way book: the relayer PROCESS is SIGKILLed at random moments while deposits stream in on two
 * source chains and, once credited, are withdrawn (some to recipients the vault cannot pay, which must come back
 * unfrozen). Restarted after each kill, then left to finish. Then, from the chains alone: every deposit credited
 * exactly once; every withdrawal released at most once and settled (finished or unfrozen) exactly once; each vault's
 * token balance equals its totalLocked, which equals what was locked minus what was released; the receiver's credited
 * raw amounts equal locked − finished, nothing left frozen; no poster transaction reverted on any chain.
 *
 * The relayer reaches every chain through a proxy that fails a share of its RPC requests (test/support/faulty-rpc.ts:
 * 503s, dropped connections, JSON-RPC errors, slow answers), so kills land amid retries and failovers too.
 *
 * Seeded (printed); replay with KILL_RESTART_SEED=<seed> npx jest test/relayer/kill-restart-two-way.test.ts
 * Sizes from the environment (`pnpm soak` sets them; defaults are the npm-test run): SOAK_DEPOSITS (80),
 * SOAK_WITHDRAWALS (30), SOAK_MIN_KILLS (5), SOAK_RPC_FAULT_RATE (0.03, the share of RPC requests failed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WithdrawalStatus, ethers } from '../../contracts/ts/index';
import { lockAndWait, type LockRecord } from '../../scripts/lib/lock';
import { transactionsFrom } from '../../scripts/lib/receiver-audit';
import { fetchDeposit, fetchWithdrawal } from '../../scripts/lib/relayer-api';
import { createRng, randomSeed } from '../../scripts/lib/rng';
import { sleep, waitFor } from '../../scripts/lib/wait';
import { requestWithdrawal } from '../../scripts/lib/withdrawals';
import { addressToBytes32, startDevnet, type Devnet, type DevnetSource, type DevnetToken } from '../support/devnet';
import { faultTotals, proxyConfiguredChains, type FaultyRpc } from '../support/faulty-rpc';
import { startRelayerProcess, type RelayerProcess } from '../support/relayerProcess';
import { soakNumber } from '../support/soak-env';
import { auditCreditsOnChain, positionOf } from './harness';

const DEPOSITS = soakNumber('SOAK_DEPOSITS', 80);
const WITHDRAWALS = soakNumber('SOAK_WITHDRAWALS', 30);
const MIN_KILLS = soakNumber('SOAK_MIN_KILLS', 5);
const RPC_FAULT_RATE = soakNumber('SOAK_RPC_FAULT_RATE', 0.03);
// Time for the traffic (~150 ms a deposit, ~250 ms a withdrawal, kills between), then for the last process to finish.
const FINISH_MS = 120_000 + DEPOSITS * 100;
jest.setTimeout(180_000 + DEPOSITS * 400 + WITHDRAWALS * 600 + MIN_KILLS * 3_000 + FINISH_MS);

const seed = process.env.KILL_RESTART_SEED === undefined ? randomSeed() : Number(process.env.KILL_RESTART_SEED) >>> 0;

let dir: string;
let devnet: Devnet | undefined;
let relayer: RelayerProcess | undefined;
let miners: NodeJS.Timeout[] = [];
let proxies: FaultyRpc[] = [];

beforeAll(async () => {
  console.log(`kill-restart-two-way seed: ${seed}  (replay: KILL_RESTART_SEED=${seed} npx jest test/relayer/kill-restart-two-way.test.ts)`);
  dir = mkdtempSync(join(tmpdir(), 'ccr-kill-two-way-'));
  devnet = await startDevnet({
    sources: 2,
    attesters: 2,
    threshold: 2,
    users: 3,
    finality: { mode: 'confirmations', confirmations: 3 },
    databasePath: join(dir, 'relayer.sqlite'),
    relayer: { batch: { maxSize: 20, maxWaitMs: 100 }, pipeline: { intervalMs: 50, receiptTimeoutMs: 5_000 }, pollIntervalMs: 100, logLevel: 'log' },
  });
  devnet.writeConfig(join(dir, 'relayer.json'));
  // Every chain through its faulty proxy: the relayer's config names the proxies, the test talks to the nodes.
  proxies = await proxyConfiguredChains(join(dir, 'relayer.json'), { rate: RPC_FAULT_RATE, seed });
  // The source chains keep producing blocks (finality is 3 confirmations), like live chains.
  miners = devnet.sources.map((s) => setInterval(() => void s.anvil.mine(1).catch(() => undefined), 120));
});

afterAll(async () => {
  for (const m of miners) clearInterval(m);
  if (relayer !== undefined) {
    relayer.child.kill('SIGKILL');
    await relayer.stop();
  }
  await Promise.all(proxies.map((p) => p.close()));
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Withdrawal = { guid: string; source: DevnetSource; token: DevnetToken; user: ethers.Wallet; amount: bigint; payable: boolean };

it(`credits ${DEPOSITS} deposits once and settles ${WITHDRAWALS} withdrawals once while the relayer is SIGKILLed at random`, async () => {
  const d = devnet!;
  const configPath = join(dir, 'relayer.json');
  // A boot whose chain checks meet an injected fault exits non-zero, naming it; a supervisor starts it again.
  let bootFailures = 0;
  const start = async (): Promise<RelayerProcess> => {
    for (;;) {
      try {
        return (relayer = await startRelayerProcess(configPath, d.env, 60_000));
      } catch (error) {
        // Only a process that exited is started again (one that is merely slow would still hold the database).
        if (!String(error).includes('exited with') || ++bootFailures > 20) throw error;
        const why = String(error).split('\n').filter((l) => /error/i.test(l)).slice(-2).join(' | ');
        console.log(`boot ${bootFailures} stopped (restarting): ${why.slice(0, 600)}`);
      }
    }
  };
  const startedAt = Date.now();
  const rng = createRng(seed);
  const receiver = d.destination.receiver;
  const creditedRaw = async (user: ethers.Wallet, source: DevnetSource, token: DevnetToken): Promise<bigint> => (await positionOf(d, user.address, source.eid, token.address)).rawAmount;

  const locks: LockRecord[] = [];
  const withdrawals: Withdrawal[] = [];
  let done = false;
  const traffic = async (): Promise<void> => {
    for (let i = 0; i < DEPOSITS; i++) {
      const source = rng.pick(d.sources);
      const user = rng.pick(source.users);
      const usdc = rng.next() < 0.5;
      const amount = usdc ? BigInt(rng.int(10, 50_000)) * 10n ** 6n : BigInt(rng.int(10, 20_000)) * 10n ** 15n;
      locks.push(await lockAndWait(source, user, usdc ? source.usdc : source.weth, amount));
      await sleep(rng.int(0, 40));
    }
    // Withdrawals of what is credited by now: a random part of a random position, 1 in 5 to a recipient the vault cannot pay.
    while (withdrawals.length < WITHDRAWALS) {
      const source = rng.pick(d.sources);
      const user = rng.pick(source.users);
      const token = rng.next() < 0.5 ? source.usdc : source.weth;
      const available = await creditedRaw(user, source, token);
      if (available === 0n) {
        await sleep(50);
        continue;
      }
      const amount = (available * BigInt(rng.int(1, 50))) / 100n;
      if (amount === 0n) continue;
      const payable = rng.next() >= 0.2;
      const recipient = payable ? addressToBytes32(user.address) : `0x${'ee'.repeat(12)}${user.address.slice(2).toLowerCase()}`;
      const r = await requestWithdrawal(d, source, user, token, amount, recipient);
      withdrawals.push({ guid: r.guid, source, token, user, amount, payable });
      await sleep(rng.int(0, 80));
    }
    done = true;
  };

  const killRng = createRng(seed ^ 0x9e3779b9);
  const kills: number[] = [];
  const killer = async (): Promise<void> => {
    let r = await start();
    // Kills go on until the traffic is over, and at least MIN_KILLS of them.
    while (!done || kills.length < MIN_KILLS) {
      await sleep(killRng.int(200, 2_500));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => r.child.once('exit', (_code, signal) => resolve(signal)));
      expect(r.child.kill('SIGKILL')).toBe(true);
      expect(await exited).toBe('SIGKILL');
      kills.push(Date.now());
      await sleep(killRng.int(0, 300));
      r = await start();
    }
  };
  await Promise.all([traffic(), killer()]);

  // Left alone, the last process finishes the job.
  const final = relayer!;
  await waitFor(
    `all deposits CREDITED and all withdrawals settled`,
    async () => {
      const ds = await Promise.all(locks.map((l) => fetchDeposit(final.url, l.guid)));
      const ws = await Promise.all(withdrawals.map((w) => fetchWithdrawal(final.url, w.guid)));
      return ds.every((x) => x?.state === 'CREDITED') && ws.every((x) => x?.outcome === 'finished' || x?.outcome === 'unfrozen') ? true : undefined;
    },
    FINISH_MS,
    300,
  ).catch(async (error: unknown) => {
    // What halted, if anything did (a halt in an earlier, SIGKILLed process is only visible here).
    // The body is the SolvencyView JSON; only its `halted` rows (cause, terms, evidence) are printed.
    const halted = await fetch(`${final.url}/solvency`).then(async (r) => JSON.stringify(((await r.json()) as { halted?: unknown }).halted ?? null), (e: unknown) => `GET /solvency failed: ${String(e)}`);
    throw new Error(`${String(error)}\n--- halted pathways (GET /solvency) ---\n${halted.slice(0, 6000)}\n--- last relayer output ---\n${final.output().slice(-4000)}`);
  });

  // Deposits: one Credited event per GUID, nothing else, every nonce applied (≤ lastNonce of its path); no reverted
  // poster transaction on the derivatives chain.
  const dst = d.destination;
  const audit = await auditCreditsOnChain(d, locks);
  expect(audit.duplicates).toEqual([]);
  expect(audit.missing).toEqual([]);
  expect(audit.unexpected).toEqual([]);
  expect(audit.notApplied).toEqual([]);
  const dstPosterTxs = await transactionsFrom(dst.anvil.provider, d.posterAddress);
  expect(dstPosterTxs.filter((t) => t.status !== 1).map((t) => t.hash)).toEqual([]);

  // Withdrawals: settled once on the receiver (one WithdrawalSettled each), as the payout went.
  const settled = await receiver.queryFilter(receiver.filters.WithdrawalSettled!(), 0, 'latest');
  const settledCount = new Map<string, number>();
  for (const e of settled) {
    const g = String((e as ethers.EventLog).args.getValue('withdrawalGuid')).toLowerCase(); // a filter built from the ABI yields decoded EventLogs
    settledCount.set(g, (settledCount.get(g) ?? 0) + 1);
  }
  for (const w of withdrawals) {
    expect({ guid: w.guid, settled: settledCount.get(w.guid) }).toEqual({ guid: w.guid, settled: 1 });
    const status = Number(await receiver.getFunction('withdrawalStatus')(w.guid));
    expect({ guid: w.guid, status }).toEqual({ guid: w.guid, status: w.payable ? WithdrawalStatus.Finished : WithdrawalStatus.Unfrozen });
  }

  // Released at most once: one Released or ReleaseFailed per withdrawal on its vault; no reverted poster tx there.
  for (const source of d.sources) {
    const released = await source.vault.queryFilter(source.vault.filters.Released!(), 0, 'latest');
    const failed = await source.vault.queryFilter(source.vault.filters.ReleaseFailed!(), 0, 'latest');
    const outcomes = new Map<string, number>();
    for (const e of [...released, ...failed]) {
      const g = String((e as ethers.EventLog).args.getValue('withdrawalGuid')).toLowerCase(); // a filter built from the ABI yields decoded EventLogs
      outcomes.set(g, (outcomes.get(g) ?? 0) + 1);
    }
    const mine = withdrawals.filter((w) => w.source === source);
    expect([...outcomes.values()].every((n) => n === 1)).toBe(true);
    expect(outcomes.size).toBe(mine.length);
    expect(released.length).toBe(mine.filter((w) => w.payable).length);
    const posterTxs = await transactionsFrom(source.anvil.provider, d.posterAddress);
    expect(posterTxs.filter((t) => t.status !== 1).map((t) => t.hash)).toEqual([]);

    // Each vault holds exactly locked − released, and says so.
    for (const token of [source.usdc, source.weth]) {
      const locked = locks.filter((l) => l.srcEid === source.eid && l.token.toLowerCase() === token.address.toLowerCase()).reduce((n, l) => n + l.amount, 0n);
      const paid = mine.filter((w) => w.payable && w.token === token).reduce((n, w) => n + w.amount, 0n);
      const balance = (await token.contract.getFunction('balanceOf')(source.vaultAddress)) as bigint; // ERC-20 balanceOf returns a uint256
      const [, , totalLocked] = (await source.vault.getFunction('assets')(token.address)) as [boolean, bigint, bigint]; // assets: (bool allowed, uint128 cap, uint128 totalLocked)
      expect({ vault: source.name, token: token.symbol, balance, totalLocked }).toEqual({ vault: source.name, token: token.symbol, balance: locked - paid, totalLocked: locked - paid });
    }
  }

  // The receiver: per (account, source, asset) credited raw = locked − finished withdrawals, nothing frozen.
  for (const source of d.sources)
    for (const user of source.users)
      for (const token of [source.usdc, source.weth]) {
        const locked = locks.filter((l) => l.srcEid === source.eid && l.account === addressToBytes32(user.address) && l.token.toLowerCase() === token.address.toLowerCase()).reduce((n, l) => n + l.amount, 0n);
        const out = withdrawals.filter((w) => w.source === source && w.user === user && w.token === token && w.payable).reduce((n, w) => n + w.amount, 0n);
        const { rawAmount: credited, frozen } = await positionOf(d, user.address, source.eid, token.address);
        expect({ user: user.address, token: token.symbol, credited, frozen }).toEqual({ user: user.address, token: token.symbol, credited: locked - out, frozen: 0n });
      }

  const rpc = faultTotals(proxies);
  if (RPC_FAULT_RATE > 0) expect(rpc.faulted).toBeGreaterThan(0); // the faults were real
  const elapsedSeconds = ((Date.now() - startedAt) / 1000).toFixed(0);
  console.log(
    `kill-restart-two-way seed ${seed}: ${kills.length} SIGKILLs; ${DEPOSITS} deposits credited once by ${dstPosterTxs.length} derivatives-chain txs; ` +
      `${withdrawals.length} withdrawals (${withdrawals.filter((w) => w.payable).length} released, ${withdrawals.filter((w) => !w.payable).length} unfrozen) settled once; 0 reverted posts on any chain; ` +
      `RPC: ${rpc.requests} requests through the proxies, ${rpc.faulted} faulted (${JSON.stringify(rpc.faults)}); ${bootFailures} boots stopped by a fault and restarted; ${elapsedSeconds} s`,
  );
});
