/**
 * The relayer PROCESS SIGKILLed twice while Solana deposits are watched and credited (attester keys in process):
 * 20 deposits in a burst from 3 users in both mints (6 and 9 decimals); the first kill lands while the relayer is
 * watching them (some seen, none credited yet), the second while a credit batch it broadcast waits in the
 * derivatives chain's pool (mining stopped). Each restart is on the same database. In the end the derivatives chain
 * alone shows every deposit credited exactly once: lastNonce of the Solana path = the path's messages, one `Credited`
 * event per GUID and none other, positions = the sums deposited, no reverted poster transaction; and the relayer's
 * database agrees (every row CREDITED, once, with the transaction holding its event). The relayer reaches every chain,
 * Solana included, through a proxy failing a share of its RPC requests (SOAK_RPC_FAULT_RATE, default 0.03;
 * test/support/faulty-rpc.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Hex, solanaAddressToBytes32 } from '@ccr/messages';
import type { PublicKey } from '@solana/web3.js';
import { transactionsFrom } from '../../scripts/lib/receiver-audit';
import { startDevnet, type Devnet } from '../support/devnet';
import { faultTotals, proxyConfiguredChains, type FaultyRpc } from '../support/faulty-rpc';
import { type RelayerProcess, startRelayerProcess } from '../support/relayerProcess';
import { soakNumber } from '../support/soak-env';
import { existingDeposit, positionOf, waitFor } from './harness';
import { accountOf, auditSolanaCreditsOnChain, memoFor, solanaCreditedOnChain, solanaLastNonce, solanaRows } from './solana-helpers';

jest.setTimeout(120_000);

const DEPOSITS = 20;
const RPC_FAULT_RATE = soakNumber('SOAK_RPC_FAULT_RATE', 0.03);
let proxies: FaultyRpc[] = [];

let dir: string;
let devnet: Devnet;
let relayer: RelayerProcess | undefined;
const outputs: string[] = [];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-solana-kill-'));
  devnet = await startDevnet({
    sources: 1,
    attesters: 2,
    threshold: 2,
    users: 1,
    databasePath: join(dir, 'relayer.sqlite'),
    solana: { users: 3 },
    relayer: { batch: { maxSize: 5, maxWaitMs: 100 }, pipeline: { intervalMs: 50, receiptTimeoutMs: 5_000 }, pollIntervalMs: 100, logLevel: 'log' },
  });
  devnet.writeConfig(join(dir, 'relayer.json'));
  proxies = await proxyConfiguredChains(join(dir, 'relayer.json'), { rate: RPC_FAULT_RATE, seed: Date.now() >>> 0 });
});

afterAll(async () => {
  if (relayer !== undefined && relayer.child.exitCode === null && relayer.child.signalCode === null) {
    relayer.child.kill('SIGKILL');
    await relayer.stop();
  }
  await Promise.all(proxies.map((p) => p.close()));
  await devnet?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

type Sent = { signature: string; user: number; mint: 'usdc' | 'sol9'; amount: bigint; account: Hex };

it(`credits ${DEPOSITS} burst Solana deposits exactly once while the relayer process is SIGKILLed twice and restarted`, async () => {
  const s = devnet.solana!;
  const dst = devnet.destination;
  const start = async (): Promise<RelayerProcess> => (relayer = await startRelayerProcess(join(dir, 'relayer.json'), devnet.env, 60_000));
  const kill = async (r: RelayerProcess): Promise<void> => {
    const exited = new Promise<NodeJS.Signals | null>((done) => r.child.once('exit', (_code, signal) => done(signal)));
    expect(r.child.kill('SIGKILL')).toBe(true);
    expect(await exited).toBe('SIGKILL');
    outputs.push(r.output());
  };
  const states = async (url: string): Promise<Record<string, number>> => {
    const count: Record<string, number> = {};
    for (const row of await solanaRows(url, s.eid)) count[row.state] = (count[row.state] ?? 0) + 1;
    return count;
  };

  let r = await start();

  // The burst: 3 users sending at once, each its share in turn; both mints; a few destination accounts.
  const sent: Sent[] = [];
  const burst = Promise.all(
    [0, 1, 2].map(async (user) => {
      for (let i = user; i < DEPOSITS; i += 3) {
        const mint = i % 2 === 0 ? 'usdc' : 'sol9';
        const amount = BigInt(i + 1) * 10n ** BigInt(s.mints[mint].decimals) + BigInt(i); // distinct per deposit
        const account = accountOf(devnet, 1 + (Math.floor(i / 2) % 4)); // each account gets both mints
        const landed = await s.deposit({ user: s.users[user]!, mint: s.mints[mint].mint, amount, memo: memoFor(devnet, account) });
        sent.push({ signature: landed.signature, user, mint, amount, account });
        await sleep(100);
      }
    }),
  );

  // Kill 1: as soon as the relayer shows a Solana deposit (observed at `confirmed`), while the burst goes on.
  await waitFor('the relayer watching a Solana deposit', async () => ((await solanaRows(r.url, s.eid)).length > 0 ? true : undefined), 30_000, 20);
  const atKill1 = await states(r.url);
  const burstDoneAtKill1 = sent.length;
  await kill(r);

  // Kill 2: with the derivatives chain not mining, the restarted relayer's credit batch waits in the pool; killed then.
  await dst.anvil.rpc('evm_setAutomine', [false]);
  let sawBroadcast: boolean;
  let atKill2: Record<string, number>;
  try {
    r = await start();
    const pending = async (): Promise<true | undefined> => (BigInt((await dst.anvil.rpc<{ pending: string }>('txpool_status')).pending) > 0n ? true : undefined);
    sawBroadcast = await waitFor('a credit batch broadcast', pending, 30_000, 10).catch(() => false);
    await sleep(50);
    atKill2 = await states(r.url);
    await kill(r);
  } finally {
    await dst.anvil.rpc('evm_setAutomine', [true]); // also mines what is pending
  }
  await burst;
  expect(sent).toHaveLength(DEPOSITS);

  // Left alone, the third process finishes.
  r = await start();
  const rows = await waitFor(`all ${DEPOSITS} Solana deposits CREDITED`, async () => {
    const all = await solanaRows(r.url, s.eid);
    if (all.length === DEPOSITS && all.every((x) => x.state === 'CREDITED')) return all;
    throw new Error(JSON.stringify(await states(r.url)));
  }, 60_000, 200).catch((error: unknown) => {
    throw new Error(`${String(error)}\n--- last relayer output ---\n${r.output().slice(-4000)}`);
  });
  console.log(
    `solana-kill: kill 1 with ${burstDoneAtKill1}/${DEPOSITS} sent, relayer rows ${JSON.stringify(atKill1)}; kill 2 ${sawBroadcast ? 'with a credit batch in the pool' : 'WITHOUT a broadcast seen'}, rows ${JSON.stringify(atKill2)}; ` +
      `RPC through the proxies: ${JSON.stringify(faultTotals(proxies))}`,
  );
  if (RPC_FAULT_RATE > 0) expect(faultTotals(proxies).faulted).toBeGreaterThan(0); // the faults were real
  expect(Object.keys(atKill1)).not.toContain('CREDITED'); // the first kill came while they were being watched
  expect(sawBroadcast).toBe(true); // the second while a credit batch was on its way

  // The chain alone: every deposit applied once on its path, nothing else credited.
  const bySignature = new Map(rows.map((x) => [x.txHash, x]));
  const probes = sent.map((d) => {
    const row = bySignature.get(d.signature);
    if (row === undefined) throw new Error(`no relayer row for ${d.signature}`);
    return { guid: row.guid, nonce: BigInt(row.nonce) };
  });
  expect(new Set(probes.map((p) => p.guid)).size).toBe(DEPOSITS);
  expect(probes.map((p) => p.nonce).sort((a, b) => (a < b ? -1 : 1))).toEqual(Array.from({ length: DEPOSITS }, (_, i) => BigInt(i + 1)));
  expect(await solanaLastNonce(devnet)).toBe(BigInt(DEPOSITS)); // the path's messages: 20 deposits (no release, no void)
  const audit = await auditSolanaCreditsOnChain(devnet, probes);
  expect(audit.duplicates).toEqual([]);
  expect(audit.missing).toEqual([]);
  expect(audit.unexpected).toEqual([]);
  expect(audit.notApplied).toEqual([]);
  expect(audit.events).toHaveLength(DEPOSITS);
  for (const p of probes) {
    const c = await solanaCreditedOnChain(devnet, p);
    expect({ guid: p.guid, applied: c.applied, credits: c.creditTxHashes.length }).toEqual({ guid: p.guid, applied: true, credits: 1 });
  }
  const posterTxs = await transactionsFrom(dst.anvil.provider, devnet.posterAddress);
  expect(posterTxs.filter((t) => t.status !== 1).map((t) => t.hash)).toEqual([]);
  expect(posterTxs.reduce((n, t) => n + t.credits, 0)).toBe(DEPOSITS);

  // Positions: per (account, mint), the sum deposited.
  const sums = new Map<string, { account: Hex; mint: PublicKey; amount: bigint }>();
  for (const d of sent) {
    const key = `${d.account}|${d.mint}`;
    const entry = sums.get(key) ?? { account: d.account, mint: s.mints[d.mint].mint, amount: 0n };
    entry.amount += d.amount;
    sums.set(key, entry);
  }
  expect(sums.size).toBe(8); // 4 accounts × 2 mints
  for (const [key, { account, mint, amount }] of sums) {
    const { rawAmount, frozen } = await positionOf(devnet, account, s.eid, solanaAddressToBytes32(mint.toBase58()));
    expect({ key, rawAmount, frozen }).toEqual({ key, rawAmount: amount, frozen: 0n });
  }

  // The relayer's database agrees: one CREDITED transition each, with the transaction that holds its Credited event.
  const creditTxOf = new Map(audit.events.map((e) => [e.guid, e.txHash]));
  const details = await Promise.all(probes.map((p) => existingDeposit(r.url, p.guid)));
  for (const row of details) {
    expect(row.state).toBe('CREDITED');
    expect(row.history.filter((t) => t.to === 'CREDITED')).toHaveLength(1);
    expect(row.creditTxHash).toBe(creditTxOf.get(row.guid));
  }
});
