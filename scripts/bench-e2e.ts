/**
 * `pnpm bench:e2e [--n 2000] [--batch 100] [--sources 1] [--users 6] [--interval 50] [--max-wait 100] [--profile]`
 *
 * --profile runs the relayer in this process (from apps/relayer/dist) under the V8 profiler and prints where its
 * main thread spent the drain, by package and function (the default runs it as a child process, unprofiled).
 *
 * End-to-end throughput of the relayer on the local devnet: N deposits are locked on the source chain(s) (sent
 * without per-tx waits: unlocked anvil accounts, explicit nonces, JSON-RPC batches, automine off while sending),
 * then ONE `anvil_mine` makes all of them final at the same instant T_final, and the relayer (the built
 * apps/relayer/dist/main.js, a child process) drains them: watch → value → attest → post → confirm.
 *
 * Measured and printed:
 *  - credits/s = N / (last CREDITED − T_final)  (sustained drain rate from finality to the last credit)
 *  - latency per deposit = its CREDITED transition time (relayer DB, via GET /deposits/:guid) − T_final; p50/p99/max
 *  - gas per credit, per batch size actually used (from the poster's receipts on the destination chain)
 *  - peak RSS of the relayer process (VmHWM from /proc/<pid>/status)
 *  - where the time goes: stage windows from the deposits' transition history, the poster's per-batch split,
 *    CPU time of the relayer and of each anvil over the drain, and an in-process micro-benchmark of batch signing
 *  - a correctness audit from chain data: one Credited event per GUID, no reverted poster transaction
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethers } from '../contracts/ts/index';
import { type Credit, type ReceiverDomain, receiverDomain, signBatch } from '../packages/messages/src/index';
import { addressToBytes32, startDevnet, type Devnet } from '../test/support/devnet';
import { startRelayerProcess, type RelayerProcess } from '../test/support/relayerProcess';
import { parseFlags, UsageError } from './lib/args';
import { formatMs, renderTable } from './lib/format';
import { type BulkLock, lockBulk, type LockRecord } from './lib/lock';
import { auditCredits, type PosterTx } from './lib/receiver-audit';
import { anvilPid, cpuTimeMs, peakRssKiB } from './lib/relayer-child';
import { type DepositJson, fetchDeposits, fetchInFlight } from './lib/relayer-api';
import { type InProcessRelayer, startInProcessRelayer, startProfiler, summarizeProfile } from './lib/profile';
import { sleep, waitFor } from './lib/wait';

const say = (text = ''): void => void process.stdout.write(`${text}\n`);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length); // nearest-rank
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const at = (d: DepositJson, state: string): number | undefined => {
  const t = d.history.find((h) => h.to === state);
  return t === undefined ? undefined : Date.parse(t.at);
};

type CpuSample = { relayer: number | undefined; anvils: { name: string; ms: number | undefined }[] };

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), { n: 'integer', batch: 'integer', sources: 'integer', users: 'integer', interval: 'integer', 'max-wait': 'integer', profile: 'boolean' });
  const profile = flags.profile === true;
  const n = flags.n ?? 2000;
  const batch = flags.batch ?? 100;
  const sourceCount = flags.sources === 2 ? 2 : 1;
  const users = Math.min(flags.users ?? 6, 6);
  const intervalMs = flags.interval ?? 50;
  const maxWaitMs = flags['max-wait'] ?? 100;
  if (n < 1 || batch < 1 || batch > 500) throw new UsageError('--n ≥ 1 and 1 ≤ --batch ≤ 500 (the relayer config allows at most 500)');

  const dir = mkdtempSync(join(tmpdir(), 'ccr-bench-'));
  let devnet: Devnet | undefined;
  let relayer: RelayerProcess | undefined;
  let inProcess: InProcessRelayer | undefined;
  const cleanup = async (): Promise<void> => {
    if (relayer !== undefined) await relayer.stop();
    if (inProcess !== undefined) await inProcess.close();
    if (devnet !== undefined) await devnet.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    say(`bench:e2e  N=${n} deposits, batch.maxSize=${batch}, batch.maxWaitMs=${maxWaitMs}, ${sourceCount} source chain(s), ${users} users/chain, pipeline.intervalMs=${intervalMs}, 2-of-2 attesters`);
    const t0 = Date.now();
    devnet = await startDevnet({
      sources: sourceCount, // 1 or 2, as chosen above
      attesters: 2,
      threshold: 2,
      users,
      databasePath: join(dir, 'relayer.sqlite'),
      relayer: { batch: { maxSize: batch, maxWaitMs }, pipeline: { intervalMs, receiptTimeoutMs: 30_000 }, pollIntervalMs: 100, logLevel: 'log' },
    });
    const d = devnet;
    const configPath = join(dir, 'relayer.json');
    d.writeConfig(configPath);
    let api: string;
    let pid: number;
    if (profile) {
      inProcess = await startInProcessRelayer(configPath, d.env);
      api = inProcess.url;
      pid = process.pid;
      say(`--profile: the relayer runs IN THIS PROCESS (apps/relayer/dist) under the V8 profiler; RSS/CPU below include the bench driver`);
    } else {
      relayer = await startRelayerProcess(configPath, d.env, 60_000);
      api = relayer.url;
      pid = relayer.child.pid!;
    }
    say(`devnet up and relayer (pid ${pid}) listening on ${api} in ${formatMs(Date.now() - t0)}`);

    // 1. Locks, not yet final.
    const tLocks = Date.now();
    const perSource = d.sources.map((_, i) => Math.floor(n / sourceCount) + (i < n % sourceCount ? 1 : 0));
    const sent = await Promise.all(
      d.sources.map((source, si) => {
        const plan: BulkLock[] = Array.from({ length: perSource[si]! }, (_, i) => {
          const usdc = i % 2 === 0;
          const token = usdc ? source.usdc : source.weth;
          const amount = usdc ? BigInt(100 + (i % 9_000)) * 10n ** 6n : (10n ** 18n * BigInt(1 + (i % 50))) / 10n;
          return { user: source.users[i % source.users.length]!.address, token: token.address, amount };
        });
        return lockBulk(source, plan);
      }),
    );
    const locks: LockRecord[] = sent.flatMap((s) => s.locks);
    say(`locked ${locks.length} deposits in ${formatMs(Date.now() - tLocks)} (${sent.map((s, i) => `${d.sources[i]!.name}: blocks ${s.fromBlock}–${s.toBlock}, ${s.gasPerLock} gas/lock`).join('; ')})`);

    // Let the relayer settle into its idle loop (its watcher has caught up with the pre-lock finalized blocks).
    await sleep(500);

    // 2. Finality for all of them at once.
    const cpuAt = (): CpuSample => ({
      relayer: cpuTimeMs(pid),
      anvils: [d.destination, ...d.sources].map((c) => {
        const apid = anvilPid(c.anvil.port);
        return { name: c.name, ms: apid === undefined ? undefined : cpuTimeMs(apid) };
      }),
    });
    const profiler = profile ? await startProfiler() : undefined;
    const cpu0 = cpuAt();
    await Promise.all(d.sources.map((s) => s.anvil.mine(65)));
    const tFinal = Date.now();
    say(`T_final = ${new Date(tFinal).toISOString()}: mined 65 blocks on each source chain; every lock block is now ≤ the 'finalized' tag (latest − 64)`);

    // 3. Wait for the receiver's lastNonce to reach every vault's count (cheap eth_calls, not the relayer API).
    const vaultsDone = async (): Promise<boolean> => {
      const done = await Promise.all(
        // lastNonce returns a uint64, which ethers gives as a bigint.
        d.sources.map(async (s, i) => ((await d.destination.receiver.getFunction('lastNonce')(s.eid, addressToBytes32(s.vaultAddress))) as bigint) >= BigInt(perSource[i]!)),
      );
      return done.every((x) => x);
    };
    let progress = Date.now();
    await waitFor(
      `${n} credits on chain`,
      async () => {
        if (Date.now() - progress > 5_000) {
          progress = Date.now();
          const nonces = await Promise.all(d.sources.map((s) => d.destination.receiver.getFunction('lastNonce')(s.eid, addressToBytes32(s.vaultAddress)) as Promise<bigint>)); // uint64, as above
          say(`  … ${formatMs(Date.now() - tFinal)} after T_final: credited ${nonces.reduce((a, b) => a + b, 0n)}/${n}`);
        }
        return (await vaultsDone()) ? true : undefined;
      },
      600_000,
      50,
    );
    // The receipt is on chain a moment before the relayer records CREDITED: wait for its DB (nothing left in flight).
    await waitFor('the relayer DB to record every credit', async () => ((await fetchInFlight(api)).count === 0 ? true : undefined), 60_000, 50);
    const tSeen = Date.now();
    const cpu1 = cpuAt();
    const rssKiB = peakRssKiB(pid);
    const cpuProfile = await profiler?.stop();

    // 4. The relayer's own record of each deposit.
    const rows = await fetchDeposits(api, locks.map((l) => l.guid), 8);
    const missing = rows.filter((r) => r?.state !== 'CREDITED').length;
    const credited = rows.filter((r): r is DepositJson => r?.state === 'CREDITED');
    const creditedAt = credited.map((r) => Date.parse(r.creditedAt ?? r.history.at(-1)!.at));
    const tLast = Math.max(...creditedAt);
    const latencies = creditedAt.map((t) => t - tFinal).sort((a, b) => a - b);
    const drainMs = tLast - tFinal;

    // 5. Chain-side audit and gas.
    const audit = await auditCredits({ provider: d.destination.anvil.provider, receiver: d.destination.receiverAddress, poster: d.posterAddress, expectedGuids: locks.map((l) => l.guid) });
    const bySize = new Map<number, PosterTx[]>();
    for (const tx of audit.posterTxs) bySize.set(tx.credits, [...(bySize.get(tx.credits) ?? []), tx]);

    say();
    say('RESULTS');
    say(
      renderTable(
        ['metric', 'value'],
        [
          ['deposits credited', `${credited.length}/${n}${missing > 0 ? `  (${missing} NOT CREDITED per the relayer API)` : ''}`],
          ['credits/s (sustained)', `${((credited.length / drainMs) * 1000).toFixed(1)}   = ${credited.length} / ${formatMs(drainMs)} (T_final → last CREDITED)`],
          ['latency p50', formatMs(percentile(latencies, 50))],
          ['latency p99', formatMs(percentile(latencies, 99))],
          ['latency max', formatMs(latencies.at(-1) ?? Number.NaN)],
          ['relayer peak RSS (VmHWM)', rssKiB === undefined ? 'n/a' : `${(rssKiB / 1024).toFixed(1)} MiB`],
          ['poster txs', `${audit.posterTxs.length} (${audit.reverted.length} reverted)`],
          ['Credited events', `${audit.events.length} (${audit.duplicates.length} GUIDs twice, ${audit.missing.length} missing)`],
        ],
        ['left', 'left'],
      ),
    );
    say('latency = CREDITED transition time (relayer DB, GET /deposits/:guid history) − T_final, where T_final is the wall time at which the');
    say('single anvil_mine that put every lock block at or below the source chain\'s `finalized` tag returned (all deposits become final at T_final).');
    say('credits/s = deposits / (latest CREDITED time − T_final). Same clock for both (one machine).');

    say();
    say('GAS PER CREDIT (poster receipts)');
    say(
      renderTable(
        ['credits in tx', 'txs', 'gas/tx (avg)', 'gas/credit'],
        [...bySize.entries()]
          .sort((a, b) => b[0] - a[0])
          .map(([size, txs]) => {
            const gas = txs.reduce((s, t) => s + t.gasUsed, 0n) / BigInt(txs.length);
            return [String(size), String(txs.length), gas.toString(), size === 0 ? '—' : (gas / BigInt(size)).toString()];
          }),
        ['right', 'right', 'right', 'right'],
      ),
    );

    // 6. Where the time goes.
    say();
    say('WHERE THE TIME GOES');
    const stageTimes = (state: string): number[] => credited.map((r) => at(r, state)).filter((t): t is number => t !== undefined).sort((a, b) => a - b);
    const stageRows: string[][] = [];
    for (const state of ['FINAL', 'VALUED', 'ATTESTED', 'SUBMITTED', 'CONFIRMING', 'CREDITED']) {
      const ts = stageTimes(state);
      if (ts.length === 0) continue;
      const first = ts[0]! - tFinal;
      const last = ts.at(-1)! - tFinal;
      stageRows.push([state, String(ts.length), formatMs(first), formatMs(last), last > first ? ((ts.length / (last - first)) * 1000).toFixed(0) : '—']);
    }
    say(renderTable(['stage reached', 'deposits', 'first (after T_final)', 'last', 'rate/s within window'], stageRows, ['left', 'right', 'right', 'right', 'right']));

    // Poster, per batch (grouped by credit tx). The relayer keeps several batches in flight and writes ATTESTED and
    // SUBMITTED in one transaction (before broadcast), so per-batch spans overlap: medians, not sums.
    //   last VALUED → ATTESTED=SUBMITTED: packets + signatures (worker thread), simulation, signing, persisting
    //   SUBMITTED → CREDITED: broadcast, mining, receipt, settlement write
    const batches = new Map<string, DepositJson[]>();
    for (const r of credited) if (r.creditTxHash !== null) batches.set(r.creditTxHash, [...(batches.get(r.creditTxHash) ?? []), r]);
    const spans = [...batches.values()]
      .map((members) => ({ att: Math.max(...members.map((m) => at(m, 'ATTESTED') ?? 0)), sub: Math.max(...members.map((m) => at(m, 'SUBMITTED') ?? 0)), cred: Math.max(...members.map((m) => at(m, 'CREDITED') ?? 0)), lastValued: Math.max(...members.map((m) => at(m, 'VALUED') ?? 0)), size: members.length }))
      .sort((a, b) => a.att - b.att);
    const median = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);
    const gaps = spans.slice(1).map((s, i) => s.sub - spans[i]!.sub);
    const postWindow = spans.length === 0 ? 0 : spans.at(-1)!.cred - Math.max(spans[0]!.lastValued, 0);
    say(
      renderTable(
        ['poster, over ' + spans.length + ' batches', 'p50 per batch', ''],
        [
          ['last VALUED → ATTESTED=SUBMITTED (its turn, packets, signatures, simulation, sign, DB)', formatMs(median(spans.map((s) => s.att - s.lastValued))), ''],
          ['SUBMITTED → CREDITED (broadcast, mining, receipt, DB)', formatMs(median(spans.map((s) => s.cred - s.sub))), ''],
          ['SUBMITTED → next batch SUBMITTED (the posting cadence)', formatMs(median(gaps)), gaps.length === 0 ? '' : `${((batch / median(gaps)) * 1000).toFixed(0)} credits/s at full batches`],
          ['posting window (first batch ready → last credited)', formatMs(postWindow), ''],
        ],
        ['left', 'right', 'left'],
      ),
    );

    const wallMs = tSeen - tFinal;
    const cpuRows: string[][] = [];
    const pct = (ms: number | undefined, ms0: number | undefined): string => (ms === undefined || ms0 === undefined ? 'n/a' : `${formatMs(ms - ms0)}  (${(((ms - ms0) / wallMs) * 100).toFixed(0)}% of one core)`);
    cpuRows.push(['relayer (node: main thread + batch-preparer worker)', pct(cpu1.relayer, cpu0.relayer)]);
    cpu1.anvils.forEach((a, i) => cpuRows.push([`anvil ${a.name}`, pct(a.ms, cpu0.anvils[i]?.ms)]));
    say(renderTable([`CPU time over the drain (${formatMs(wallMs)} wall, 2 cores shared)`, 'cpu'], cpuRows, ['left', 'left']));

    // Pure signing cost, in this process: what the attester stage costs without any RPC or database.
    const domain: ReceiverDomain = receiverDomain({ chainId: d.destination.chainId, verifyingContract: d.destination.receiverAddress });
    const signers = [ethers.Wallet.createRandom(), ethers.Wallet.createRandom()];
    const credits: Credit[] = Array.from({ length: batch }, (_, i) => ({ guid: ethers.zeroPadValue(ethers.toBeHex(i + 1), 32), payloadHash: ethers.keccak256(ethers.toBeHex(i + 1)) }) as Credit); // 0x hex of 32 bytes, as Credit wants
    const tSign = performance.now();
    const reps = 5;
    for (let i = 0; i < reps; i++) await signBatch(signers, domain, credits, 1_800_000_000n);
    const signMs = (performance.now() - tSign) / reps;
    if (cpuProfile !== undefined) {
      const path = join(tmpdir(), `ccr-bench-relayer-${Date.now()}.cpuprofile`);
      say();
      say(summarizeProfile(cpuProfile, 15, path));
      say(`raw profile: ${path} (Chrome DevTools → Performance → Load profile)`);
    }
    say(`micro: signBatch of ${batch} credits with 2 keys (EIP-712 digest + 2 signatures + recovery) = ${formatMs(signMs)} per batch in this process`);

    const ok = credited.length === n && audit.duplicates.length === 0 && audit.missing.length === 0 && audit.reverted.length === 0;
    say(ok ? 'audit: OK — every deposit credited exactly once, no reverted post' : 'audit: FAILED — see above');
    await cleanup();
    return ok ? 0 : 1;
  } catch (error) {
    say(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (relayer !== undefined) say(`--- relayer output (tail) ---\n${relayer.output().slice(-3000)}`);
    await cleanup();
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof UsageError ? error.shortMessage : String(error)}\n`);
    process.exit(2);
  },
);
