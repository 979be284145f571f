/**
 * The receiver's token-bucket rate limit per source chain (IMarginCreditReceiver.setRateLimit): the attested value of
 * the CREDIT messages (haircutValue, counted in micro-USD rounded up) may not exceed the bucket, refilled per second
 * up to its capacity; checked per message (the offending index is named), written back once per path and batch.
 */
import { ethers } from '../../contracts/ts/index';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import { SRC_EID, creditPacket, deployCreditSystem, submitPackets, toBytes32, voidPacket, type CreditSystem } from '../support/deploy';
import { expectRevert } from './expectRevert';

jest.setTimeout(120_000);

const CHAIN_ID = 31337;
const USD = 10n ** 18n;
const MICRO = 10n ** 12n; // one micro-USD in USD-18
const ACCOUNT = '0x70997970C51812dc3A010C7d01b50e0d17DC79C8';

let anvil: AnvilInstance;
let s: CreditSystem;
let attester: ethers.Wallet;
let stranger: ethers.Wallet;
let snapshot: string;
let nonce: bigint;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
  const [deployer, a, x] = anvil.accounts;
  attester = a!;
  stranger = x!;
  s = await deployCreditSystem({ deployer: deployer!, attesters: [attester.address], threshold: 1, chainId: CHAIN_ID });
  snapshot = await anvil.rpc<string>('evm_snapshot');
});

beforeEach(async () => {
  await anvil.provider.send('evm_revert', [snapshot]);
  snapshot = await anvil.rpc<string>('evm_snapshot');
  nonce = 0n;
});

afterAll(async () => {
  await anvil?.stop();
});

const iface = (): ethers.Interface => s.receiver.interface;
const credit = (value: bigint): string => creditPacket(s, ++nonce, ACCOUNT, { haircutValue: value });
const latest = async (): Promise<bigint> => BigInt((await anvil.provider.getBlock('latest'))!.timestamp);
/** The next transaction's block gets timestamp `t`. */
const at = async (t: bigint): Promise<void> => {
  await anvil.provider.send('evm_setNextBlockTimestamp', [Number(t)]);
};
const limit = async (capacity: bigint, refill: bigint): Promise<bigint> => {
  const t = (await latest()) + 10n;
  await at(t);
  await (await s.receiver.getFunction('setRateLimit').send(SRC_EID, capacity, refill)).wait();
  return t;
};
const available = async (): Promise<bigint> => ((await s.receiver.getFunction('rateLimit')(SRC_EID)) as [bigint, bigint, bigint])[2]; // (uint40, uint40, uint256)

test('without a limit any value passes and rateLimit reports none', async () => {
  await (await submitPackets(s, [attester], [credit(2n ** 127n)])).wait();
  expect(await s.receiver.getFunction('rateLimit')(SRC_EID)).toEqual([0n, 0n, ethers.MaxUint256]);
});

test('setRateLimit: owner only, needs the pathway, starts full, keeps the path nonce', async () => {
  await (await submitPackets(s, [attester], [credit(USD), credit(USD)])).wait();
  const asStranger = s.receiver.connect(stranger) as ethers.Contract; // connect() returns BaseContract; same ABI
  await expectRevert(asStranger.getFunction('setRateLimit')(SRC_EID, 1_000n, 1n), iface(), 'OwnableUnauthorizedAccount', [stranger.address]);
  await expectRevert(s.receiver.getFunction('setRateLimit')(40_999, 1_000n, 1n), iface(), 'VaultNotSet', [40_999n]);
  const t = await limit(1_000n, 2n);
  expect(await s.receiver.getFunction('lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(2n);
  const rateLimitSet = await s.receiver.queryFilter(s.receiver.filters.RateLimitSet!());
  expect(rateLimitSet.map((e): unknown[] => (e as ethers.EventLog).args.toArray())) // a filter built from the ABI yields decoded EventLogs.toEqual([[BigInt(SRC_EID), 1_000n, 2n]]);
  await anvil.provider.send('evm_mine', [Number(t)]); // a block at the same second: nothing refilled beyond the capacity
  expect(await available()).toBe(1_000n * USD);
});

test('a credit over what is available reverts RateLimited naming the message; the bucket refills per second up to its capacity', async () => {
  const t0 = await limit(1_000n, 1n); // 1,000 USD, +1 USD per second
  await at(t0 + 1n);
  await (await submitPackets(s, [attester], [credit(600n * USD)])).wait(); // 1,000 (full: capped) − 600 = 400 left
  await at(t0 + 2n);
  // 400 + 1 (one second) = 401 available: 300 fits, then 300 + 200 = 500 does not — index 1 named, nothing applied.
  await expectRevert(
    submitPackets(s, [attester], [credit(300n * USD), credit(200n * USD)]),
    iface(),
    'RateLimited',
    [1n, BigInt(SRC_EID), 500n * 10n ** 6n, 401n * 10n ** 6n],
  );
  nonce -= 2n;
  await at(t0 + 100n); // 400 + 99 = 499 available
  await (await submitPackets(s, [attester], [credit(300n * USD), credit(199n * USD)])).wait();
  await anvil.provider.send('evm_mine', [Number(t0 + 100n)]);
  expect(await available()).toBe(0n);
  await anvil.provider.send('evm_mine', [Number(t0 + 10_000n)]);
  expect(await available()).toBe(1_000n * USD); // capped at the capacity
});

test('value is counted in micro-USD rounded up; VOIDs count nothing', async () => {
  const t0 = await limit(1n, 0n); // 1 USD, no refill
  await at(t0 + 1n);
  // 0.5 USD + 1 wei → 500,001 micro-USD; a VOID of a large deposit counts nothing; 499,999 micro-USD more fits exactly.
  await (await submitPackets(s, [attester], [credit(USD / 2n + 1n), voidPacket(s, ++nonce, ACCOUNT, ACCOUNT, { rawAmount: 5n * 10n ** 9n }), credit(USD / 2n - MICRO)])).wait();
  expect(await available()).toBe(0n);
  await at(t0 + 2n);
  await expectRevert(submitPackets(s, [attester], [credit(1n)]), iface(), 'RateLimited', [0n, BigInt(SRC_EID), 1n, 0n]);
});
