/**
 * Limits end to end (docs/two-way-book.md "Limits"): the source chain may credit 10,000 USD of haircut value per
 * sliding 20 s window (the relayer schedules its retries on the wall clock, so the window is short rather than 24 h
 * with a moved clock); a single transfer above 6,000 USD waits 8 s from its finality. USDC is 1 USD with a 2 % haircut:
 * 4,000 USDC credit 3,920 USD.
 */
import type { RelayerConfigInput } from '../../apps/relayer/src/config/config.schema';
import { type DepositJson, type Harness, type Lock, type RelayerHandle, auditCreditsOnChain, existingDeposit, getJson, lock, metricValue, metricsText, startHarness, waitFor, waitForDeposit, waitForStates } from './harness';

jest.setTimeout(300_000);

const USD = 10n ** 18n;
const USDC = 10n ** 6n;
const WINDOW_MS = 20_000;
const DELAY_MS = 8_000;

type LimitsJson = {
  chains: {
    chain: string;
    eid: number;
    enabled: boolean;
    notionalLimitUsd: string | null;
    usedUsd: string | null;
    creditedUsd: string | null;
    inFlightUsd: string | null;
    remainingUsd: string | null;
    nextExpiryAt: string | null;
    nextExpiryUsd: string | null;
    waiting: Record<string, number>;
  }[];
};

let h: Harness;
let relayer: RelayerHandle;
const locks: Lock[] = [];

const withLimits = (c: RelayerConfigInput): RelayerConfigInput => ({
  ...c,
  chains: c.chains.map((chain) =>
    chain.role === 'source' ? { ...chain, limits: { notionalLimitUsd: '10000', windowSeconds: WINDOW_MS / 1000, singleTransferLimitUsd: '6000', largeTransferDelaySeconds: DELAY_MS / 1000 } } : chain,
  ),
});

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 1, threshold: 1, users: 2 });
  relayer = await h.startRelayer(withLimits);
});

afterAll(async () => {
  await h?.stop();
});

async function lockFinal(usdc: bigint[]): Promise<Lock[]> {
  const source = h.devnet.sources[0]!;
  const out: Lock[] = [];
  for (const amount of usdc) out.push(await lock(source, source.users[0]!, source.usdc, amount * USDC));
  await source.anvil.mine(70); // anvil's `finalized` is latest − 64
  locks.push(...out);
  return out;
}

const detail = (guid: string): Promise<DepositJson> => existingDeposit(relayer.url, guid);
const limitsNow = async (): Promise<LimitsJson['chains'][number]> => (await getJson<LimitsJson>(`${relayer.url}/limits`)).body.chains[0]!;
const ms = (iso: string | null): number => new Date(iso!).getTime();
const retry = (guid: string): Promise<{ status: number; body: unknown }> =>
  getJson(`${relayer.url}/admin/deposits/${guid}/retry`, { method: 'POST', headers: { authorization: `Bearer ${h.devnet.adminToken}` } });

