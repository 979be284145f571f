/**
 * Solvency reconciliation end to end (docs/two-way-book.md "Solvency"): deposits, a release and a failed payout flow
 * and GET /solvency holds to the base unit on every round; then a compromised attester key (the devnet's only one, threshold 1) submits a CREDIT with no lock behind
 * it straight to the receiver. The job names the pathway and asset with the exact difference (API, error log, gauge),
 * halts the pathway (a new lock is not credited), and an operator resume lets it through.
 */
import { ethers } from '../../contracts/ts/index';
import { addressToBytes32 } from '../support/devnet';
import { DST_EID, encodeMessage, encodePacket, submitPackets } from '../support/deploy';
import { mined } from '../support/tx';
import { type Harness, type RelayerHandle, getJson, lock, metricValue, metricsText, startHarness, waitFor, waitForStates } from './harness';

jest.setTimeout(120_000);

type Terms = { totalLocked: string; balance: string; credited: string; frozen: string; inFlightDeposits: string; inFlightReleases: string; expectedLocked: string; discrepancy: string; lastNonce: string; vaultBlock: number; receiverBlock: number };
type Check = { srcEid: number; vault: string; asset: string; symbol: string; status: string; ok: boolean; confirmed: boolean; acknowledged: boolean; balanceCovers: boolean; terms: Terms; checkedAt: string };
type Halt = { srcEid: number; vault: string; asset: string; state: string; discrepancy: string; acknowledged: string | null; resumedBy: string | null };
type SolvencyJson = { ok: boolean; checkedAt: string | null; checks: Check[]; halted: Halt[] };

const USDC = (n: bigint): bigint => n * 10n ** 6n;

let h: Harness;
let relayer: RelayerHandle;
let miner: NodeJS.Timeout | undefined;
let stderr = '';

beforeAll(async () => {
  // One attester key, threshold 1: the key the test "compromises".
  h = await startHarness({ sources: 1, attesters: 1, threshold: 1, users: 2, finality: { mode: 'confirmations', confirmations: 2 } });
  const write = process.stderr.write.bind(process.stderr);
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return write(chunk, ...(rest as [])); // the logger's own arguments, passed through
  });
  relayer = await h.startRelayer((c) => ({ ...c, solvency: { intervalMs: 250, haltOnDiscrepancy: true } }));
  const source = h.devnet.sources[0]!;
  miner = setInterval(() => void source.anvil.mine(1).catch(() => undefined), 150);
});

afterAll(async () => {
  if (miner !== undefined) clearInterval(miner);
  jest.restoreAllMocks();
  await h?.stop();
});

const solvency = async (): Promise<SolvencyJson> => (await getJson<SolvencyJson>(`${relayer.url}/solvency`)).body;

/** The USDC check of the first round started after now that satisfies `accept`. */
async function usdcCheck(what: string, accept: (c: Check, s: SolvencyJson) => boolean): Promise<{ check: Check; view: SolvencyJson }> {
  const after = new Date().toISOString();
  const usdc = addressToBytes32(h.devnet.sources[0]!.usdc.address);
  return waitFor(what, async () => {
    const s = await solvency();
    const check = s.checks.find((c) => c.asset === usdc);
    return check !== undefined && check.checkedAt > after && accept(check, s) ? { check, view: s } : undefined;
  }, 30_000, 100);
}

async function receiverBook(asset: string): Promise<{ credited: bigint; frozen: bigint; lastNonce: bigint }> {
  const source = h.devnet.sources[0]!;
  const receiver = h.devnet.destination.receiver;
  const [credited, frozen] = (await receiver.getFunction('book')(source.eid, addressToBytes32(asset))) as [bigint, bigint]; // book: (uint128 credited, uint128 frozen)
  const lastNonce = (await receiver.getFunction('lastNonce')(source.eid, addressToBytes32(source.vaultAddress))) as bigint; // uint64 → bigint
  return { credited, frozen, lastNonce };
}

