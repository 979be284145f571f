/**
 * Several nonce-ordered poster batches in flight when the relayer PROCESS is SIGKILLed: the destination stops mining,
 * the relayer (child process, batches of 25, default `pipeline.maxInFlight` 8) broadcasts batches that pile up in the
 * node's pool, and once ≥ 3 are pending it is killed. The node then forgets every pending transaction
 * (`anvil_dropAllTransactions`) and the relayer is restarted: it must re-broadcast the very same signed bytes of each
 * SUBMITTED batch, in nonce order, before anything new. Afterwards the destination chain shows every deposit
 * credited exactly once, no poster transaction reverted, and the relayer's database agrees.
 * Deterministic: no random delays; the kill point is "≥ 3 poster transactions pending".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockBulk, type LockRecord } from '../../scripts/lib/lock';
import { transactionsFrom } from '../../scripts/lib/receiver-audit';
import { fetchDeposits, fetchInFlight } from '../../scripts/lib/relayer-api';
import { waitFor } from '../../scripts/lib/wait';
import { startDevnet, type Devnet } from '../support/devnet';
import { startRelayerProcess, type RelayerProcess } from '../support/relayerProcess';
import { auditCreditsOnChain } from './harness';

jest.setTimeout(120_000);

const DEPOSITS = 200;
const BATCH = 25;
const MIN_PENDING = 3;

type PoolTx = { hash: string; nonce: string; from: string };
type TxPoolContent = { pending: Record<string, Record<string, PoolTx>>; queued: Record<string, Record<string, PoolTx>> };

let dir: string;
let devnet: Devnet | undefined;
const relayers: RelayerProcess[] = [];
// eslint-disable-next-line no-control-regex -- Nest colours its log lines
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-inflight-crash-'));
  devnet = await startDevnet({
    sources: 1,
    attesters: 2,
    threshold: 2,
    users: 3,
    databasePath: join(dir, 'relayer.sqlite'),
    relayer: { batch: { maxSize: BATCH, maxWaitMs: 50 }, pipeline: { intervalMs: 50, receiptTimeoutMs: 5_000 }, pollIntervalMs: 100, logLevel: 'log' },
  });
  devnet.writeConfig(join(dir, 'relayer.json'));
});

afterAll(async () => {
  for (const r of relayers) {
    if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await r.stop();
  }
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it(`re-broadcasts every in-flight batch in nonce order after a SIGKILL and a dropped pool; ${DEPOSITS} deposits credited once`, async () => {
  const d = devnet!;
  const dst = d.destination;
  const source = d.sources[0]!;
  const start = async (): Promise<RelayerProcess> => {
    const r = await startRelayerProcess(join(dir, 'relayer.json'), d.env, 60_000);
    relayers.push(r);
    return r;
  };
  const posterKey = d.posterAddress.toLowerCase();
  /** The poster's transactions in the destination's pool (pending and queued), by nonce. */
  const posterPool = async (): Promise<Map<number, string>> => {
    const content = await dst.anvil.rpc<TxPoolContent>('txpool_content');
    const out = new Map<number, string>();
    for (const part of [content.pending, content.queued]) {
      for (const [from, byNonce] of Object.entries(part)) {
        if (from.toLowerCase() !== posterKey) continue;
        for (const tx of Object.values(byNonce)) out.set(Number(BigInt(tx.nonce)), tx.hash.toLowerCase());
      }
    }
    return out;
  };

  // 200 deposits (USDC and WETH, three users), all final at once.
  const plan = Array.from({ length: DEPOSITS }, (_, i) => {
    const user = source.users[i % source.users.length]!;
    const usdc = i % 2 === 0;
    return { user: user.address, token: usdc ? source.usdc.address : source.weth.address, amount: usdc ? BigInt(100 + i) * 10n ** 6n : BigInt(1 + i) * 10n ** 15n };
  });
  const { locks } = await lockBulk(source, plan);
  await source.anvil.mine(70);
  const guids = locks.map((l: LockRecord) => l.guid);
  expect(new Set(guids).size).toBe(DEPOSITS);

  // Destination stops mining: every broadcast batch waits in the pool.
  const nonceBefore = await dst.anvil.provider.getTransactionCount(d.posterAddress, 'latest');
  await dst.anvil.rpc('evm_setAutomine', [false]);
  const first = await start();
  await waitFor(`≥ ${MIN_PENDING} poster txs pending`, async () => ((await posterPool()).size >= MIN_PENDING ? true : undefined), 45_000, 10).catch((error: unknown) => {
    throw new Error(`${String(error)}\n--- relayer output ---\n${first.output().slice(-4000)}`);
  });

  // SIGKILL with the batches in flight.
  const exited = new Promise<NodeJS.Signals | null>((done) => first.child.once('exit', (_code, signal) => done(signal)));
  expect(first.child.kill('SIGKILL')).toBe(true);
  expect(await exited).toBe('SIGKILL');
  const killedPool = await posterPool(); // nothing can add to it now
  const killedNonces = [...killedPool.keys()].sort((a, b) => a - b);
  expect(killedNonces.length).toBeGreaterThanOrEqual(MIN_PENDING);
  expect(killedNonces).toEqual(killedNonces.map((_, i) => nonceBefore + i)); // consecutive explicit nonces from the chain's
  expect(await dst.anvil.provider.getTransactionCount(d.posterAddress, 'latest')).toBe(nonceBefore); // none mined

  // Case A: the node forgets them.
  await dst.anvil.rpc('anvil_dropAllTransactions');
  expect((await posterPool()).size).toBe(0);
  for (const hash of killedPool.values()) expect(await dst.anvil.provider.getTransaction(hash)).toBeNull();

  // Restart (still not mining): the same signed transactions come back, at the same nonces.
  const second = await start();
  const rebroadcast = await waitFor(
    'the killed batches re-broadcast',
    async () => {
      const pool = await posterPool();
      return killedNonces.every((n) => pool.has(n)) ? pool : undefined;
    },
    30_000,
    20,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n--- relayer output ---\n${second.output().slice(-4000)}`);
  });
  for (const n of killedNonces) expect({ nonce: n, hash: rebroadcast.get(n) }).toEqual({ nonce: n, hash: killedPool.get(n) });
  // …and were re-broadcast in nonce order (settlement logs each one: "batch <id>: re-broadcast tx <hash> (<result>)").
  const killedInNonceOrder = killedNonces.map((n) => killedPool.get(n)!); // every key of killedNonces comes from killedPool
  const logged = [...stripAnsi(second.output()).matchAll(/re-broadcast tx (0x[0-9a-fA-F]{64})/g)].map((m) => m[1]!.toLowerCase());
  expect([...new Set(logged)].filter((h) => killedInNonceOrder.includes(h))).toEqual(killedInNonceOrder);

  // Mining again: everything settles.
  await dst.anvil.rpc('evm_setAutomine', [true]);
  await dst.anvil.mine(1); // whatever sits in the pool from before automine was switched on
  await waitFor(
    `all ${DEPOSITS} deposits CREDITED, nothing in flight`,
    async () => {
      const [inFlight, rows] = await Promise.all([fetchInFlight(second.url), fetchDeposits(second.url, guids)]);
      return inFlight.count === 0 && rows.every((r) => r?.state === 'CREDITED') ? true : undefined;
    },
    45_000,
    250,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n--- relayer output ---\n${second.output().slice(-4000)}`);
  });

  // The chain: one Credited event per GUID, every nonce applied (≤ lastNonce of the path), every poster tx
  // succeeded, the killed txs among them.
  const audit = await auditCreditsOnChain(d, locks);
  expect(audit.duplicates).toEqual([]);
  expect(audit.missing).toEqual([]);
  expect(audit.unexpected).toEqual([]);
  expect(audit.notApplied).toEqual([]);
  expect(audit.events).toHaveLength(DEPOSITS);
  const posterTxs = await transactionsFrom(dst.anvil.provider, d.posterAddress);
  expect(posterTxs.filter((t) => t.status !== 1).map((t) => t.hash)).toEqual([]);
  expect(posterTxs).toHaveLength(await dst.anvil.provider.getTransactionCount(d.posterAddress, 'latest')); // every tx the poster sent was scanned
  expect(posterTxs.reduce((n, t) => n + t.credits, 0)).toBe(DEPOSITS);
  const minedByNonce = new Map(posterTxs.map((t) => [t.nonce, t.hash]));
  for (const n of killedNonces) expect({ nonce: n, hash: minedByNonce.get(n) }).toEqual({ nonce: n, hash: killedPool.get(n) });

  // The relayer's database: all CREDITED, one CREDITED (and one SUBMITTED) transition each, with the tx holding its event.
  const rows = await fetchDeposits(second.url, guids);
  const creditTxOf = new Map(audit.events.map((e) => [e.guid, e.txHash]));
  for (const row of rows) {
    expect(row?.state).toBe('CREDITED');
    expect(row!.history.filter((t) => t.to === 'CREDITED')).toHaveLength(1);
    expect(row!.history.filter((t) => t.to === 'SUBMITTED')).toHaveLength(1);
    expect(row!.creditTxHash).toBe(creditTxOf.get(row!.guid));
  }
  const killedHashes = new Set(killedPool.values());
  const creditedByKilled = audit.events.filter((e) => killedHashes.has(e.txHash)).length;
  expect(creditedByKilled).toBeGreaterThanOrEqual(MIN_PENDING);
  console.log(
    `inflight-crash: ${killedNonces.length} batches pending at SIGKILL (nonces ${killedNonces.join(',')}), dropped, re-broadcast unchanged; ` +
      `${creditedByKilled} credits from them, ${posterTxs.length} poster txs in all, 0 reverted`,
  );
});
