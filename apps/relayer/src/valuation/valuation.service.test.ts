import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { valueCollateral } from '@ccr/risk';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChainAdapter, FeedReading } from '../chains/chain-adapter';
import type { ChainRegistry } from '../chains/chain-registry';
import { ChainRpcError } from '../chains/chain-errors';
import { ManualClock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import { toAssetRiskConfig } from '../config/validate-asset-risk';
import { dataSourceOptions } from '../store/data-source-options';
import { Database } from '../store/database';
import { DepositState } from '../store/deposit-state';
import { DepositRepository } from '../store/deposit.repository';
import { insertObserved } from '../store/transition';
import { LimitsRepository } from '../limits/limits.repository';
import { LimitsService } from '../limits/limits.service';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { AssetRegistry } from './asset-registry';
import { ValuationService } from './valuation.service';
import { stringContaining } from '../common/matchers.fixture';

const NOW = 1_750_000_000;
const USDC = `0x000000000000000000000000${'9fe46736679d2d9a65f0992f2272de9f3c7fa6e0'}`;

let dir: string;
let ds: DataSource;
let repo: DepositRepository;
let clock: ManualClock;
let feed: { reading?: FeedReading; error?: Error };
let service: ValuationService;
let config: AppConfig;
let n = 0;

beforeAll(() => {
  Logger.overrideLogger(false);
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ccr-valuation-'));
  ds = await new DataSource(dataSourceOptions(join(dir, 'relayer.sqlite'))).initialize();
  clock = new ManualClock(new Date(NOW * 1000));
  repo = new DepositRepository(new Database(ds), clock);
  config = buildConfig({ ...fixtureConfig(), retry: { unitMs: 1000 } }, { env: FIXTURE_ENV, baseDir: dir }); // AppConfig is RelayerConfig by declaration merging
  feed = { reading: { roundId: 1n, answer: 99_990_000n, decimals: 8, updatedAt: BigInt(NOW - 60), blockTimestamp: BigInt(NOW) } };
  // One layer under test: the chain is a stub that returns `feed` (chain behaviour is covered by the anvil tests).
  const adapter: Pick<ChainAdapter, 'readFeed'> = {
    // eslint-disable-next-line @typescript-eslint/require-await -- a scripted feed error must reach the service as a rejection, like a failed read
    readFeed: async () => {
      if (feed.error !== undefined) throw feed.error;
      return feed.reading!;
    },
  };
  const chains = { get: () => adapter } as unknown as ChainRegistry; // only get().readFeed is used by the service
  service = new ValuationService(repo, new AssetRegistry(config), chains, clock, config, new LimitsService(config, new LimitsRepository(new Database(ds)), clock, new MetricsRegistry()));
});

afterEach(async () => {
  await ds.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function finalDeposit(token = USDC, amount = 1_500_000_000n): Promise<string> {
  n++;
  const guid = `0x${n.toString(16).padStart(64, '0')}`;
  const db = new Database(ds);
  await db.write((em) =>
    insertObserved(
      em,
      { guid, srcEid: 40101, srcVault: `0x${'11'.repeat(32)}`, dstEid: 40200, nonce: BigInt(n), depositor: `0x${'22'.repeat(32)}`, account: `0x${'33'.repeat(32)}`, token, amount: amount.toString(), blockNumber: 1, blockHash: guid, txHash: guid, logIndex: 0 },
      clock.now(),
    ),
  );
  await repo.move(guid, DepositState.OBSERVED, DepositState.FINAL);
  return guid;
}

describe('ValuationService', () => {
  it('values a FINAL deposit exactly as @ccr/risk valueCollateral does', async () => {
    const guid = await finalDeposit();
    expect(await service.valueDue()).toEqual({ valued: 1, held: 0 });
    const d = await repo.get(guid);
    const expected = valueCollateral({
      amount: 1_500_000_000n,
      decimals: 6,
      price: { price: 999_900_000_000_000_000n, timestamp: BigInt(NOW - 60) },
      config: toAssetRiskConfig(config.assets[0]!),
      now: BigInt(NOW),
    });
    expect(d.state).toBe(DepositState.VALUED);
    expect([d.haircutValue, d.price, d.priceTimestamp, d.haircut, d.sizeWeight, d.assetDecimals, d.symbol]).toEqual([
      expected.haircutValue.toString(),
      '999900000000000000',
      NOW - 60,
      expected.haircut.toString(),
      expected.sizeWeight.toString(),
      6,
      'USDC',
    ]);
    expect(d.haircutValue).toBe('1469853000000000000000'); // 1500 · 0.9999 · 0.98
  });

  it('holds an unknown token (unsupported-asset) instead of dropping it', async () => {
    const guid = await finalDeposit(`0x${'77'.repeat(32)}`);
    await service.valueDue();
    expect(await repo.get(guid)).toMatchObject({ state: DepositState.HELD, reason: 'unsupported-asset', attempts: 1 });
  });

  it('holds on a stale price with the retry time, and values once the feed is fresh and the time has come', async () => {
    const guid = await finalDeposit();
    feed.reading = { ...feed.reading!, updatedAt: BigInt(NOW - 86_401) };
    await service.valueDue();
    let d = await repo.get(guid);
    expect([d.state, d.reason, d.nextAttemptAt!.getTime()]).toEqual([DepositState.HELD, 'stale-price', (NOW + 5) * 1000]);
    feed.reading = { ...feed.reading, updatedAt: BigInt(NOW) };
    expect(await service.valueDue()).toEqual({ valued: 0, held: 0 }); // not due yet
    clock.advance(5000);
    expect(await service.valueDue()).toEqual({ valued: 1, held: 0 });
    d = await repo.get(guid);
    expect([d.state, d.attempts, d.nextAttemptAt]).toEqual([DepositState.VALUED, 0, null]);
  });

  it('maps other oracle refusals and RPC failures to their reasons', async () => {
    const a = await finalDeposit();
    feed.reading = { ...feed.reading!, answer: 0n };
    await service.valueDue();
    expect((await repo.get(a)).reason).toBe('non-positive-price');

    const b = await finalDeposit();
    feed.reading = { ...feed.reading, answer: 100_000_000n, updatedAt: BigInt(NOW + 60) };
    await service.valueDue();
    expect((await repo.get(b)).reason).toBe('future-price');

    const c = await finalDeposit();
    feed.error = new ChainRpcError('dst', 'latestRoundData', new Error('ECONNREFUSED'));
    clock.advance(60_000);
    await service.valueDue();
    expect(await repo.get(c)).toMatchObject({ state: DepositState.HELD, reason: 'rpc-error', reasonDetail: stringContaining('ECONNREFUSED') });
  });

  it('sends a VALUED deposit whose price outlived the heartbeat back through valuation', async () => {
    const guid = await finalDeposit();
    await service.valueDue();
    clock.advance(86_400 * 1000);
    await service.valueDue();
    expect(await repo.get(guid)).toMatchObject({ state: DepositState.HELD, reason: 'stale-price' });
    expect((await repo.history(guid)).map((t) => t.to)).toEqual(['OBSERVED', 'FINAL', 'VALUED', 'HELD']);
  });
});
