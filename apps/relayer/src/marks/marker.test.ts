import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMarkMessage, receiverDomain, recoverMarkBatchSigners } from '@ccr/messages';
import type { Logger } from '@nestjs/common';
import { Wallet } from 'ethers';
import { attesterSigners } from '../attester/attest-batch';
import { attestMarkBatch } from '../attester/attest-mark-batch';
import type { FeedReading } from '../chains/chain-adapter';
import { ChainRpcError } from '../chains/chain-errors';
import { ManualClock } from '../common/clock';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { AssetRegistry, type KnownAsset } from '../valuation/asset-registry';
import { Marker, type MarkerSettings } from './marker';
import { FakeMarkChain } from './testing/fake-mark-chain.fixture';

const NOW = 1_750_000_000n;
const E18 = 10n ** 18n;
const E8 = 10n ** 8n;
const USDC_FEED = '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9';
const WETH_FEED = '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707';
const ATTESTER_KEYS = ['0x' + '11'.repeat(32), '0x' + '22'.repeat(32)];
const ATTESTERS = ATTESTER_KEYS.map((k) => new Wallet(k).address);
const SETTINGS: MarkerSettings = { deviationBps: 50, heartbeatSeconds: 1800, attestationTtlSeconds: 600, receiptTimeoutMs: 1000 };

let dir: string;
let usdc: KnownAsset;
let weth: KnownAsset;
let chain: FakeMarkChain;
let clock: ManualClock;
let metrics: MetricsRegistry;
let feeds: Map<string, FeedReading | Error>;
let feedReads: number;
let logger: { log: jest.Mock; warn: jest.Mock; error: jest.Mock };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-marker-'));
  const raw = fixtureConfig();
  raw.assets!.push({
    eid: 40101,
    token: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9',
    symbol: 'WETH',
    decimals: 18,
    feed: { eid: 40200, address: WETH_FEED, heartbeatSeconds: 3600 },
    risk: { haircut: '0.1', ltv: '0.8', liquidationThreshold: '0.85' },
  });
  // AppConfig is RelayerConfig by declaration merging; the assets are the fixture's USDC, then the WETH pushed above
  [usdc, weth] = new AssetRegistry(buildConfig(raw, { env: FIXTURE_ENV, baseDir: dir })).all() as [KnownAsset, KnownAsset];
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const reading = (answer: bigint, updatedAt: bigint = NOW - 30n): FeedReading => ({ roundId: 1n, answer, decimals: 8, updatedAt, blockTimestamp: clockSeconds() });
const clockSeconds = (): bigint => BigInt(Math.floor(clock.now().getTime() / 1000));

function marker(settings: Partial<MarkerSettings> = {}): Marker {
  const signers = attesterSigners(ATTESTER_KEYS);
  return new Marker({
    chain,
    assets: [usdc, weth],
    // eslint-disable-next-line @typescript-eslint/require-await -- a scripted feed Error must reach the marker as a rejection, like a failed read
    readFeed: async (asset) => {
      feedReads++;
      const r = feeds.get(asset.config.feed.address);
      if (r === undefined || r instanceof Error) throw r ?? new Error('no feed');
      return r;
    },
    attest: (domain, bodies, validUntil) => attestMarkBatch(signers, domain, bodies, validUntil),
    metrics,
    clock,
    logger: logger as unknown as Logger, // the three methods the marker calls
    settings: { ...SETTINGS, ...settings },
  });
}

/** Moves the wall clock and the receiver's block time together. */
function advance(seconds: number): void {
  clock.advance(seconds * 1000);
  chain.blockTimestamp += BigInt(seconds);
}

beforeEach(() => {
  clock = new ManualClock(new Date(Number(NOW) * 1000));
  chain = new FakeMarkChain(NOW, ATTESTERS);
  chain.register(40101, usdc.tokenBytes32, 3600n, 6);
  chain.register(40101, weth.tokenBytes32, 3600n);
  metrics = new MetricsRegistry();
  feeds = new Map<string, FeedReading | Error>([
    [USDC_FEED, reading(99_990_000n)],
    [WETH_FEED, reading(2_000n * E8)],
  ]);
  feedReads = 0;
  logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
});