it('credits within the window; the next deposit waits (rate-limited) until the window has room, the one behind it waits its turn; a restart keeps the window', async () => {
  const [a, b] = await lockFinal([4_000n, 4_000n]);
  const credited = await waitForStates(relayer.url, [a!.guid, b!.guid], 'CREDITED');
  expect(credited.map((d) => d.haircutValue)).toEqual([(3_920n * USD).toString(), (3_920n * USD).toString()]);
  const firstCredit = Math.min(...credited.map((d) => ms(d.creditedAt)));

  const [c, d] = await lockFinal([3_000n, 100n]); // 2,940 USD: 7,840 + 2,940 > 10,000; then 98 USD behind it
  const heldC = await waitForDeposit(relayer.url, c!.guid, 'rate-limited', (x) => x.reason === 'rate-limited');
  // Freeing 780 USD takes the first credit's expiry (3,920 USD).
  expect([heldC.state, ms(heldC.nextAttemptAt), heldC.haircutValue]).toEqual(['HELD', firstCredit + WINDOW_MS, (2_940n * USD).toString()]);
  const heldD = await waitForDeposit(relayer.url, d!.guid, 'limit-queued', (x) => x.reason === 'limit-queued');
  expect([heldD.state, heldD.blockedBy, heldD.nextAttemptAt]).toEqual(['HELD', c!.guid, heldC.nextAttemptAt]);

  const view = await limitsNow();
  expect(view).toMatchObject({
    chain: h.devnet.sources[0]!.name,
    enabled: true,
    notionalLimitUsd: (10_000n * USD).toString(),
    usedUsd: (7_840n * USD).toString(),
    creditedUsd: (7_840n * USD).toString(),
    inFlightUsd: '0',
    remainingUsd: (2_160n * USD).toString(),
    nextExpiryAt: new Date(firstCredit + WINDOW_MS).toISOString(),
    nextExpiryUsd: (3_920n * USD).toString(),
    waiting: { 'rate-limited': 1, 'large-transfer-delay': 0, 'limit-queued': 1, 'over-limit': 0 },
  });
  const text = await metricsText(relayer.url);
  expect([metricValue(text, 'ccr_limit_used_usd', { chain: view.chain }), metricValue(text, 'ccr_limit_remaining_usd', { chain: view.chain })]).toEqual([7840, 2160]);
  expect(metricValue(text, 'ccr_deposits_held', { state: 'HELD', reason: 'rate-limited' })).toBe(1);

  // A restart reads the window from the store.
  await relayer.close();
  relayer = await h.startRelayer(withLimits);
  const afterRestart = await limitsNow();
  expect(Date.now()).toBeLessThan(firstCredit + WINDOW_MS); // C is held ~1.5 s after the first credit: the restart is well inside the window
  expect([afterRestart.usedUsd, afterRestart.nextExpiryAt]).toEqual([(7_840n * USD).toString(), new Date(firstCredit + WINDOW_MS).toISOString()]);

  const [doneC, doneD] = await waitForStates(relayer.url, [c!.guid, d!.guid], 'CREDITED', 60_000);
  const valuedAt = (x: DepositJson): number => ms(x.history.find((t) => t.to === 'VALUED')!.at);
  expect(valuedAt(doneC!)).toBeGreaterThanOrEqual(firstCredit + WINDOW_MS);
  expect(valuedAt(doneD!)).toBeGreaterThanOrEqual(valuedAt(doneC!));
  expect(doneC!.history.map((t) => [t.to, t.reason])).toEqual([
    ['OBSERVED', null],
    ['FINAL', null],
    ['HELD', 'rate-limited'],
    ['VALUED', null],
    ['ATTESTED', null],
    ['SUBMITTED', null],
    ['CONFIRMING', null],
    ['CREDITED', null],
  ]);
  expect(Number(doneD!.nonce)).toBe(Number(doneC!.nonce) + 1);
});

