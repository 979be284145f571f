/**
 * The marker end to end on real anvil chains: the first round marks every asset in one submitMarks; ETH −30 % → within
 * one round a new mark with nonce + 1 and the receiver's collateralValue of an account holding ETH falls to exactly
 * what @ccr/risk computes; a move below the threshold posts nothing; a stale feed posts nothing and the on-chain mark
 * ages. Rounds are driven by hand (pipeline.autoStart false): `tick()` for credits, `MarkerService.round()` for marks.
 */
import { valueCollateral } from '@ccr/risk';
import { ethers } from '../../contracts/ts/index';
import { toAssetRiskConfig } from '../../apps/relayer/src/config/validate-asset-risk';
import { MarkerService } from '../../apps/relayer/src/marks/marker.service';
import type { MarksView } from '../../apps/relayer/src/marks/marker.service';
import { addressToBytes32 } from '../support/devnet';
import { type Harness, type RelayerHandle, deposit, getJson, lock, metricsText, metricValue, startHarness } from './harness';

jest.setTimeout(180_000);

const E18 = 10n ** 18n;
const E8 = 10n ** 8n;
let h: Harness;
let relayer: RelayerHandle;
let marker: MarkerService;
let markerAddress: string;

beforeAll(async () => {
  // The devnet's marker option: its own sending key (destination anvil account 8; the poster is 9).
  h = await startHarness({
    sources: 1,
    attesters: 2,
    threshold: 2,
    users: 2,
    finality: { mode: 'confirmations', confirmations: 2 },
    relayer: { pipeline: { autoStart: false }, marks: { intervalMs: 100, deviationBps: 50, heartbeatSeconds: 600 } },
  });
  markerAddress = h.devnet.destination.anvil.accounts[8]!.address;
  relayer = await h.startRelayer();
  marker = relayer.app.get(MarkerService);
});

afterAll(async () => {
  await h?.stop();
});

type Mark = { price: bigint; haircut: bigint; timestamp: bigint; nonce: bigint };

async function markOf(token: string): Promise<Mark> {
  const source = h.devnet.sources[0]!;
  const [price, haircut, timestamp, nonce] = (await h.devnet.destination.receiver.getFunction('markOf')(source.eid, addressToBytes32(token))) as [bigint, bigint, bigint, bigint]; // markOf: (uint128 price, uint64 haircut, uint64 timestamp, uint64 nonce)
  return { price, haircut, timestamp, nonce };
}

async function marksView(): Promise<MarksView> {
  const { status, body } = await getJson<MarksView>(`${relayer.url}/marks`);
  expect(status).toBe(200);
  return body;
}

const markerTxCount = (): Promise<number> => h.devnet.destination.anvil.provider.getTransactionCount(markerAddress);
const latestTimestamp = async (): Promise<bigint> => BigInt((await h.devnet.destination.anvil.provider.getBlock('latest'))!.timestamp);

/** Pipeline rounds by hand (watch, value, post) until the deposit is CREDITED. */
async function creditByTicks(guid: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await h.devnet.sources[0]!.anvil.mine(3);
    await relayer.pipeline.tick();
    if ((await deposit(relayer.url, guid))?.state === 'CREDITED') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const d = await deposit(relayer.url, guid);
  throw new Error(`deposit ${guid} not credited: ${d?.state} ${d?.reason ?? ''} ${d?.reasonDetail ?? ''}`);
}

it('the first round marks every asset in ONE submitMarks from the marker’s own account (nonce 1, the guarded price and haircut)', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  const posterTxs = await dst.anvil.provider.getTransactionCount(h.devnet.posterAddress);
  const result = await marker.round();
  expect(result.posted).toBe(2);
  expect(result.skipped).toBe(0);
  const receipt = (await dst.anvil.provider.getTransactionReceipt(result.txHash!))!;
  expect(receipt.status).toBe(1);
  expect(receipt.from).toBe(markerAddress);
  expect(receipt.to).toBe(dst.receiverAddress);
  expect(receipt.logs.map((l) => dst.receiver.interface.parseLog(l)?.name)).toEqual(['Marked', 'Marked']);
  expect(await markerTxCount()).toBe(1);
  expect(await dst.anvil.provider.getTransactionCount(h.devnet.posterAddress)).toBe(posterTxs); // the credit poster's account did not move

  const [usdcFeed, wethFeed] = await Promise.all([dst.feeds.USDC, dst.feeds.WETH].map(async (f) => (await f.getFunction('latestRoundData')()) as [bigint, bigint, bigint, bigint, bigint])); // (uint80, int256, uint256, uint256, uint80)
  expect(await markOf(source.usdc.address)).toEqual({ price: E18, haircut: E18 / 50n, timestamp: usdcFeed![3], nonce: 1n });
  expect(await markOf(source.weth.address)).toEqual({ price: 2_000n * E18, haircut: E18 / 10n, timestamp: wethFeed![3], nonce: 1n });

  const view = await marksView();
  expect(view).toMatchObject({ enabled: true, sender: markerAddress, deviationBps: 50, heartbeatSeconds: 600, lastError: null, pendingTxHash: null });
  expect(view.assets.map((a) => [a.label, a.decision, a.onChain?.nonce, a.onChain?.stale, a.lastTxHash])).toEqual([
    [`USDC@${source.eid}`, 'first-mark', '1', false, result.txHash],
    [`WETH@${source.eid}`, 'first-mark', '1', false, result.txHash],
  ]);
  const metrics = await metricsText(relayer.url);
  expect(metricValue(metrics, 'ccr_marks_posted_total', { asset: `WETH@${source.eid}` })).toBe(1);
  expect(metricValue(metrics, 'ccr_marks_posted_total', { asset: `USDC@${source.eid}` })).toBe(1);
});