/** The user's receiver contract on the derivatives chain (same key as on the source chain: one anvil mnemonic). */
function onDerivatives(user: ethers.Wallet): ethers.Contract {
  const wallet = h.devnet.destination.anvil.accounts.find((a) => a.address === user.address)!;
  return h.devnet.destination.receiver.connect(wallet) as ethers.Contract; // connect() keeps the ABI
}

async function withdraw(user: ethers.Wallet, token: string, amount: bigint, recipient: string, outcome: string): Promise<void> {
  const source = h.devnet.sources[0]!;
  const receipt = await mined(onDerivatives(user).getFunction('requestWithdrawal').send(source.eid, addressToBytes32(token), amount, recipient));
  const guid = String(receipt.logs.map((l) => h.devnet.destination.receiver.interface.parseLog(l)).find((l) => l?.name === 'WithdrawalRequested')!.args.getValue('guid')).toLowerCase();
  await waitFor(`withdrawal ${guid} ${outcome}`, async () => ((await getJson<{ outcome: string }>(`${relayer.url}/withdrawals/${guid}`)).body.outcome === outcome ? true : undefined), 60_000);
}

it('holds to the base unit on every round while deposits, a release and a failed payout flow', async () => {
  const source = h.devnet.sources[0]!;
  const [alice, bob] = source.users as [ethers.Wallet, ethers.Wallet]; // the harness funds users: 2
  const usdc = addressToBytes32(source.usdc.address);
  const vault = addressToBytes32(source.vaultAddress);
  // Every round's checks, sampled while the messages move (each is a distinct checkedAt).
  const seen = new Map<string, Check>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      for (const c of (await solvency()).checks) seen.set(`${c.checkedAt}:${c.asset}`, c);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const locks = [await lock(source, alice, source.usdc, USDC(1_000n)), await lock(source, bob, source.usdc, USDC(250n)), await lock(source, alice, source.weth, 2n * 10n ** 18n)];
  await waitForStates(relayer.url, locks.map((l) => l.guid), 'CREDITED', 60_000);
  // Out again: 0.5 WETH released (finished), 0.25 WETH to a recipient that is not an EVM address (payout fails: unfrozen).
  await withdraw(alice, source.weth.address, 5n * 10n ** 17n, addressToBytes32(alice.address), 'finished');
  await withdraw(alice, source.weth.address, 25n * 10n ** 16n, `0x${'ff'.repeat(12)}${alice.address.slice(2).toLowerCase()}`, 'unfrozen');
  const { check: held, view } = await usdcCheck('an ok round after the credits', (c, v) => c.terms.credited === String(USDC(1_250n)) && v.checks.every((x) => x.terms?.inFlightReleases === '0'));
  sampling = false;
  await sampler;

  expect(held).toMatchObject({ srcEid: source.eid, vault, asset: usdc, symbol: 'USDC', status: 'ok', ok: true, balanceCovers: true, confirmed: false });
  expect(held.terms).toMatchObject({ totalLocked: String(USDC(1_250n)), balance: String(USDC(1_250n)), credited: String(USDC(1_250n)), frozen: '0', inFlightDeposits: '0', inFlightReleases: '0', expectedLocked: String(USDC(1_250n)), discrepancy: '0', lastNonce: '5' });
  expect(view.checks.find((c) => c.symbol === 'WETH')?.terms).toMatchObject({ totalLocked: String(15n * 10n ** 17n), balance: String(15n * 10n ** 17n), credited: String(15n * 10n ** 17n), frozen: '0', discrepancy: '0' });
  expect(view).toMatchObject({ ok: true, halted: [] });
  expect(held.terms.vaultBlock).toBeLessThanOrEqual(await source.anvil.provider.getBlockNumber());
  // No round disagreed, not even for a moment (the correction terms cover every message between the two heights).
  const rounds = [...seen.values()];
  expect(rounds.filter((c) => c.status === 'ok').length).toBeGreaterThan(10);
  expect(rounds.filter((c) => c.status === 'discrepancy')).toEqual([]);
  // (an 'error' round is one before the watcher's first scan, at boot)
  expect(rounds.filter((c) => c.status === 'error').map((c) => c.checkedAt < held.checkedAt)).not.toContain(false);
  // Some rounds saw a message in flight between the heights, and still held.
  expect(rounds.some((c) => c.terms !== null && (c.terms.inFlightDeposits !== '0' || c.terms.inFlightReleases !== '0'))).toBe(true);
});

