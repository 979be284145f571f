/**
 * `pnpm bench:solana-restart [--deposits 600]`: what a relayer restart costs on a Solana source chain as its history
 * grows. The Solana ledger (apps/relayer/src/chains/solana/solana-ledger.ts) is held in memory and read again from the
 * vault's start slot after a restart, so the first round after a restart re-reads every past transaction of the vault.
 *
 * The run: a devnet with the litesvm JSON-RPC endpoint; the relayer reaches Solana through a counting proxy
 * (test/support/faulty-rpc.ts at fault rate 0). A tenth of the deposits, all credited, then a restart (the
 * reference, in the same run), then the rest, all credited, then a second restart. After each restart one new deposit
 * is made; printed: boot to listening, restart to that deposit CREDITED, and the Solana RPC calls in between by
 * method — per past deposit. RPC calls are the machine-independent figure; milliseconds are this stand-in's
 * (an in-process litesvm answers in well under a millisecond, a public RPC in tens, with rate limits).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeDepositMemo, type Hex } from '@ccr/messages';
import { addressToBytes32, startDevnet, type Devnet } from '../test/support/devnet';
import { type FaultyRpc, proxyConfiguredChains } from '../test/support/faulty-rpc';
import { startRelayerProcess, type RelayerProcess } from '../test/support/relayerProcess';
import { parseFlags, UsageError } from './lib/args';
import { formatMs, renderTable } from './lib/format';
import { waitFor } from './lib/wait';

/** The relayer's Solana deposits by state (GET /deposits?srcEid=, every page). */
async function statesOf(url: string, eid: number): Promise<Record<string, number>> {
  const count: Record<string, number> = {};
  let cursor: string | null = null;
  do {
    const res = await fetch(`${url}/deposits?srcEid=${eid}&limit=1000${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    if (res.status !== 200) throw new Error(`GET /deposits: HTTP ${res.status}`);
    for (const row of (await res.json()) as { state: string }[]) count[row.state] = (count[row.state] ?? 0) + 1; // GET /deposits answers DepositView rows
    cursor = res.headers.get('x-next-cursor');
  } while (cursor !== null);
  return count;
}

type Restart = { history: number; bootMs: number; creditMs: number; calls: number; methods: Record<string, number> };

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), { deposits: 'integer' });
  const total = flags.deposits ?? 600;
  if (total < 20) throw new UsageError('--deposits must be at least 20');
  const first = Math.max(1, Math.round(total / 10));

  const dir = mkdtempSync(join(tmpdir(), 'ccr-bench-solana-'));
  let devnet: Devnet | undefined;
  let relayer: RelayerProcess | undefined;
  let proxies: FaultyRpc[] = [];
  const cleanup = async (): Promise<void> => {
    if (relayer !== undefined) await relayer.stop();
    await Promise.all(proxies.map((p) => p.close()));
    if (devnet !== undefined) await devnet.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    devnet = await startDevnet({
      sources: 1,
      attesters: 2,
      threshold: 2,
      users: 1,
      databasePath: join(dir, 'relayer.sqlite'),
      solana: { users: 3 },
      relayer: { batch: { maxSize: 100, maxWaitMs: 100 }, pipeline: { intervalMs: 50 }, pollIntervalMs: 100, logLevel: 'warn' },
    });
    const d = devnet;
    const s = d.solana!;
    const configPath = join(dir, 'relayer.json');
    d.writeConfig(configPath);
    proxies = await proxyConfiguredChains(configPath, { rate: 0, seed: 1 });
    const chains = (JSON.parse(readFileSync(configPath, 'utf8')) as { chains: { family?: string }[] }).chains; // the config just written
    const solanaProxy = proxies[chains.findIndex((c) => c.family === 'solana')]!;
    const start = async (): Promise<RelayerProcess> => (relayer = await startRelayerProcess(configPath, d.env, 120_000));

    let sent = 0;
    const depositMany = async (n: number): Promise<void> => {
      const target = sent + n;
      await Promise.all(
        s.users.map(async (user) => {
          while (sent < target) {
            const i = sent++;
            const account = addressToBytes32(d.destination.anvil.accounts[1 + (i % 4)]!.address) as Hex; // 0x + 64 hex digits, typed string
            await s.deposit({ user, mint: s.mints.usdc.mint, amount: BigInt(1 + i) * 10n ** 6n, memo: encodeDepositMemo({ dstEid: d.destination.eid, account }) });
          }
        }),
      );
    };
    const allCredited = async (url: string, n: number, timeoutMs: number): Promise<void> => {
      await waitFor(`${n} Solana deposits CREDITED`, async () => {
        return (await statesOf(url, s.eid)).CREDITED === n ? true : undefined;
      }, timeoutMs, 200);
    };
    const restart = async (): Promise<Restart> => {
      await relayer!.stop();
      const history = sent;
      const before = solanaProxy.stats();
      const t0 = Date.now();
      const r = await start();
      const bootMs = Date.now() - t0;
      await depositMany(1);
      await allCredited(r.url, sent, 600_000);
      const creditMs = Date.now() - t0;
      const after = solanaProxy.stats();
      const methods: Record<string, number> = {};
      for (const [m, n] of Object.entries(after.methods)) if (n - (before.methods[m] ?? 0) > 0) methods[m] = n - (before.methods[m] ?? 0);
      return { history, bootMs, creditMs, calls: Object.values(methods).reduce((a, b) => a + b, 0), methods };
    };

    console.log(`bench:solana-restart: ${first} deposits, restart; ${total - first} more, restart (USDC, 3 users, 4 accounts)`);
    let r = await start();
    await depositMany(first);
    await allCredited(r.url, sent, 300_000);
    const small = await restart();
    r = relayer!;
    await depositMany(total - first);
    await allCredited(r.url, sent, 600_000);
    const large = await restart();

    const row = (x: Restart): string[] => [String(x.history), formatMs(x.bootMs), formatMs(x.creditMs), String(x.calls), (x.calls / x.history).toFixed(2), Object.entries(x.methods).sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${n}`).join(', ')];
    console.log(
      renderTable(['past deposits', 'boot → listening', 'restart → new deposit CREDITED', 'Solana RPC calls', 'per past deposit', 'by method'], [row(small), row(large)], ['right', 'right', 'right', 'right', 'right', 'left']),
    );
    console.log(`reference: the first row (a tenth of the history, same run). Growth from it to the second: ${(large.calls / small.calls).toFixed(1)}× the calls for ${(large.history / small.history).toFixed(1)}× the history.`);
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `bench:solana-restart: ${error.shortMessage}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