it('ETH −30 %: within one round a mark with nonce + 1, and the collateral value of an account holding ETH falls to exactly @ccr/risk’s value', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  const account = addressToBytes32(ethers.Wallet.createRandom().address);
  const amount = 100n * E18; // 200,000 USD gross: across WETH's first size tier (100,000 USD at weight 1, the rest at 0.5)
  const l = await lock(source, source.users[0]!, source.weth, amount, account);
  await creditByTicks(l.guid);
  const wethAsset = relayer.config.assets.find((a) => a.symbol === 'WETH' && a.eid === source.eid)!;
  const config = toAssetRiskConfig(wethAsset);
  const at = (price: bigint, timestamp: bigint): bigint => valueCollateral({ amount, decimals: 18, price: { price, timestamp }, config, now: timestamp }).haircutValue;
  const before = await markOf(source.weth.address);
  expect(await dst.receiver.getFunction('collateralValue')(account)).toEqual([at(2_000n * E18, before.timestamp), false]);

  await (await dst.feeds.WETH.getFunction('updateAnswer').send(1_400n * E8)).wait();
  const updatedAt = await latestTimestamp();
  const result = await marker.round();
  expect(result).toMatchObject({ posted: 1, skipped: 0 });
  expect(await markOf(source.weth.address)).toEqual({ price: 1_400n * E18, haircut: E18 / 10n, timestamp: updatedAt, nonce: 2n });
  expect((await markOf(source.usdc.address)).nonce).toBe(1n); // USDC did not move: not posted
  const expected = at(1_400n * E18, updatedAt);
  expect(expected).toBe(108_000n * E18); // (100,000 + 0.5 · 40,000) · (1 − 0.1)
  expect(at(2_000n * E18, before.timestamp)).toBe(135_000n * E18); // (100,000 + 0.5 · 100,000) · 0.9
  expect(await dst.receiver.getFunction('collateralValue')(account)).toEqual([expected, false]);
  expect((await marksView()).assets[1]).toMatchObject({ decision: 'price-deviation', onChain: { nonce: '2', price: (1_400n * E18).toString() }, lastTxHash: result.txHash });
});

it('a move below deviationBps posts nothing', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  const txs = await markerTxCount();
  await (await dst.feeds.WETH.getFunction('updateAnswer').send(1_405n * E8)).wait(); // +0.357 % < 0.5 %
  expect(await marker.round()).toEqual({ posted: 0, skipped: 0, txHash: null });
  expect(await markerTxCount()).toBe(txs);
  expect((await markOf(source.weth.address)).nonce).toBe(2n);
  expect((await marksView()).assets[1]).toMatchObject({ decision: 'within-threshold', wouldPost: false, guarded: { price: (1_405n * E18).toString() } });
});

it('a stale feed posts nothing (even 30 % off): counted as skipped, and the on-chain mark visibly ages', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  const label = `WETH@${source.eid}`;
  const txs = await markerTxCount();
  const mark = await markOf(source.weth.address);
  const round = (await dst.feeds.WETH.getFunction('latestRound')()) as bigint; // latestRound() returns a uint80
  const old = (await latestTimestamp()) - 7_200n; // WETH's feed heartbeat is 3,600 s
  await (await dst.feeds.WETH.getFunction('updateRoundData').send(round + 1n, 980n * E8, old, old)).wait();

  expect(await marker.round()).toMatchObject({ posted: 0, skipped: 1, txHash: null });
  const first = (await marksView()).assets[1]!;
  expect(first).toMatchObject({ skipped: { reason: 'stale-price' }, wouldPost: false, onChain: { nonce: '2' } });

  await dst.anvil.rpc('evm_increaseTime', [120]);
  await dst.anvil.mine(1);
  expect(await marker.round()).toMatchObject({ posted: 0, skipped: 1, txHash: null });
  const second = (await marksView()).assets[1]!;
  expect(second.onChain!.ageSeconds! - first.onChain!.ageSeconds!).toBeGreaterThanOrEqual(120);
  expect(second.onChain!.ageSeconds).toBe(Number((await latestTimestamp()) - mark.timestamp)); // the receiver's clock runs 120 s ahead of the wall clock now
  expect(await markOf(source.weth.address)).toEqual(mark);
  expect(await markerTxCount()).toBe(txs);
  const metrics = await metricsText(relayer.url);
  expect(metricValue(metrics, 'ccr_marks_skipped_total', { asset: label, reason: 'stale-price' })).toBe(2);
  expect(metricValue(metrics, 'ccr_mark_age_seconds', { asset: label })).toBe(second.onChain!.ageSeconds);
});
