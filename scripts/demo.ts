/**
 * `npm run demo` — watch the relayer work on a local devnet.
 *
 * Starts three anvil chains on 127.0.0.1 (two source chains with a CollateralVault each, one derivatives chain with
 * the MarginCreditReceiver and Chainlink-style price feeds) and a Solana source chain (litesvm behind JSON-RPC,
 * test/support/svm-rpc.ts: an SPL Token multisig of the attesters' Solana keys, 2 of 3, owns the vault token accounts
 * of USDC and SOL), starts 3 attester processes and the built relayer (apps/relayer/dist/main.js) as child processes,
 * and plays a scenario: users lock 6- and 18-decimal tokens on both EVM source chains, prices move between deposits,
 * blocks are mined past finality, one deposit meets a stale price and is HELD('stale-price') until the feed updates.
 * On Solana, two users send USDC and SOL to the vault with a `ccr:v1:<dstEid>:<account>` memo naming their
 * derivatives-chain account (credited once finalized, shown with receiver.position(account, 40168, mint)), and one
 * sends USDC without a memo: VOIDED automatically (invalid-deposit) and refunded by a multisig release. A summary
 * checks each deposit against the receiver's on-chain `position(...)` and each user's `collateralValue(...)` against
 * @ccr/risk at the receiver's marks, and shows the relayer's GET /in-flight. Then the live value: WETH falls 30 %, the
 * marker posts new marks within a round and `collateralValue` follows on chain (checked to the last unit). GET
 * /solvency is checked after every step, the Solana pathway included: locked = credited + frozen + in flight (a
 * failing identity is printed with all its terms).
 *
 *   npm run demo              keeps chains + relayer running until Ctrl-C
 *   npm run demo -- --once    exits after the scenario: 0 when every deposit (EVM and Solana) was credited or voided
 *                             as expected and every withdrawal reached its outcome, 1 otherwise
 *   npm run demo -- --once --json   the same, and the last line of stdout is one JSON object: every message (kind,
 *                                  guid, state/outcome, amounts, chain of origin; the Solana ones with chain
 *                                  'devnet-solana' / srcEid 40168, their withdrawals with vaultEid 40168), a `solana`
 *                                  summary (deposits with state and position, the withdrawal with outcome, release
 *                                  transaction, its signers and the recipient's balance at finalized), the marks, the
 *                                  live values before and after the ETH drop, and the solvency identities
 *
 * Then the way back out: a withdrawal that completes, one refused at request (over the available balance), one
 * whose payout fails on the source chain and is unfrozen, the VOID refund of an unsupported-asset deposit, and a
 * withdrawal of Solana USDC to a fresh Solana wallet, released by the multisig with the signatures of 2 attester
 * processes (release transaction, signers and the recipient's balance read at finalized).
 * Last, stress over the live book (docs/stress.md): ETH −40 % at the receiver's marks (the marker posts them), each
 * account's value before and after against a maintenance requirement, from POST /risk/stress.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethers } from '../contracts/ts/index';
import { startDevnet, type Devnet, type DevnetSource, type DevnetToken } from '../test/support/devnet';
import { type AttesterProcess, startAttesterProcess, startRelayerProcess, type RelayerProcess } from '../test/support/relayerProcess';
import { receiverTxSigners } from '../test/support/batch-signers';
import { mined } from '../test/support/tx';
import { parseFlags, UsageError } from './lib/args';
import { formatMs, formatPercent, formatPrice, formatToken, formatUsd, renderTable, shortHex } from './lib/format';
import { lockAndWait, type LockRecord } from './lib/lock';
import { echoRelayerLog } from './lib/relayer-child';
import { type DepositJson, fetchDeposit, fetchInFlight, fetchWithdrawal, fetchWithdrawals, type InFlightJson, postAdmin, type WithdrawalJson } from './lib/relayer-api';
import { awaitWithdrawal, refusalOf, requestWithdrawal } from './lib/withdrawals';
import { DEMO_STRESS, demoStress } from './lib/stress-demo';
import { awaitNewMarks, chainValue, type ChainMark, freshSolvency, readMarks, riskValue } from './lib/live-value';
import type { SolvencyView } from '../apps/relayer/src/solvency/solvency.service';
import { waitFor } from './lib/wait';
import { buildContractsWithProgress } from './lib/build-progress';
import { Keypair } from '@solana/web3.js';
import {
  awaitSolanaDeposit,
  depositMemo,
  depositOnSolana,
  recipientTokenAccount,
  releaseSigners,
  requestSolanaWithdrawal,
  type SolanaAsset,
  type SolanaDepositRecord,
  solanaMarks,
  solanaMint,
  solanaOf,
  solanaPosition,
  solanaTokenInfo,
  vaultWithdrawals,
} from './lib/solana-demo';

const tty = process.stdout.isTTY === true;
const paint = (code: string) => (text: string): string => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = paint('1');
const dim = paint('2');
const green = paint('32');
const yellow = paint('33');
const red = paint('31');
const cyan = paint('36');

const say = (text = ''): void => void process.stdout.write(`${text}\n`);
let stepNo = 0;
const step = (title: string): void => {
  stepNo++;
  say();
  say(bold(cyan(`── ${stepNo}. ${title} `.padEnd(100, '─'))));
};

type UserName = 'alice' | 'bob' | 'carol';
const USERS: readonly UserName[] = ['alice', 'bob', 'carol'];

type Tracked = { user: UserName; source: DevnetSource; token: DevnetToken; lock: LockRecord; finalAt?: number; expectHeld?: string };

/** A Solana deposit of the scenario: by `user`'s Solana wallet, for `user`'s derivatives-chain account (none without a memo). */
type SolanaTracked = { user: UserName; rec: SolanaDepositRecord; expected: 'CREDITED' | 'VOIDED'; guid?: string; refundGuid?: string; positionAtCredit?: bigint };

