import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { valueCollateral } from '@ccr/risk';
import type { FeedReading } from '../chains/chain-adapter';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import { AssetRegistry, type KnownAsset } from '../valuation/asset-registry';
import { feedToOraclePrice } from '../valuation/feed-price';
import { guardMark, MAX_MARK_PRICE } from './guard-mark';
import { stringContaining } from '../common/matchers.fixture';

const NOW = 1_750_000_000;
const WETH = '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9';
let dir: string;
let weth: KnownAsset;
let usdc: KnownAsset;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-guard-mark-'));
  const raw = fixtureConfig();
  raw.assets!.push({
    eid: 40101,
    token: WETH,
    symbol: 'WETH',
    decimals: 18,
    feed: { eid: 40200, address: '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707', heartbeatSeconds: 3600 },
    risk: { haircut: '0.05', ltv: '0.8', liquidationThreshold: '0.85', volatility: { annualVol: 0.8, horizonDays: 1, z: 2.326 }, confidenceK: '2' },
  });
  const registry = new AssetRegistry(buildConfig(raw, { env: FIXTURE_ENV, baseDir: dir })); // AppConfig is RelayerConfig by declaration merging
  [usdc, weth] = registry.all() as [KnownAsset, KnownAsset]; // the fixture's USDC, then the WETH pushed above
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const reading = (answer: bigint, updatedAt = NOW - 30, blockTimestamp = NOW): FeedReading => ({ roundId: 1n, answer, decimals: 8, updatedAt: BigInt(updatedAt), blockTimestamp: BigInt(blockTimestamp) });
const wall = new Date(NOW * 1000);

describe('guardMark', () => {
  it('prices exactly as the valuation stage values a deposit: valueCollateral’s price (after confidence), haircut and timestamp', () => {
    for (const [asset, answer] of [[weth, 2_000_12345678n], [usdc, 99_990_000n]] as const) {
      const r = reading(answer);
      const valued = valueCollateral({ amount: 10n ** 18n, decimals: asset.config.decimals, price: feedToOraclePrice(r, 'x'), config: asset.risk, now: BigInt(NOW) });
      expect(guardMark(asset, r, wall)).toEqual({ candidate: { price: valued.price, haircut: valued.haircut, priceTimestamp: BigInt(NOW - 30) } });
    }
    // WETH: max(5 %, 1 − e^(−2.326 · 0.8 · √(1/365))) — the volatility haircut wins
    expect(guardMark(weth, reading(2_000n * 10n ** 8n), wall)).toEqual({ candidate: { price: 2_000n * 10n ** 18n, haircut: 92_805_785_655_844_690n, priceTimestamp: BigInt(NOW - 30) } });
  });

  it('guards at the later of the wall clock and the feed chain’s block time', () => {
    // 3,599 s old by the wall clock, 3,601 s by the chain, which runs ahead: stale
    expect(guardMark(weth, reading(2_000n * 10n ** 8n, NOW - 3599, NOW + 2), wall)).toMatchObject({ refused: { reason: 'stale-price' } });
    expect(guardMark(weth, reading(2_000n * 10n ** 8n, NOW - 3599, NOW - 100), wall)).toMatchObject({ candidate: { price: 2_000n * 10n ** 18n } });
  });

  it('returns every refusal of the guard with its reason, never throws', () => {
    expect(guardMark(weth, reading(2_000n * 10n ** 8n, NOW - 3601), wall)).toEqual({ refused: { reason: 'stale-price', detail: stringContaining('3601s old, heartbeat is 3600s') } });
    expect(guardMark(weth, reading(0n), wall)).toMatchObject({ refused: { reason: 'non-positive-price' } });
    expect(guardMark(weth, reading(-5n), wall)).toMatchObject({ refused: { reason: 'non-positive-price' } });
    expect(guardMark(weth, reading(2_000n * 10n ** 8n, NOW + 60), wall)).toMatchObject({ refused: { reason: 'future-price' } });
  });

  it('refuses a price the receiver cannot store (≥ 2^112)', () => {
    const answer = (MAX_MARK_PRICE + 1n) / 10n ** 10n + 1n; // 8 decimals → 18
    expect(guardMark(usdc, reading(answer), wall)).toEqual({ refused: { reason: 'price-out-of-bounds', detail: `price ${answer * 10n ** 10n} is above the receiver's uint112` } });
  });
});