it('names a forged CREDIT with the exact difference, halts the pathway, and a resume lets it through', async () => {
  const source = h.devnet.sources[0]!;
  const [alice, bob] = source.users as [ethers.Wallet, ethers.Wallet]; // the harness funds users: 2
  const usdc = addressToBytes32(source.usdc.address);
  const vault = addressToBytes32(source.vaultAddress);

  // 2. The compromised key credits 777 USDC that nobody locked, at the path's next nonce.
  const forged = USDC(777n);
  const { lastNonce } = await receiverBook(source.usdc.address);
  expect(lastNonce).toBe(5n);
  const attacker = addressToBytes32(h.devnet.destination.anvil.accounts[7]!.address);
  const message = encodeMessage({ account: attacker, srcEid: source.eid, srcVault: vault, asset: usdc, assetDecimals: 6, depositNonce: lastNonce + 1n, rawAmount: forged, haircutValue: 0n, price: 10n ** 18n, priceTimestamp: BigInt(Math.floor(Date.now() / 1000)), haircut: 2n * 10n ** 16n, sizeWeight: 10n ** 18n });
  const packet = encodePacket({ nonce: lastNonce + 1n, srcEid: source.eid, sender: vault, dstEid: DST_EID, receiver: addressToBytes32(h.devnet.destination.receiverAddress) }, message);
  const attesterKey = new ethers.Wallet(h.devnet.env.RELAYER_ATTESTER_KEY_0!);
  const forger = h.devnet.destination.receiver.connect(h.devnet.destination.anvil.accounts[7]!) as ethers.Contract; // connect() keeps the ABI
  await (await submitPackets({ receiver: forger, domain: { chainId: h.devnet.destination.chainId, verifyingContract: h.devnet.destination.receiverAddress } }, [attesterKey], [packet])).wait();
  expect((await receiverBook(source.usdc.address)).credited).toBe(USDC(1_250n) + forged);

  // 3. Named with the exact difference (−777 USDC), confirmed on two rounds, halted.
  const { check: bad, view: badView } = await usdcCheck('the confirmed discrepancy', (c, s) => c.confirmed && s.halted.length > 0);
  expect(bad).toMatchObject({ status: 'discrepancy', ok: false, confirmed: true, acknowledged: false });
  expect(bad.terms).toMatchObject({ totalLocked: String(USDC(1_250n)), credited: String(USDC(1_250n) + forged), frozen: '0', inFlightDeposits: '0', expectedLocked: String(USDC(1_250n) + forged), discrepancy: String(-forged), lastNonce: '6' });
  expect(badView.checks.find((c) => c.symbol === 'WETH')).toMatchObject({ ok: true });
  expect(badView.halted).toMatchObject([{ srcEid: source.eid, vault, asset: usdc, state: 'halted', discrepancy: String(-forged), acknowledged: null }]);
  expect(stderr).toContain(`solvency: discrepancy on pathway ${source.eid}/${vault} asset USDC: {`);
  const logged = stderr.split('\n').find((l) => l.includes('solvency: discrepancy on pathway'))!;
  expect(JSON.parse(logged.slice(logged.indexOf('{'), logged.lastIndexOf('}') + 1))).toMatchObject({ srcEid: source.eid, vault, asset: usdc, totalLocked: String(USDC(1_250n)), credited: String(USDC(1_250n) + forged), frozen: '0', discrepancy: String(-forged) });
  expect(stderr).toContain(`solvency: pathway ${source.eid}/${vault} HALTED (asset USDC, discrepancy ${-forged})`);
  const metrics = await metricsText(relayer.url);
  expect(metricValue(metrics, 'ccr_solvency_discrepancy', { eid: source.eid, asset: usdc })).toBe(Number(-forged));
  expect(metricValue(metrics, 'ccr_solvency_ok', { eid: source.eid, asset: usdc })).toBe(0);
  expect(metricValue(metrics, 'ccr_pathway_halted', { eid: source.eid })).toBe(1);
  expect((await getJson<{ halted: Halt[] }>(`${relayer.url}/health`)).body.halted).toMatchObject([{ srcEid: source.eid, asset: usdc, state: 'halted' }]);

  // 4. While halted. The next lock takes nonce 6, which the forged credit used: the receiver shows it applied, so it is
  //    reconciled, never posted (the discrepancy becomes 100 − 777). The one after (nonce 7) is NOT credited.
  const taken = await lock(source, alice, source.usdc, USDC(100n));
  const blocked = await lock(source, bob, source.usdc, USDC(50n));
  expect([taken.nonce, blocked.nonce]).toEqual([6n, 7n]);
  const [takenRow] = await waitForStates(relayer.url, [taken.guid], 'CREDITED', 30_000);
  expect(takenRow!.history.map((t) => t.reason)).toContain('reconciled');
  await waitForStates(relayer.url, [blocked.guid], 'VALUED', 30_000);
  const moved = await usdcCheck('the discrepancy after the taken lock', (c) => c.confirmed && c.terms.discrepancy === String(USDC(100n) - forged));
  expect(moved.check.terms).toMatchObject({ totalLocked: String(USDC(1_400n)), inFlightDeposits: String(USDC(50n)), lastNonce: '6' });
  // Several poster rounds (200 ms each) later: still VALUED, nothing posted past the forged nonce.
  await new Promise((r) => setTimeout(r, 1_500));
  expect((await getJson<{ state: string }>(`${relayer.url}/deposits/${blocked.guid}`)).body.state).toBe('VALUED');
  expect((await receiverBook(source.usdc.address)).lastNonce).toBe(6n);

  // 5. Resume: admin token required; recorded with who; the blocked deposit is credited, the known discrepancy does not halt again.
  const resumeUrl = `${relayer.url}/admin/pathways/${source.eid}/resume`;
  expect((await getJson(resumeUrl, { method: 'POST' })).status).toBe(401);
  expect((await getJson(resumeUrl, { method: 'POST', headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
  const resumed = await getJson<{ resumedBy: string; resumed: Halt[] }>(resumeUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.devnet.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ operator: 'test-operator' }),
  });
  expect(resumed.status).toBe(200);
  expect(resumed.body.resumedBy).toMatch(/^test-operator \(/);
  expect(resumed.body.resumed).toMatchObject([{ asset: usdc, state: 'resumed', discrepancy: String(-forged), acknowledged: String(USDC(100n) - forged) }]);
  await waitForStates(relayer.url, [blocked.guid], 'CREDITED', 30_000);
  expect((await receiverBook(source.usdc.address)).lastNonce).toBe(7n);
  const after = await usdcCheck('an acknowledged round after the resume', (c) => c.confirmed && c.terms.inFlightDeposits === '0');
  expect(after.check).toMatchObject({ acknowledged: true, terms: { totalLocked: String(USDC(1_400n)), credited: String(USDC(2_077n)), discrepancy: String(USDC(100n) - forged) } });
  expect(after.view.halted).toEqual([]);
  expect(metricValue(await metricsText(relayer.url), 'ccr_pathway_halted', { eid: source.eid })).toBe(0);
});