/** The feeds answer with 8 decimals. */
const usd8 = (dollars: string): bigint => ethers.parseUnits(dollars, 8);

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), { once: 'boolean', json: 'boolean' });
  const once = flags.once === true;
  const json = flags.json === true;
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'ccr-demo-'));
  let devnet: Devnet | undefined;
  let relayer: RelayerProcess | undefined;
  const attesterProcs: AttesterProcess[] = [];
  let stopEcho: (() => void) | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      stopEcho?.();
      if (relayer !== undefined) await relayer.stop();
      await Promise.all(attesterProcs.map((p) => p.stop()));
      if (devnet !== undefined) await devnet.stop();
      rmSync(dir, { recursive: true, force: true });
    })());
  // Ctrl-C reaches every process of the terminal's group (npm, pnpm, tsx and this one, often twice via tsx's
  // forwarding): keep listening so a repeated signal cannot kill this process halfway through the cleanup.
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cleaning !== undefined) return;
    say();
    say(dim(`${signal}: stopping the relayer and the chains…`));
    void cleanup().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    say(bold('Cross-chain collateral relayer — demo'));
    say(dim('Lock collateral on a source chain → the relayer waits for finality, values it (price × (1 − haircut) × size tiers),'));
    say(dim('has it attested by 3 independent attester processes (EIP-712; each verifies the lock and the value on its own; 2 of 3 needed)'));
    say(dim('and posts a LayerZero-v2 packet batch to MarginCreditReceiver on the derivatives chain.'));

    step('Start the devnet: 2 EVM source chains + 1 Solana source chain + 1 derivatives chain (anvil and litesvm JSON-RPC, 127.0.0.1)');
    await buildContractsWithProgress((line) => say(dim(line)));
    say(dim(`working folder (config, databases, admin token; removed on exit or Ctrl-C): ${dir}`));
    devnet = await startDevnet({
      sources: 2,
      solana: {},
      attesters: 3,
      threshold: 2,
      attesterProcesses: {},
      users: 3,
      databasePath: join(dir, 'relayer.sqlite'),
      relayer: { batch: { maxSize: 50, maxWaitMs: 300 }, pipeline: { intervalMs: 100 }, pollIntervalMs: 150, logLevel: 'log', marks: { intervalMs: 500 }, extra: { stress: DEMO_STRESS, solvency: { intervalMs: 1_000 } } },
    });
    const d = devnet;
    const dst = d.destination;
    const sol = solanaOf(d);
    say(
      renderTable(
        ['chain', 'eid', 'chainId', 'rpc', 'contract'],
        [
          [dst.name, String(dst.eid), String(dst.chainId), dst.anvil.url, `MarginCreditReceiver ${dst.receiverAddress}`],
          ...d.sources.map((s) => [s.name, String(s.eid), String(s.chainId), s.anvil.url, `CollateralVault ${s.vaultAddress}`]),
          [sol.name, String(sol.eid), '—', sol.rpc.url, `SPL Token multisig ${sol.multisig.toBase58()} (${sol.threshold} of ${sol.attesters.length} attester keys)`],
        ],
      ),
    );
    say(`tokens on each EVM source chain: USDC (6 decimals, haircut 2%), WETH (18 decimals, haircut 10%, size tier: value above $100,000 counts 50%)`);
    say(`tokens on ${sol.name}: USDC mint ${sol.mints.usdc.mint.toBase58()} (6 decimals, haircut 2%), SOL mint ${sol.mints.sol9.mint.toBase58()} (9 decimals, haircut 15%);`);
    say(`  vault token accounts = the multisig's associated token accounts: USDC ${sol.mints.usdc.vault.toBase58()}, SOL ${sol.mints.sol9.vault.toBase58()}; a slot every 50 ms, finalized 8 slots behind confirmed`);
    say(`price feeds (8 decimals) on the derivatives chain: USDC/USD ${formatPrice(dst.prices.USDC * 10n ** 10n)}, WETH/USD ${formatPrice(dst.prices.WETH * 10n ** 10n)}, SOL/USD ${formatPrice(sol.solPrice * 10n ** 10n)}`);
    say(`users (same addresses on every EVM chain): ${USERS.map((u, i) => `${u} ${d.sources[0]!.users[i]!.address}`).join(', ')}`);
    say(`their Solana wallets: ${USERS.map((u, i) => `${u} ${sol.users[i]!.publicKey.toBase58()}`).join(', ')}`);

    step('Start 3 attester processes (--role attester: own key, own SQLite, own watcher and valuation; 2 of 3 sign)');
    for (const [i, node] of d.attesterNodes.entries()) {
      const path = join(dir, `${node.name}.json`);
      node.writeConfig(path);
      const p = await startAttesterProcess(path, node.env, 60_000);
      attesterProcs.push(p);
      say(`${node.name} ${node.address} (Solana multisig signer ${sol.attesters[i]?.toBase58() ?? '—'}) listening on ${p.url}`);
    }

    step('Start the relayer (apps/relayer/dist/main.js, SQLite state, no attester key: it asks the 3 attesters; 1 poster key)');
    const configPath = join(dir, 'relayer.json');
    d.writeConfig(configPath);
    relayer = await startRelayerProcess(configPath, d.env, 60_000);
    const api = relayer.url;
    say(`relayer API on ${bold(api)}  (OpenAPI: ${api}/docs)   config: ${configPath}`);
    say(dim('relayer log lines are echoed below with a │ margin'));
    stopEcho = echoRelayerLog(relayer, (line) => {
      const text = `   │ ${line.context}: ${line.text}`;
      say(line.level === 'WARN' ? yellow(text) : line.level === 'ERROR' ? red(text) : dim(text));
    });

    // The solvency identity of every (chain, vault, asset), checked after every step: it must hold throughout.
    const solvencyRounds: { step: string; ok: boolean; view: SolvencyView }[] = [];
    const checkSolvency = async (label: string): Promise<void> => {
      const view = await freshSolvency(api, Date.now());
      solvencyRounds.push({ step: label, ok: view.ok, view });
      const bad = view.checks.filter((c) => !c.ok);
      const chains = [...new Set(view.checks.map((c) => c.chain.replace('devnet-', '')))].join(', ');
      say(view.ok ? green(`✓ GET /solvency: ${view.checks.length} identities hold on ${chains} (locked = credited + frozen + in-flight deposits − in-flight releases)`) : red(`✗ GET /solvency: ${bad.length} of ${view.checks.length} identities do not hold:`));
      // A failing identity with every term, as the relayer computed it (nothing hidden).
      for (const c of bad) {
        const t = c.terms;
        say(
          red(
            t === null
              ? `  ${c.chain} ${c.symbol} (vault ${shortHex(c.vault)}): ${c.status}: ${c.error ?? '?'}`
              : `  ${c.chain} ${c.symbol} (vault ${shortHex(c.vault)}, asset ${shortHex(c.asset)}): ${c.status}${c.confirmed ? ' (confirmed)' : ''}: totalLocked ${t.totalLocked} ≠ credited ${t.credited} + frozen ${t.frozen} + inFlightDeposits ${t.inFlightDeposits} − inFlightReleases ${t.inFlightReleases} = ${t.expectedLocked} (discrepancy ${t.discrepancy}); balance ${t.balance}, lastNonce ${t.lastNonce}, vault block/slot ${t.vaultBlock}, receiver block ${t.receiverBlock}`,
          ),
        );
      }
    };

    const tracked: Tracked[] = [];
    const deposit = async (user: UserName, sourceIndex: number, symbol: 'USDC' | 'WETH', amount: string, expectHeld?: string): Promise<Tracked> => {
      const source = d.sources[sourceIndex]!;
      const token = symbol === 'USDC' ? source.usdc : source.weth;
      const wallet = source.users[USERS.indexOf(user)]!;
      const lock = await lockAndWait(source, wallet, token, ethers.parseUnits(amount, token.decimals));
      const t: Tracked = { user, source, token, lock, ...(expectHeld === undefined ? {} : { expectHeld }) };
      tracked.push(t);
      say(`${bold(user)} locks ${formatToken(lock.amount, token.decimals, symbol)} on ${source.name} → vault nonce ${lock.nonce}, GUID ${shortHex(lock.guid)} (block ${lock.blockNumber})`);
      return t;
    };
    const setPrice = async (symbol: 'USDC' | 'WETH', dollars: string): Promise<void> => {
      await mined(dst.feeds[symbol].getFunction('updateAnswer').send(usd8(dollars)));
      say(`${yellow('price update')}: ${symbol}/USD feed → $${dollars}`);
    };
    const finalize = async (items: Tracked[]): Promise<void> => {
      for (const s of new Set(items.map((t) => t.source))) {
        await s.anvil.mine(70);
        const finalized = (await s.anvil.provider.getBlock('finalized'))!.number;
        say(`mined 70 blocks on ${s.name}: finalized block is now ${finalized} (anvil finalizes latest − 64)`);
      }
      const now = Date.now();
      for (const t of items) t.finalAt = now;
    };
    const awaitCredited = async (items: Tracked[]): Promise<void> => {
      const done = new Set<string>();
      await waitFor(
        `${items.length} deposit(s) CREDITED`,
        async () => {
          for (const t of items) {
            if (done.has(t.lock.guid)) continue;
            const row = await fetchDeposit(api, t.lock.guid);
            if (row?.state !== 'CREDITED') continue;
            done.add(t.lock.guid);
            const path = row.history.map((h) => (h.reason === null ? h.to : `${h.to}(${h.reason})`)).join(' → ');
            const after = t.finalAt === undefined || row.creditedAt === null ? '' : ` ${formatMs(Date.parse(row.creditedAt) - t.finalAt)} after finality`;
            const signers = row.creditTxHash === null ? [] : await receiverTxSigners(d, row.creditTxHash);
            const names = signers.map((a) => d.attesterNodes.find((n) => n.address.toLowerCase() === a.toLowerCase())?.name ?? shortHex(a));
            say(green(`✓ ${t.user} ${formatToken(t.lock.amount, t.token.decimals, t.token.symbol)} on ${t.source.name}: `) + `${path}${after}, credit tx ${shortHex(row.creditTxHash ?? '?')} signed by ${names.join(' + ')}`);
          }
          return done.size === items.length ? true : undefined;
        },
        45_000,
        150,
      );
    };

    step('Deposits at the opening prices (USDC $1.00, WETH $2,000)');
    const round1 = [await deposit('alice', 0, 'USDC', '2500'), await deposit('bob', 0, 'WETH', '1.5')];
    await finalize(round1);
    await awaitCredited(round1);
    await checkSolvency('opening deposits');

    step('Prices move, more deposits on the second chain (one large enough for the size tier)');
    await setPrice('WETH', '2150');
    await setPrice('USDC', '0.9995');
    const round2 = [await deposit('carol', 1, 'WETH', '60'), await deposit('alice', 1, 'WETH', '0.75'), await deposit('bob', 1, 'USDC', '10000')];
    await finalize(round2);
    await awaitCredited(round2);
    await checkSolvency('second deposits');

    step('A stale price: the WETH feed stops updating (its latest answer is 2 hours old, heartbeat 1 hour)');
    const latest = (await dst.anvil.provider.getBlock('latest'))!;
    const old = BigInt(latest.timestamp) - 7_200n;
    const round = (await dst.feeds.WETH.getFunction('latestRound')()) as bigint; // uint80 public latestRound: ethers gives a bigint
    await mined(dst.feeds.WETH.getFunction('updateRoundData').send(round + 1n, usd8('2150'), old, old));
    say(`${yellow('feed')}: WETH/USD round ${round + 1n} stamped ${new Date(Number(old) * 1000).toISOString()} (updateRoundData with an old updatedAt)`);
    const stale = await deposit('carol', 0, 'WETH', '3', 'stale-price');
    const behind = await deposit('bob', 0, 'USDC', '750');
    await finalize([stale, behind]);
    const held = await waitFor(
      'the WETH deposit HELD',
      async () => {
        const row = await fetchDeposit(api, stale.lock.guid);
        return row?.state === 'HELD' ? row : undefined;
      },
      30_000,
      100,
    );
    say(`${yellow('HELD')}(${held.reason}): ${held.reasonDetail ?? ''}; next retry at ${held.nextAttemptAt ?? '—'}`);
    const blocked = await waitFor(
      'the later USDC deposit valued and waiting',
      async () => {
        const row = await fetchDeposit(api, behind.lock.guid);
        return row?.state === 'VALUED' && row.blockedBy !== null ? row : undefined;
      },
      30_000,
      100,
    );
    say(`bob's ${formatToken(behind.lock.amount, 6, 'USDC')} (nonce ${blocked.nonce}) is VALUED but waits: blockedBy ${shortHex(blocked.blockedBy ?? '')} — the channel is ordered per vault`);
    printInFlight(await fetchInFlight(api), 'GET /in-flight while the deposit is held', tokenInfo(d));

    step('The feed comes back: WETH/USD $2,200 — the held deposit is retried and credited, then the one behind it');
    await setPrice('WETH', '2200');
    await awaitCredited([stale, behind]);
    await checkSolvency('held deposit credited');

    const solDeposits = await solanaDeposits(d, api);
    await checkSolvency('Solana deposits');

    step('Summary');
    const ok = (await summarize(d, api, tracked, solDeposits.tracked)) && solDeposits.ok;
    printInFlight(await fetchInFlight(api), 'GET /in-flight now', tokenInfo(d));

    const live = await liveValue(d, setPrice);
    await checkSolvency('after the ETH drop');

    const back = await withdrawals(d, api, say, tracked);
    const solBack = await solanaWithdrawal(d, api, solDeposits.tracked);
    const inFlight = await fetchInFlight(api);
    printInFlight(inFlight, 'GET /in-flight after the withdrawals', tokenInfo(d));
    await checkSolvency('after the withdrawals');

    step("Stress over the live book: ETH −40 % at the receiver's marks, against a maintenance requirement of 75 % of today's value");
    const today = await demoStress(api, 'eth-crash', {});
    const requirements = Object.fromEntries(today.report.accounts.map((a) => [a.account, ((BigInt(a.valueBefore) * 3n + 3n) / 4n).toString()])); // 75 %, rounded up
    const stressed = await demoStress(api, 'eth-crash', requirements);
    say(stressed.text.trimEnd());
    const stressOk = stressed.report.totals.onChainMismatches === 0;
    say(stressOk ? green("✓ every account's value before equals the receiver's collateralValue at the same block") : red('✗ the stress model disagrees with the receiver'));
    say(dim(`the same from the command line: node apps/relayer/dist/main.js stress --config ${configPath} --scenario eth-crash [--requirements file.json] [--json]`));
    say();
    say(`API: ${api}/deposits/<guid> · ${api}/deposits?account=<address>&state=CREDITED · ${api}/in-flight · ${api}/risk/stress?scenario=usdc-depeg · ${api}/health · ${api}/docs`);
    say(`e.g. curl -s ${api}/deposits/${stale.lock.guid}`);
    say(dim(`scenario ran in ${formatMs(Date.now() - t0)}`));
    const solvencyOk = solvencyRounds.every((r) => r.ok);
    const allOk = ok && live.ok && back.ok && solBack.ok && inFlight.count === 0 && stressOk && solvencyOk;
    say(
      allOk
        ? green(bold('every deposit reached CREDITED (the memo-less Solana one VOIDED and refunded) and matches the receiver on chain; the ETH drop was marked and valued on chain; every withdrawal reached its expected outcome, on the EVM chains and on Solana; solvency held throughout'))
        : red(bold('SOMETHING DID NOT GO AS EXPECTED (see ✗ above)')),
    );

    if (once) {
      const messages = await listMessages(d, api, tracked, back, solDeposits.tracked, solBack);
      const solanaJson = await solanaSummary(d, api, solDeposits, solBack);
      const finalMarks = [...(await readMarks(d)), ...(await solanaMarks(d))];
      await cleanup();
      const marks = finalMarks.map((m) => ({ chain: m.chain, srcEid: m.srcEid, asset: m.symbol, token: m.asset, price: m.price.toString(), haircut: m.haircut.toString(), timestamp: Number(m.timestamp), nonce: m.nonce.toString() }));
      const solvency = {
        ok: solvencyOk,
        rounds: solvencyRounds.map((r) => ({ step: r.step, ok: r.ok, checkedAt: r.view.checkedAt })),
        identities: solvencyRounds[solvencyRounds.length - 1]?.view.checks.map((c) => ({ chain: c.chain, srcEid: c.srcEid, vault: c.vault, asset: c.symbol, token: c.asset, status: c.status, ...(c.terms ?? {}) })) ?? [],
      };
      if (json) process.stdout.write(`${JSON.stringify({ ok: allOk, messages, solana: solanaJson, marks, liveValue: live.accounts, solvency })}\n`);
      return allOk ? 0 : 1;
    }
    say();
    say(bold('The relayer and the chains keep running: lock more collateral against the RPCs above and watch the API. Ctrl-C stops everything.'));
    await new Promise<never>(() => undefined); // until a signal arrives (onSignal exits)
    return 0;
  } catch (error) {
    say(red(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    if (relayer !== undefined) say(dim(`--- relayer output (tail) ---\n${relayer.output().slice(-3000)}`));
    await cleanup();
    return 1;
  }
}

/** Names of the attesters whose signatures a receiver transaction carries (recovered from its calldata). */
async function signerNames(d: Devnet, txHash: string | null): Promise<string[]> {
  if (txHash === null) return [];
  const signers = await receiverTxSigners(d, txHash);
  return signers.map((a) => d.attesterNodes.find((n) => n.address.toLowerCase() === a.toLowerCase())?.name ?? shortHex(a));
}

/** A transition's detail as text: its `message` when it has one, else its JSON. */
const detailText = (detail: unknown): string => {
  if (typeof detail === 'string') return detail;
  if (typeof detail === 'object' && detail !== null && 'message' in detail && typeof detail.message === 'string') return detail.message;
  return JSON.stringify(detail ?? null) ?? '';
};

const historyPath = (row: DepositJson): string => row.history.map((h) => (h.reason === null ? h.to : `${h.to}(${h.reason})`)).join(' → ');

type SolanaDepositsResult = { ok: boolean; tracked: SolanaTracked[] };

/**
 * Solana deposits: alice's and bob's Solana wallets send USDC and SOL to the vault with a memo naming their
 * derivatives-chain account; carol's sends USDC without one, between them. The two are credited (on the receiver:
 * position(account, 40168, mint)); carol's names no account, is voided at once (VOID invalid-deposit, at its nonce:
 * the ordered path goes on) and refunded to her token account by a multisig release.
 */
async function solanaDeposits(d: Devnet, api: string): Promise<SolanaDepositsResult> {
  const s = solanaOf(d);
  step(`Solana: deposits into the multisig vault with a memo naming the derivatives-chain account (${s.name}, eid ${s.eid})`);
  const address = (u: UserName): string => d.sources[0]!.users[USERS.indexOf(u)]!.address;
  const wallet = (u: UserName): Keypair => s.users[USERS.indexOf(u)]!;
  let ok = true;
  const tracked: SolanaTracked[] = [];
  const send = async (user: UserName, asset: SolanaAsset, whole: string, withMemo: boolean): Promise<SolanaTracked> => {
    const { decimals, vault } = solanaMint(s, asset);
    const amount = ethers.parseUnits(whole, decimals);
    const memo = withMemo ? depositMemo(d, address(user)) : null;
    const rec = await depositOnSolana(s, wallet(user), asset, amount, memo);
    const t: SolanaTracked = { user, rec, expected: withMemo ? 'CREDITED' : 'VOIDED' };
    tracked.push(t);
    say(`${bold(user)}'s Solana wallet sends ${formatToken(amount, decimals, asset)} to the vault account ${shortHex(vault.toBase58())} ${memo === null ? yellow('without a memo') : `with memo "${memo.replace(/0x0{24}/, '0x…')}"`} → tx ${shortHex(rec.signature)} (slot ${rec.slot}, confirmed)`);
    return t;
  };
  const carolAta = recipientTokenAccount(s, 'USDC', wallet('carol').publicKey);
  const carolBefore = await s.balanceOf(carolAta, 'finalized');
  const sent = Date.now();
  const alice = await send('alice', 'USDC', '5000', true);
  const carol = await send('carol', 'USDC', '250', false);
  const bob = await send('bob', 'SOL', '40', true);
  say(dim(`the relayer reads the vault's transactions at finalized (getSignaturesForAddress + getTransaction): memo, transferChecked into a vault account, depositor = the token owner`));
  for (const t of [alice, bob]) {
    const row = await awaitSolanaDeposit(api, s.eid, t.rec.signature, ['CREDITED']);
    t.guid = row.guid;
    const { decimals } = solanaMint(s, t.rec.asset);
    const position = await solanaPosition(d, address(t.user), t.rec.asset);
    const names = await signerNames(d, row.creditTxHash);
    t.positionAtCredit = position.raw;
    const good = row.state === 'CREDITED' && position.raw === t.rec.amount;
    ok &&= good;
    const after = row.creditedAt === null ? '' : ` ${formatMs(Date.parse(row.creditedAt) - sent)} after the transfers`;
    say(
      (good ? green(`✓ ${t.user} ${formatToken(t.rec.amount, decimals, t.rec.asset)} on ${s.name}: `) : red(`✗ ${t.user} ${formatToken(t.rec.amount, decimals, t.rec.asset)} on ${s.name}: `)) +
        `nonce ${row.nonce}, ${historyPath(row)}${after}, credit tx ${shortHex(row.creditTxHash ?? '?')} signed by ${names.join(' + ')}`,
    );
    say(`   receiver.position(${t.user}, ${s.eid}, ${t.rec.asset} mint) = ${formatToken(position.raw, decimals, t.rec.asset)} (frozen ${formatToken(position.frozen, decimals, t.rec.asset)}), value at deposit ${formatUsd(BigInt(row.haircutValue ?? '0'))}`);
  }
  {
    const row = await awaitSolanaDeposit(api, s.eid, carol.rec.signature, ['VOIDED'], 90_000);
    carol.guid = row.guid;
    const held = row.history.find((h) => h.to === 'HELD');
    const voiding = row.history.find((h) => h.to === 'VOIDING');
    say(`${yellow('VOIDED')} carol's ${formatToken(carol.rec.amount, 6, 'USDC')} (nonce ${row.nonce}, account ${shortHex(row.account)}): ${historyPath(row)}, VOID tx ${shortHex(row.creditTxHash ?? '?')} signed by ${(await signerNames(d, row.creditTxHash)).join(' + ')}`);
    say(`   why: HELD(${held?.reason ?? '?'}): ${detailText(held?.detail)}`);
    // The VOIDING detail as the relayer writes it: { voidReason, previousReason, automatic? } (api.service.ts, valuation.service.ts).
    const v = (voiding?.detail ?? {}) as { voidReason?: string; automatic?: boolean };
    say(`   then: ${v.automatic === true ? 'voided automatically by the relayer' : 'voided'} (VOID ${v.voidReason ?? '?'} at nonce ${row.nonce}: the receiver skips the nonce and asks for a refund to the depositor ${wallet('carol').publicKey.toBase58()})`);
    const refund = await waitFor(
      "the refund of carol's deposit",
      async () => (await vaultWithdrawals(api, s.eid)).find((w) => w.voidedNonce === row.nonce && ['refunded', 'refund-failed'].includes(w.outcome)),
      90_000,
      200,
    );
    carol.refundGuid = refund.guid;
    const balance = await s.balanceOf(carolAta, 'finalized');
    const good = row.state === 'VOIDED' && refund.outcome === 'refunded' && balance === carolBefore;
    ok &&= good;
    const release = refund.request.deliveryTxHash;
    const signers = release === null ? undefined : await releaseSigners(d, release);
    say(
      `${good ? green('✓') : red('✗')} carol's refund ${shortHex(refund.guid)} ${refund.outcome}: released by the multisig in ${shortHex(release ?? '?')} (signed by ${signers?.names.join(' + ') ?? '?'}), ` +
        `her USDC token account holds ${formatToken(balance, 6, 'USDC')} at finalized again (before the deposit: ${formatToken(carolBefore, 6, 'USDC')})`,
    );
    say(dim("bob's SOL deposit came after carol's on the same ordered path: the VOID took her nonce, nothing waited for an operator"));
  }
  return { ok, tracked };
}

type LiveValueResult = { ok: boolean; marksAfter: ChainMark[]; accounts: { user: string; account: string; before: string; after: string; expectedAfter: string; stale: boolean }[] };

/**
 * ETH −30 %: the marker posts new WETH marks (nonce + 1) within one round, and every account's collateralValue on
 * the receiver falls to exactly what @ccr/risk computes from its positions at the new marks.
 */
async function liveValue(d: Devnet, setPrice: (symbol: 'USDC' | 'WETH', dollars: string) => Promise<void>): Promise<LiveValueResult> {
  step('Live value: WETH/USD falls 30 % ($2,200 → $1,540) — the marker posts new marks, collateralValue follows on chain');
  const before = [...(await readMarks(d)), ...(await solanaMarks(d))];
  say(renderTable(['chain', 'asset', 'mark price', 'haircut', 'nonce'], before.map((m) => [m.chain.replace('devnet-', ''), m.symbol, formatPrice(m.price), formatPercent(m.haircut), m.nonce.toString()]), ['left', 'left', 'right', 'right', 'right']));
  const users = USERS.map((u, i) => ({ user: u, address: d.sources[0]!.users[i]!.address }));
  const valuesBefore = await Promise.all(users.map((u) => chainValue(d, u.address)));
  await setPrice('WETH', '1540');
  const t = Date.now();
  const after = [...(await awaitNewMarks(d, 'WETH', before)), ...(await solanaMarks(d))];
  say(`new WETH marks on the receiver ${formatMs(Date.now() - t)} after the price update (the marker's deviation rule: > 0.5 %):`);
  say(renderTable(['chain', 'asset', 'mark price', 'haircut', 'nonce'], after.map((m) => [m.chain.replace('devnet-', ''), m.symbol, formatPrice(m.price), formatPercent(m.haircut), m.nonce.toString()]), ['left', 'left', 'right', 'right', 'right']));
  let ok = true;
  const rows: string[][] = [];
  const accounts: LiveValueResult['accounts'] = [];
  for (const [i, u] of users.entries()) {
    const now = await chainValue(d, u.address);
    const expected = await riskValue(d, u.address, after);
    const match = now.value === expected && !now.stale;
    ok &&= match;
    rows.push([u.user, formatUsd(valuesBefore[i]!.value), formatUsd(now.value), formatUsd(expected), now.stale ? yellow('stale') : 'fresh', match ? green('✓') : red('✗')]);
    accounts.push({ user: u.user, account: u.address, before: valuesBefore[i]!.value.toString(), after: now.value.toString(), expectedAfter: expected.toString(), stale: now.stale });
  }
  say(renderTable(['user', 'collateralValue before', 'collateralValue after', '@ccr/risk at the new marks', 'marks', ''], rows, ['left', 'right', 'right', 'right', 'left', 'left']));
  say(dim('collateralValue(account) = Σ floor(tiers(floor(raw × mark price / 10^decimals)) × (1 − mark haircut)), read on the receiver'));
  return { ok, marksAfter: after, accounts };
}

type WithdrawalCase = { name: string; expected: string; guid?: string; refusedWith?: string };
type WithdrawalsResult = { ok: boolean; cases: WithdrawalCase[]; voidedGuid?: string };

/** The way back out: four withdrawal outcomes, each checked against the chains. */
async function withdrawals(d: Devnet, api: string, out: (text?: string) => void, tracked: Tracked[]): Promise<WithdrawalsResult> {
  const src = d.sources[0]!;
  const [alice, bob, carol] = [src.users[0]!, src.users[1]!, src.users[2]!];
  const cases: WithdrawalCase[] = [];
  let ok = true;
  const check = (name: string, good: boolean, detail: string): void => {
    ok &&= good;
    out(`${good ? green('✓') : red('✗')} ${name}: ${detail}`);
  };
  const balance = async (t: DevnetToken, who: string): Promise<bigint> => (await t.contract.getFunction('balanceOf')(who)) as bigint; // ERC-20 uint256: a bigint
  const credited = async (who: string, t: DevnetToken): Promise<bigint> =>
    // position returns (uint128 rawAmount, uint128 frozen)
    ((await d.destination.receiver.getFunction('position')(ethers.zeroPadValue(who, 32), src.eid, ethers.zeroPadValue(t.address, 32))) as [bigint, bigint])[0];

  step('Withdrawals: the way back out (freeze on the derivatives chain → release by the vault → finish)');
  {
    const amount = ethers.parseUnits('1000', 6);
    const before = await balance(src.usdc, alice.address);
    const r = await requestWithdrawal(d, src, alice, src.usdc, amount, ethers.zeroPadValue(alice.address, 32));
    out(`${bold('alice')} asks the receiver to withdraw ${formatToken(amount, 6, 'USDC')} to ${src.name} → frozen at once, withdrawal ${shortHex(r.guid)} (nonce ${r.nonce})`);
    await waitFor('the withdrawal in the relayer', async () => ((await fetchWithdrawal(api, r.guid)) === undefined ? undefined : true), 20_000, 100);
    printInFlight(await fetchInFlight(api), 'GET /in-flight with the withdrawal on its way out', tokenInfo(d));
    const w = await awaitWithdrawal(api, src, r.guid, ['finished', 'unfrozen', 'held']);
    const paid = (await balance(src.usdc, alice.address)) - before;
    check('alice’s withdrawal', w.outcome === 'finished' && paid === amount, `${w.outcome}; paid ${formatToken(paid, 6, 'USDC')} on ${src.name} (release tx ${shortHex(w.request.deliveryTxHash ?? '?')}), finished on the derivatives chain (tx ${shortHex(w.result?.deliveryTxHash ?? '?')})`);
    cases.push({ name: 'withdrawal completes', expected: 'finished', guid: r.guid });
  }
  {
    const available = await credited(bob.address, src.weth);
    const refused = await refusalOf(d, src, bob, src.weth, available + 10n ** 18n, ethers.zeroPadValue(bob.address, 32));
    check('bob asks for more WETH than he has credited', refused?.startsWith('InsufficientCredit') === true, `refused by the receiver at request: ${refused ?? 'NOT refused'}; nothing frozen, nothing sent`);
    cases.push({ name: 'withdrawal refused at request', expected: 'refused', ...(refused === undefined ? {} : { refusedWith: refused }) });
  }
  {
    const amount = ethers.parseUnits('1', 18);
    const notAnAddress = `0x${'ff'.repeat(12)}${carol.address.slice(2).toLowerCase()}`;
    const before = await credited(carol.address, src.weth);
    const r = await requestWithdrawal(d, src, carol, src.weth, amount, notAnAddress);
    out(`${bold('carol')} withdraws ${formatToken(amount, 18, 'WETH')} to ${shortHex(notAnAddress)} — not an EVM address: the vault cannot pay it`);
    const w = await awaitWithdrawal(api, src, r.guid, ['unfrozen', 'finished', 'held']);
    const after = await credited(carol.address, src.weth);
    check('carol’s withdrawal', w.outcome === 'unfrozen' && after === before, `${w.outcome}: the vault recorded the failed payout (batch not reverted), the result unfroze it; credited again ${formatToken(after, 18, 'WETH')}`);
    cases.push({ name: 'payout fails, unfrozen', expected: 'unfrozen', guid: r.guid });
  }
  let voidedGuid: string | undefined;
  {
    const amount = ethers.parseUnits('5', 18);
    const before = await balance(src.unlisted, bob.address);
    const lock = await lockAndWait(src, bob, src.unlisted, amount);
    out(`${bold('bob')} locks ${formatToken(amount, 18, 'XYZ')} — a token the vault accepts but the relayer has no price for`);
    await src.anvil.mine(70);
    await waitFor('XYZ deposit HELD(unsupported-asset)', async () => ((await fetchDeposit(api, lock.guid))?.reason === 'unsupported-asset' ? true : undefined), 30_000, 100);
    out(`${yellow('HELD')}(unsupported-asset): it would block every later deposit of the vault — the operator VOIDs it`);
    const voided = await postAdmin<{ to: string }>(api, `/admin/deposits/${lock.guid}/void`, d.adminToken, { reason: 'unsupported-asset' });
    out(`POST /admin/deposits/${shortHex(lock.guid)}/void → ${voided.to}`);
    const refund = await waitFor(
      'the refund',
      async () => {
        await src.anvil.mine(70);
        return (await fetchWithdrawals(api, bob.address)).find((w) => w.voidedNonce === lock.nonce.toString() && ['refunded', 'refund-failed'].includes(w.outcome));
      },
      60_000,
      300,
    );
    const row = await fetchDeposit(api, lock.guid);
    const paid = (await balance(src.unlisted, bob.address)) - before;
    check('bob’s XYZ deposit', row?.state === 'VOIDED' && refund.outcome === 'refunded' && paid === 0n, `${row?.state ?? '?'}; refund ${shortHex(refund.guid)} ${refund.outcome}: ${formatToken(amount, 18, 'XYZ')} back with bob`);
    cases.push({ name: 'VOID refund of an unsupported-asset deposit', expected: 'refunded', guid: refund.guid });
    tracked.push({ user: 'bob', source: src, token: src.unlisted, lock });
    voidedGuid = lock.guid;
  }
  return { ok, cases, ...(voidedGuid === undefined ? {} : { voidedGuid }) };
}

type SolanaWithdrawalResult = {
  ok: boolean;
  case: WithdrawalCase;
  user: UserName;
  asset: SolanaAsset;
  amount: bigint;
  recipient: string;
  recipientTokenAccount: string;
  releaseTx: string | null;
  releaseSigners: string[];
  releaseSignerKeys: string[];
  feePayer: string | null;
  resultTx: string | null;
  recipientBalance: bigint;
  positionAfter: bigint;
};

/**
 * The way back out to Solana: alice withdraws part of her Solana USDC to a fresh Solana wallet. The receiver freezes
 * it; the relayer builds the release (durable nonce, the recipient's ATA created, TransferChecked from the vault
 * account with the multisig as owner, release memo), the attester processes each check it against their own store
 * and sign (2 of 3), the relayer's poster sends it; once finalized, its result goes back to the receiver (finished).
 */
async function solanaWithdrawal(d: Devnet, api: string, solTracked: SolanaTracked[]): Promise<SolanaWithdrawalResult> {
  const s = solanaOf(d);
  const user: UserName = 'alice';
  const asset: SolanaAsset = 'USDC';
  const address = d.sources[0]!.users[USERS.indexOf(user)]!.address;
  const deposited = solTracked.find((t) => t.user === user && t.rec.asset === asset)?.rec.amount ?? 0n;
  const amount = ethers.parseUnits('1500', 6);
  step(`Solana withdrawal: ${user} takes 1,500 of her ${formatToken(deposited, 6, asset)} from Solana back to a fresh Solana wallet (a multisig release, 2 of 3 attester processes sign)`);
  const recipient = Keypair.generate().publicKey;
  const ata = recipientTokenAccount(s, asset, recipient);
  const r = await requestSolanaWithdrawal(d, address, asset, amount, recipient);
  say(`${bold(user)} asks the receiver to withdraw ${formatToken(amount, 6, asset)} to ${s.name} wallet ${recipient.toBase58()} (a new key: no token account yet) → frozen at once, withdrawal ${shortHex(r.guid)} (nonce ${r.nonce})`);
  const w = await waitFor(
    `withdrawal ${r.guid} finished`,
    async () => {
      const x = await fetchWithdrawal(api, r.guid);
      // HELD is a retry (e.g. attestation-quorum while the attesters' own watchers catch up): only the two ends count.
      if (x === undefined || !['finished', 'unfrozen'].includes(x.outcome)) throw new Error(x === undefined ? 'not in the relayer yet' : `${x.outcome} (request ${x.request.state}${x.request.reason === null ? '' : `(${x.request.reason}: ${x.request.history.at(-1)?.detail === undefined ? '' : detailText(x.request.history.at(-1)?.detail)})`})`);
      return x;
    },
    90_000,
    200,
  );
  const releaseTx = w.request.deliveryTxHash;
  const signers = releaseTx === null ? undefined : await releaseSigners(d, releaseTx);
  const attested = w.request.history.find((h) => h.to === 'ATTESTED');
  // The ATTESTED detail as solana-releaser.ts writes it: { signers, nonce }.
  const record = attested === undefined ? undefined : ((attested.detail ?? {}) as { signers?: string[]; nonce?: string });
  say(`the withdrawal: ${w.request.history.map((h) => (h.reason === null ? h.to : `${h.to}(${h.reason})`)).join(' → ')}; its result: ${w.result?.history.map((h) => (h.reason === null ? h.to : `${h.to}(${h.reason})`)).join(' → ') ?? '—'}`);
  for (const h of w.request.history.filter((x) => x.to === 'HELD')) say(yellow(`   HELD(${h.reason ?? '?'}) on the way, then retried: ${detailText(h.detail).slice(0, 400)}`));
  say(`release tx ${releaseTx ?? '?'} on ${s.name}`);
  say(`   signed by ${signers?.names.join(' + ') ?? '?'} (the multisig's signers ${signers?.multisig.map((k) => shortHex(k)).join(', ') ?? '?'}) and the relayer's poster ${shortHex(signers?.feePayer ?? '?')} (fee payer, durable-nonce authority)${record === undefined ? '' : dim(`; the relayer's record: ${record.signers?.join(' + ') ?? '?'} over durable nonce ${shortHex(record.nonce ?? '?')}`)}`);
  const balance = await s.balanceOf(ata, 'finalized');
  const position = await solanaPosition(d, address, asset);
  const good =
    w.outcome === 'finished' &&
    w.result?.state === 'DELIVERED' &&
    balance === amount &&
    position.raw === deposited - amount &&
    position.frozen === 0n &&
    signers !== undefined &&
    signers.multisig.length === s.threshold;
  say(
    `${good ? green('✓') : red('✗')} ${user}’s Solana withdrawal: ${w.outcome}; the recipient's token account ${shortHex(ata.toBase58())} holds ${formatToken(balance, 6, asset)} at finalized; ` +
      `the result finished it on the derivatives chain (tx ${shortHex(w.result?.deliveryTxHash ?? '?')}): position ${formatToken(position.raw, 6, asset)}, frozen ${formatToken(position.frozen, 6, asset)}`,
  );
  return {
    ok: good,
    case: { name: 'Solana withdrawal released by the multisig', expected: 'finished', guid: r.guid },
    user,
    asset,
    amount,
    recipient: recipient.toBase58(),
    recipientTokenAccount: ata.toBase58(),
    releaseTx,
    releaseSigners: signers?.names ?? [],
    releaseSignerKeys: signers?.multisig ?? [],
    feePayer: signers?.feePayer ?? null,
    resultTx: w.result?.deliveryTxHash ?? null,
    recipientBalance: balance,
    positionAfter: position.raw,
  };
}

/** The `solana` object of `--json`: the deposits with their state and position, the refund, the withdrawal with its release. */
async function solanaSummary(d: Devnet, api: string, deposits: SolanaDepositsResult, back: SolanaWithdrawalResult): Promise<Record<string, unknown>> {
  const s = solanaOf(d);
  const out: Record<string, unknown>[] = [];
  for (const t of deposits.tracked) {
    const row = t.guid === undefined ? undefined : await fetchDeposit(api, t.guid);
    const refund = t.refundGuid === undefined ? undefined : await fetchWithdrawal(api, t.refundGuid);
    out.push({
      user: t.user,
      depositor: t.rec.depositor.publicKey.toBase58(),
      asset: t.rec.asset,
      mint: solanaMint(s, t.rec.asset).mint.toBase58(),
      rawAmount: t.rec.amount.toString(),
      memo: t.rec.memo,
      signature: t.rec.signature,
      slot: t.rec.slot,
      guid: t.guid ?? null,
      nonce: row?.nonce ?? null,
      expected: t.expected,
      state: row?.state ?? 'missing',
      account: row?.account ?? null,
      voidReason: t.expected === 'VOIDED' ? (row?.history.find((h) => h.to === 'HELD')?.reason ?? null) : null,
      positionAtCredit: t.positionAtCredit?.toString() ?? null,
      refund: refund === undefined ? null : { guid: refund.guid, outcome: refund.outcome, releaseTx: refund.request.deliveryTxHash, rawAmount: refund.amount },
    });
  }
  return {
    ok: deposits.ok && back.ok,
    chain: s.name,
    eid: s.eid,
    vault: s.multisig.toBase58(),
    threshold: s.threshold,
    deposits: out,
    withdrawal: {
      guid: back.case.guid ?? null,
      user: back.user,
      asset: back.asset,
      rawAmount: back.amount.toString(),
      outcome: (back.case.guid === undefined ? undefined : await fetchWithdrawal(api, back.case.guid))?.outcome ?? 'missing',
      recipient: back.recipient,
      recipientTokenAccount: back.recipientTokenAccount,
      releaseTx: back.releaseTx,
      releaseSigners: back.releaseSigners,
      releaseSignerKeys: back.releaseSignerKeys,
      feePayer: back.feePayer,
      resultTx: back.resultTx,
      recipientBalanceFinalized: back.recipientBalance.toString(),
      positionAfter: back.positionAfter.toString(),
    },
  };
}

/** Every message of the run, for `--json`: deposits (credits and the voided one) and withdrawals (refunds included). */
async function listMessages(d: Devnet, api: string, tracked: Tracked[], back: WithdrawalsResult, solTracked: SolanaTracked[], solBack: SolanaWithdrawalResult): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const depositMessage = async (guid: string, user: UserName, chain: string, srcEid: number, asset: string, rawAmount: bigint): Promise<Record<string, unknown>> => {
    const row = await fetchDeposit(api, guid);
    const signers = row?.creditTxHash === null || row?.creditTxHash === undefined ? [] : await receiverTxSigners(d, row.creditTxHash);
    return { kind: 'deposit', guid, state: row?.state ?? 'missing', user, chain, srcEid, asset, rawAmount: rawAmount.toString(), haircutValue: row?.haircutValue ?? null, creditTxHash: row?.creditTxHash ?? null, signers };
  };
  for (const t of tracked) out.push(await depositMessage(t.lock.guid, t.user, t.source.name, t.source.eid, t.token.symbol, t.lock.amount));
  const s = solanaOf(d);
  for (const t of solTracked) {
    if (t.guid === undefined) out.push({ kind: 'deposit', guid: null, state: 'missing', user: t.user, chain: s.name, srcEid: s.eid, asset: t.rec.asset, rawAmount: t.rec.amount.toString(), haircutValue: null, creditTxHash: null, signers: [] });
    else out.push(await depositMessage(t.guid, t.user, s.name, s.eid, t.rec.asset, t.rec.amount));
  }
  const refunds: WithdrawalCase[] = solTracked.flatMap((t) => (t.refundGuid === undefined ? [] : [{ name: 'VOID refund of a memo-less Solana deposit', expected: 'refunded', guid: t.refundGuid }]));
  for (const c of [...back.cases, ...refunds, solBack.case]) {
    if (c.guid === undefined) {
      out.push({ kind: 'withdrawal', name: c.name, guid: null, state: 'REFUSED', outcome: 'refused', refusedWith: c.refusedWith ?? null });
      continue;
    }
    const w: WithdrawalJson | undefined = await fetchWithdrawal(api, c.guid);
    out.push({ kind: 'withdrawal', name: c.name, guid: c.guid, state: w?.request.state ?? 'missing', outcome: w?.outcome ?? 'missing', expected: c.expected, chain: 'devnet-derivatives', vaultEid: w?.vaultEid ?? null, rawAmount: w?.amount ?? null, voidedNonce: w?.voidedNonce ?? null, releaseStatus: w?.releaseStatus ?? null, result: w?.result === null || w?.result === undefined ? null : { guid: w.result.guid, state: w.result.state } });
  }
  return out;
}

/** bytes32 token → its symbol and decimals on the devnet (GET /in-flight names only valued assets). */
type TokenInfo = Map<string, { symbol: string; decimals: number }>;
function tokenInfo(d: Devnet): TokenInfo {
  return new Map([...d.sources.flatMap((s) => [s.usdc, s.weth, s.unlisted].map((t) => [ethers.zeroPadValue(t.address, 32).toLowerCase(), { symbol: t.symbol, decimals: t.decimals }] as const)), ...solanaTokenInfo(d)]);
}

function printInFlight(view: InFlightJson, title: string, tokens: TokenInfo): void {
  say(bold(title) + `: ${view.count} message(s), haircut value ${formatUsd(BigInt(view.haircutValueUsd))}${view.oldestAgeSeconds === null ? '' : `, oldest ${view.oldestAgeSeconds} s`}`);
  if (view.totals.length > 0)
    say(
      renderTable(
        ['kind', 'direction', 'src → dst eid', 'asset', 'state', 'count', 'raw amount', 'haircut value', 'market value', 'unvalued'],
        view.totals.map((t) => {
          const info = tokens.get(t.token.toLowerCase());
          const symbol = t.symbol ?? info?.symbol ?? shortHex(t.token);
          const raw = info === undefined ? t.rawAmount : formatToken(BigInt(t.rawAmount), info.decimals, symbol);
          return [t.kind, t.direction, `${t.srcEid} → ${t.dstEid}`, symbol, t.state, String(t.count), raw, formatUsd(BigInt(t.haircutValueUsd)), formatUsd(BigInt(t.marketValueUsd)), String(t.unvalued)];
        }),
        ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
}

/**
 * The per-deposit table, checked against the receiver (the raw amount of each position on chain; the deposit-time
 * valuation stays in the relayer and the message as the audit record), then each user's collateralValue on chain at
 * the current marks against @ccr/risk's value of the same positions at the same marks.
 */
async function summarize(d: Devnet, api: string, tracked: Tracked[], solTracked: SolanaTracked[]): Promise<boolean> {
  const receiver = d.destination.receiver;
  let ok = true;
  const rows: string[][] = [];
  for (const t of tracked) {
    const row: DepositJson | undefined = await fetchDeposit(api, t.lock.guid);
    const credited = row?.state === 'CREDITED';
    const value = row?.haircutValue === null || row?.haircutValue === undefined ? 0n : BigInt(row.haircutValue);
    const asset = ethers.zeroPadValue(t.token.address, 32);
    // Each (user, chain, asset) appears once in the scenario, so the position is this deposit's credit.
    const [raw] = (await receiver.getFunction('position')(t.lock.account, t.source.eid, asset)) as [bigint, bigint];
    const heldAsExpected = t.expectHeld === undefined || (row?.history.some((h) => h.to === 'HELD' && h.reason === t.expectHeld) ?? false);
    const match = credited && raw === t.lock.amount && heldAsExpected;
    ok &&= match;
    rows.push([
      t.user,
      t.source.name.replace('devnet-', ''),
      t.token.symbol,
      formatToken(t.lock.amount, t.token.decimals, ''),
      formatToken(raw, t.token.decimals, ''),
      row?.price === null || row?.price === undefined ? '—' : formatPrice(BigInt(row.price)),
      row?.haircut === null || row?.haircut === undefined ? '—' : formatPercent(BigInt(row.haircut)),
      row?.sizeWeight === null || row?.sizeWeight === undefined ? '—' : formatPercent(BigInt(row.sizeWeight), 1),
      formatUsd(value),
      `${row?.state ?? 'missing'}${t.expectHeld === undefined ? '' : ` (was HELD ${t.expectHeld})`}`,
      match ? green('✓') : red('✗'),
    ]);
  }
  // The Solana deposits credited to an account (the memo-less one names none: its check is its VOID and refund).
  const s = solanaOf(d);
  for (const t of solTracked.filter((x) => x.expected === 'CREDITED')) {
    const row: DepositJson | undefined = t.guid === undefined ? undefined : await fetchDeposit(api, t.guid);
    const { decimals } = solanaMint(s, t.rec.asset);
    const position = await solanaPosition(d, d.sources[0]!.users[USERS.indexOf(t.user)]!.address, t.rec.asset);
    const match = row?.state === 'CREDITED' && position.raw === t.rec.amount;
    ok &&= match;
    rows.push([
      t.user,
      'solana',
      t.rec.asset,
      formatToken(t.rec.amount, decimals, ''),
      formatToken(position.raw, decimals, ''),
      row?.price === null || row?.price === undefined ? '—' : formatPrice(BigInt(row.price)),
      row?.haircut === null || row?.haircut === undefined ? '—' : formatPercent(BigInt(row.haircut)),
      row?.sizeWeight === null || row?.sizeWeight === undefined ? '—' : formatPercent(BigInt(row.sizeWeight), 1),
      formatUsd(row?.haircutValue === null || row?.haircutValue === undefined ? 0n : BigInt(row.haircutValue)),
      row?.state ?? 'missing',
      match ? green('✓') : red('✗'),
    ]);
  }
  say(
    renderTable(
      ['user', 'chain', 'asset', 'locked', 'position on-chain', 'price', 'haircut', 'size w.', 'value at deposit', 'state', ''],
      rows,
      ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
    ),
  );
  say(dim('value at deposit = floor(locked × price × (1 − haircut) × size weight), the audit record in the CREDIT message; "position on-chain" = receiver.position(account, srcEid, asset)'));
  say();
  const marks = [...(await readMarks(d)), ...(await solanaMarks(d))];
  const userRows: string[][] = [];
  for (const [i, user] of USERS.entries()) {
    const address = d.sources[0]!.users[i]!.address;
    const now = await chainValue(d, address);
    const expected = await riskValue(d, address, marks);
    const match = now.value === expected && !now.stale;
    ok &&= match;
    userRows.push([user, address, formatUsd(expected), formatUsd(now.value), now.stale ? yellow('stale') : 'fresh', match ? green('✓') : red('✗')]);
  }
  say(renderTable(['user', 'account', '@ccr/risk at the marks', 'collateralValue (receiver)', 'marks', ''], userRows, ['left', 'left', 'right', 'right', 'left', 'left']));
  return ok;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof UsageError ? error.shortMessage : String(error)}\n`);
    process.exit(2);
  },
);