const skipped = (asset: KnownAsset, reason: string): number => metrics.counter('ccr_marks_skipped_total', { asset: `${asset.config.symbol}@40101`, reason });
const posted = (asset: KnownAsset): number => metrics.counter('ccr_marks_posted_total', { asset: `${asset.config.symbol}@40101` });

describe('Marker', () => {
  it('first round: every asset marked in ONE attested submitMarks (nonce 1, the guarded price and haircut, the oracle’s timestamp)', async () => {
    const m = marker();
    const result = await m.round();
    expect(result).toEqual({ posted: 2, skipped: 0, txHash: chain.sent[0]!.hash });
    expect(chain.sent).toHaveLength(1);
    const tx = chain.sent[0]!;
    expect(tx.marks).toEqual([
      { version: 1, messageType: 3, srcEid: 40101, asset: usdc.tokenBytes32, markNonce: 1n, price: 999_900_000_000_000_000n, priceTimestamp: NOW - 30n, haircut: E18 / 50n },
      { version: 1, messageType: 3, srcEid: 40101, asset: weth.tokenBytes32, markNonce: 1n, price: 2_000n * E18, priceTimestamp: NOW - 30n, haircut: E18 / 10n },
    ]);
    expect(tx.validUntil).toBe(NOW + 600n); // the receiver's clock + attestationTtlSeconds
    expect(tx.gasEstimate).toBe(60_000n);
    const domain = receiverDomain({ chainId: 31337, verifyingContract: chain.receiver });
    // signed by both attesters, in increasing signer order, over MarkBatch(the 78-byte bodies, validUntil)
    const sorted = [...ATTESTERS].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    expect(recoverMarkBatchSigners(domain, tx.marks.map((x) => encodeMarkMessage(x)), tx.validUntil, tx.signatures)).toEqual(sorted);
    expect(chain.markOf(40101, weth.tokenBytes32)).toEqual({ price: 2_000n * E18, haircut: E18 / 10n, timestamp: NOW - 30n, nonce: 1n });
    expect([posted(usdc), posted(weth)]).toEqual([1, 1]);
    expect(feedReads).toBe(2);
  });

  it('posts nothing while nothing moved, and only the deviant asset after a 30 % drop (nonce + 1)', async () => {
    const m = marker();
    await m.round();
    advance(5);
    expect(await m.round()).toEqual({ posted: 0, skipped: 0, txHash: null });
    expect(m.view().assets.map((a) => [a.decision, a.wouldPost])).toEqual([['within-threshold', false], ['within-threshold', false]]);
    feeds.set(WETH_FEED, reading(1_400n * E8, NOW));
    advance(5);
    const result = await m.round();
    expect(result.posted).toBe(1);
    expect(chain.sent).toHaveLength(2);
    expect(chain.sent[1]!.marks).toEqual([{ version: 1, messageType: 3, srcEid: 40101, asset: weth.tokenBytes32, markNonce: 2n, price: 1_400n * E18, priceTimestamp: NOW, haircut: E18 / 10n }]);
    expect(chain.markOf(40101, usdc.tokenBytes32).nonce).toBe(1n);
    expect([posted(usdc), posted(weth)]).toEqual([1, 2]);
  });

  it('a move at or below deviationBps posts nothing; just above it posts', async () => {
    const m = marker();
    await m.round();
    feeds.set(WETH_FEED, reading(2_010n * E8, NOW)); // +0.5 % exactly
    advance(1);
    await m.round();
    expect(chain.sent).toHaveLength(1);
    expect(m.view().assets[1]).toMatchObject({ decision: 'within-threshold', wouldPost: false, guarded: { price: (2_010n * E18).toString() } });
    feeds.set(WETH_FEED, reading(2_010n * E8 + 1n, NOW)); // just above
    advance(1);
    await m.round();
    expect(chain.sent).toHaveLength(2);
    expect(chain.sent[1]!.marks.map((x) => [x.markNonce, x.price])).toEqual([[2n, 2_010n * E18 + 10n ** 10n]]);
  });

  it('refreshes a mark on the heartbeat once the oracle has a newer price', async () => {
    const m = marker();
    await m.round();
    advance(1800); // the marks are 1,830 s old; the feeds still answer their old round
    await m.round();
    expect(chain.sent).toHaveLength(1);
    expect(m.view().assets.map((a) => a.decision)).toEqual(['no-newer-price', 'no-newer-price']);
    feeds.set(USDC_FEED, reading(99_990_000n, NOW + 1790n));
    await m.round();
    expect(chain.sent).toHaveLength(2);
    expect(chain.sent[1]!.marks.map((x) => [x.asset, x.markNonce, x.priceTimestamp])).toEqual([[usdc.tokenBytes32, 2n, NOW + 1790n]]);
  });

  it('a stale, refused or unreadable price posts NOTHING for that asset: counted by reason, and its on-chain mark ages', async () => {
    const m = marker();
    await m.round();
    expect(metrics.gauge('ccr_mark_age_seconds', { asset: 'WETH@40101' })).toBe(30);
    // WETH: 2 h old (heartbeat 3,600 s) and 30 % down — stale, so nothing is posted.
    feeds.set(WETH_FEED, reading(1_400n * E8, NOW - 7200n));
    feeds.set(USDC_FEED, reading(0n, NOW));
    advance(60);
    expect(await m.round()).toEqual({ posted: 0, skipped: 2, txHash: null });
    advance(60);
    expect(await m.round()).toEqual({ posted: 0, skipped: 2, txHash: null });
    expect(chain.sent).toHaveLength(1);
    expect([skipped(weth, 'stale-price'), skipped(usdc, 'non-positive-price')]).toEqual([2, 2]);
    expect(metrics.gauge('ccr_mark_age_seconds', { asset: 'WETH@40101' })).toBe(150);
    expect(chain.markOf(40101, weth.tokenBytes32)).toMatchObject({ nonce: 1n, price: 2_000n * E18 });
    const view = m.view().assets[1]!;
    expect(view).toMatchObject({ skipped: { reason: 'stale-price' }, wouldPost: false, decision: null, onChain: { nonce: '1', ageSeconds: 150, stale: false } });
    expect(logger.warn.mock.calls.filter(([text]) => String(text).includes('WETH@40101 skipped: stale-price'))).toHaveLength(1); // logged once, counted every round
    feeds.set(USDC_FEED, new ChainRpcError('dst', 'latestRoundData', new Error('ECONNREFUSED')));
    advance(60);
    await m.round();
    expect(skipped(usdc, 'rpc-error')).toBe(1);
    expect(chain.sent).toHaveLength(1);
  });

  it('an unregistered asset is skipped (warned once); the others are posted', async () => {
    chain.configs.delete(`40101:${weth.tokenBytes32}`);
    const m = marker();
    expect(await m.round()).toMatchObject({ posted: 1, skipped: 1 });
    await m.round();
    expect(chain.sent.map((t) => t.marks.map((x) => x.asset))).toEqual([[usdc.tokenBytes32]]);
    expect(skipped(weth, 'unregistered-asset')).toBe(2);
    expect(logger.warn.mock.calls.filter(([text]) => String(text).includes('WETH@40101 is not registered'))).toHaveLength(1);
  });

  it('a mark the simulation refuses by index is dropped (would-revert) and the rest posted in the same round', async () => {
    const m = marker();
    chain.nextRevert = { name: 'InvalidMark', args: { index: '0', reason: '4' }, index: 0, selector: undefined };
    expect(await m.round()).toMatchObject({ posted: 1, skipped: 1 });
    expect(chain.simulations).toHaveLength(2);
    expect(chain.sent.map((t) => t.marks.map((x) => x.asset))).toEqual([[weth.tokenBytes32]]);
    expect(skipped(usdc, 'would-revert')).toBe(1);
    expect(m.view().assets[0]).toMatchObject({ skipped: { reason: 'would-revert', detail: 'InvalidMark(index=0, reason=4); the other marks are posted' }, lastError: 'would revert: InvalidMark(index=0, reason=4)' });
    await m.round(); // the next round marks USDC
    expect(chain.sent[1]!.marks.map((x) => [x.asset, x.markNonce])).toEqual([[usdc.tokenBytes32, 1n]]);
  });

  it('a batch-level revert (paused receiver) sends nothing, logs the decoded error, and the next round posts', async () => {
    const m = marker();
    chain.paused = true;
    expect(await m.round()).toEqual({ posted: 0, skipped: 0, txHash: null });
    expect(chain.sent).toHaveLength(0);
    expect(logger.error).toHaveBeenCalledWith('submitMarks of 2 mark(s) would revert: EnforcedPause(); trying again next round');
    expect(m.view()).toMatchObject({ lastError: 'would revert: EnforcedPause()', assets: [{ lastError: 'would revert: EnforcedPause()' }, { lastError: 'would revert: EnforcedPause()' }] });
    chain.paused = false;
    expect(await m.round()).toMatchObject({ posted: 2 });
    expect(m.view().assets.map((a) => [a.lastError, a.lastTxHash])).toEqual([[null, chain.sent[0]!.hash], [null, chain.sent[0]!.hash]]);
  });

  it('a transaction still pending holds the next round (no second mark on top); mined, it is settled and marking goes on', async () => {
    chain.autoMine = false;
    const m = marker({ receiptTimeoutMs: 0 });
    expect(await m.round()).toEqual({ posted: 0, skipped: 0, txHash: chain.sent[0]!.hash });
    expect(m.view().pendingTxHash).toBe(chain.sent[0]!.hash);
    const reads = chain.reads;
    expect(await m.round()).toEqual({ posted: 0, skipped: 0, txHash: null });
    expect([chain.reads, chain.sent.length]).toEqual([reads, 1]);
    chain.mine();
    expect(await m.round()).toEqual({ posted: 2, skipped: 0, txHash: null });
    expect(m.view().pendingTxHash).toBeNull();
    expect([posted(usdc), posted(weth)]).toEqual([1, 1]);
  });

  it('a pending transaction the node dropped is forgotten and the marks sent again', async () => {
    chain.autoMine = false;
    const m = marker({ receiptTimeoutMs: 0 });
    await m.round();
    chain.drop();
    chain.autoMine = true;
    expect(await m.round()).toMatchObject({ posted: 2 });
    expect(chain.sent).toHaveLength(1);
    expect(chain.sent[0]!.marks.map((x) => x.markNonce)).toEqual([1n, 1n]);
  });

  it('an RPC failure reading the receiver skips every asset (rpc-error) and fails the round', async () => {
    chain.readError = new ChainRpcError('dst', 'markOf', new Error('ECONNREFUSED'));
    const m = marker();
    await expect(m.round()).rejects.toThrow('dst: markOf failed');
    expect([skipped(usdc, 'rpc-error'), skipped(weth, 'rpc-error')]).toEqual([1, 1]);
    expect(m.view().lastError).toBe('ChainRpcError: dst: markOf failed: Error: ECONNREFUSED');
  });

  it('warns (once) when marks.heartbeatSeconds is not below the receiver’s heartbeat of an asset', async () => {
    const m = marker({ heartbeatSeconds: 3600 });
    await m.round();
    await m.round();
    const warnings = logger.warn.mock.calls.map(([text]) => String(text)).filter((t) => t.includes('heartbeatSeconds'));
    expect(warnings).toEqual([
      "marks.heartbeatSeconds (3600) is not below the receiver's heartbeat of USDC@40101 (3600 s): its mark can go stale before the marker refreshes it",
      "marks.heartbeatSeconds (3600) is not below the receiver's heartbeat of WETH@40101 (3600 s): its mark can go stale before the marker refreshes it",
    ]);
    const quiet = marker({ heartbeatSeconds: 3599 });
    logger.warn.mockClear();
    await quiet.round();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('GET /marks view: the on-chain mark with its age and staleness against the receiver heartbeat', async () => {
    const m = marker();
    await m.round();
    advance(3600);
    const view = m.view();
    expect(view.assets[1]).toEqual({
      srcEid: 40101,
      asset: weth.tokenBytes32,
      token: weth.config.token,
      symbol: 'WETH',
      label: 'WETH@40101',
      onChain: { price: (2_000n * E18).toString(), haircut: (E18 / 10n).toString(), timestamp: Number(NOW - 30n), nonce: '1', ageSeconds: 3630, heartbeatSeconds: 3600, stale: true, registered: true },
      guarded: { price: (2_000n * E18).toString(), haircut: (E18 / 10n).toString(), priceTimestamp: Number(NOW - 30n) },
      skipped: null,
      decision: 'first-mark',
      wouldPost: true,
      lastTxHash: chain.sent[0]!.hash,
      lastPostedAt: new Date(Number(NOW) * 1000).toISOString(),
      lastError: null,
    });
  });
});
