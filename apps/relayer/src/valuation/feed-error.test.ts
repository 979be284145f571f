import { Logger } from '@nestjs/common';
import type { ChainAdapter, FeedReading } from '../chains/chain-adapter';
import type { ChainRegistry } from '../chains/chain-registry';
import { ChainRpcError, FeedCallError, FeedMissingError } from '../chains/chain-errors';
import type { AppConfig } from '../config/app-config';
import { FIXTURE_ENV, fixtureConfig } from '../config/config.fixture';
import { buildConfig } from '../config/load-config';
import { DepositState, HeldReason } from '../store/deposit-state';
import { DepositRepository } from '../store/deposit.repository';
import { openTestStore, type TestStore } from '../store/test-store.fixture';
import { insertObserved } from '../store/transition';
import { AssetRegistry } from './asset-registry';
import { feedHoldReason } from './feed-price';
import { ValuationService } from './valuation.service';

const USDC = `0x000000000000000000000000${'9fe46736679d2d9a65f0992f2272de9f3c7fa6e0'}`;
const FEED = `0x${'fe'.repeat(20)}`;

let store: TestStore;
let repo: DepositRepository;
let service: ValuationService;
let feedError: Error;

beforeAll(() => {
  Logger.overrideLogger(false);
});

beforeEach(async () => {
  store = await openTestStore();
  repo = new DepositRepository(store.db, store.clock);
  const config: AppConfig = buildConfig({ ...fixtureConfig(), retry: { unitMs: 1000 } }, { env: FIXTURE_ENV, baseDir: '/tmp' }); // AppConfig is RelayerConfig by declaration merging
  const adapter: Pick<ChainAdapter, 'readFeed'> = { readFeed: (): Promise<FeedReading> => Promise.reject(feedError) };
  const chains = { get: () => adapter } as unknown as ChainRegistry; // only get().readFeed is used by the service
  service = new ValuationService(repo, new AssetRegistry(config), chains, store.clock, config);
});

afterEach(async () => {
  await store.close();
});

async function finalDeposit(n: number): Promise<string> {
  const guid = `0x${n.toString(16).padStart(64, '0')}`;
  await store.db.write((em) =>
    insertObserved(em, { guid, srcEid: 40101, srcVault: `0x${'11'.repeat(32)}`, dstEid: 40200, nonce: BigInt(n), depositor: `0x${'22'.repeat(32)}`, account: `0x${'33'.repeat(32)}`, token: USDC, amount: '1000000', blockNumber: 1, blockHash: guid, txHash: guid, logIndex: 0 }, store.clock.now()),
  );
  await repo.move(guid, DepositState.OBSERVED, DepositState.FINAL);
  return guid;
}

describe('feed problems are held as feed problems', () => {
  it('maps each feed error to its reason (rpc-error only for endpoint faults)', () => {
    expect(feedHoldReason(new FeedMissingError('dst', FEED, 'latest'))).toBe(HeldReason.FeedMissing);
    expect(feedHoldReason(new FeedCallError('dst', FEED, 'latestRoundData', new Error('execution reverted')))).toBe(HeldReason.FeedError);
    expect(feedHoldReason(new ChainRpcError('dst', 'latestRoundData', new Error('ECONNREFUSED')))).toBe(HeldReason.RpcError);
    expect(feedHoldReason(new Error('anything else'))).toBe(HeldReason.RpcError);
    expect([HeldReason.FeedError, HeldReason.FeedMissing]).toEqual(['feed-error', 'feed-missing']);
  });

  it('holds a deposit whose feed has no code as feed-missing, and one whose feed reverts as feed-error, with the retry schedule', async () => {
    const missing = await finalDeposit(1);
    feedError = new FeedMissingError('dst', FEED, 'latest');
    expect(await service.valueDue()).toEqual({ valued: 0, held: 1 });
    expect(await repo.get(missing)).toMatchObject({ state: DepositState.HELD, reason: 'feed-missing', reasonDetail: `FeedMissingError: dst: price feed ${FEED} has no code at block latest`, attempts: 1 });

    const reverted = await finalDeposit(2);
    feedError = new FeedCallError('dst', FEED, 'latestRoundData', new Error('execution reverted'));
    store.clock.advance(60_000);
    expect(await service.valueDue()).toEqual({ valued: 0, held: 2 });
    expect(await repo.get(reverted)).toMatchObject({ state: DepositState.HELD, reason: 'feed-error', reasonDetail: `FeedCallError: dst: price feed ${FEED} latestRoundData() failed: Error: execution reverted`, attempts: 1 });
    expect(await repo.get(missing)).toMatchObject({ state: DepositState.HELD, reason: 'feed-error', attempts: 2 });
  });
});