it('a transfer above the single-transfer limit waits its delay from finality, then is credited; an operator retry releases the next one early', async () => {
  // Start from a window holding only C and D (3,038 USD): A and B have expired.
  await waitFor('A and B out of the window', async () => ((await limitsNow()).usedUsd === (3_038n * USD).toString() ? true : undefined), 60_000);
  const [e] = await lockFinal([7_000n]); // 6,860 USD > 6,000; 3,038 + 6,860 ≤ 10,000
  const held = await waitForDeposit(relayer.url, e!.guid, 'large-transfer-delay', (x) => x.reason === 'large-transfer-delay');
  const finalAt = ms(held.history.find((t) => t.to === 'FINAL')!.at);
  expect([held.state, ms(held.nextAttemptAt)]).toEqual(['HELD', finalAt + DELAY_MS]);
  expect((await limitsNow()).waiting['large-transfer-delay']).toBe(1);
  const [done] = await waitForStates(relayer.url, [e!.guid], 'CREDITED', 60_000);
  expect(ms(done!.history.find((t) => t.to === 'VALUED')!.at)).toBeGreaterThanOrEqual(finalAt + DELAY_MS);
  expect(done!.history.filter((t) => t.to === 'HELD').map((t) => t.reason)).toEqual(['large-transfer-delay']);

  const [f] = await lockFinal([7_000n]);
  const heldF = await waitForDeposit(relayer.url, f!.guid, 'large-transfer-delay', (x) => x.reason === 'large-transfer-delay');
  expect((await retry(f!.guid)).status).toBe(200);
  const [released] = await waitForStates(relayer.url, [f!.guid], 'CREDITED', 60_000);
  // Valued before its delay was over (the window did not count: released by the operator), and it counts now.
  expect(ms(released!.history.find((t) => t.to === 'VALUED')!.at)).toBeLessThan(ms(heldF.nextAttemptAt));
  expect(released!.history.filter((t) => t.to === 'HELD').map((t) => t.reason)).toEqual(['large-transfer-delay', 'manual']);
  // The window, to the unit: every credit of the chain whose creditedAt + window is after the answer's time.
  const { body } = await getJson<LimitsJson & { at: string }>(`${relayer.url}/limits`);
  const all = await Promise.all(locks.map((l) => detail(l.guid)));
  const inWindow = all.filter((x) => x.state === 'CREDITED' && ms(x.creditedAt) + WINDOW_MS > ms(body.at)).reduce((sum, x) => sum + BigInt(x.haircutValue!), 0n);
  expect(inWindow).toBeGreaterThanOrEqual(13_720n * USD); // E and F (C and D may have left it)
  expect(body.chains[0]).toMatchObject({ usedUsd: inWindow.toString(), creditedUsd: inWindow.toString(), inFlightUsd: '0', remainingUsd: '0' });
});

it('a deposit above the whole limit is FAILED over-limit until an operator retries it; the one behind it then waits for room', async () => {
  const [g, k] = await lockFinal([12_000n, 10n]); // 11,760 USD > 10,000; then 9.80 USD
  const failed = await waitForDeposit(relayer.url, g!.guid, 'over-limit', (x) => x.state === 'FAILED');
  expect([failed.reason, failed.nextAttemptAt]).toEqual(['over-limit', null]);
  expect(failed.reasonDetail).toContain('waits for an operator');
  const queued = await waitForDeposit(relayer.url, k!.guid, 'limit-queued', (x) => x.reason === 'limit-queued');
  expect(queued.blockedBy).toBe(g!.guid);
  expect((await limitsNow()).waiting).toMatchObject({ 'over-limit': 1, 'limit-queued': 1 });

  expect((await retry(g!.guid)).status).toBe(200);
  const [creditedG, creditedK] = await waitForStates(relayer.url, [g!.guid, k!.guid], 'CREDITED', 90_000);
  expect(creditedG!.history.filter((t) => t.to === 'HELD' || t.to === 'FAILED').map((t) => [t.to, t.reason])).toEqual([
    ['HELD', 'over-limit'],
    ['FAILED', 'over-limit'],
    ['HELD', 'manual'],
  ]);
  // 11,760 USD on its way left no room: K waited for the window after G went.
  expect(creditedK!.history.some((t) => t.to === 'HELD' && t.reason === 'rate-limited')).toBe(true);
  expect(ms(creditedK!.history.find((t) => t.to === 'VALUED')!.at)).toBeGreaterThanOrEqual(ms(creditedG!.creditedAt));
});

it('nothing is lost or credited twice', async () => {
  const audit = await auditCreditsOnChain(h.devnet, locks);
  expect({ duplicates: audit.duplicates, missing: audit.missing, unexpected: audit.unexpected, notApplied: audit.notApplied }).toEqual({ duplicates: [], missing: [], unexpected: [], notApplied: [] });
  expect(audit.events.map((x) => x.rawAmount).reduce((s, x) => s + x, 0n)).toBe(locks.reduce((s, l) => s + l.amount, 0n));
  for (const l of locks) expect((await detail(l.guid)).history.filter((t) => t.to === 'CREDITED')).toHaveLength(1);
});
