import { deployAggregator, deployLookalikeVault } from '../../contracts/ts/deploy';
import { aggregatorV3Interface, ethers, vaultInterface } from '../../contracts/ts/index';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import { mined } from '../support/tx';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

let anvil: AnvilInstance;
let deployer: ethers.Wallet;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: 31337 });
  const [d] = anvil.accounts;
  if (d === undefined) throw new Error('anvil accounts');
  deployer = d;
});

afterAll(async () => {
  await anvil?.stop();
});

test('MockV3Aggregator answers latestRoundData and can be made stale', async () => {
  const feed = await deployAggregator(deployer, { decimals: 8, initialAnswer: 3_000n * 10n ** 8n });
  const asV3 = new ethers.Contract(await feed.getAddress(), aggregatorV3Interface, anvil.provider);
  expect(await asV3.getFunction('decimals')()).toBe(8n);
  const block = await anvil.provider.getBlock('latest');
  const [round, answer, , updatedAt, answeredIn] = (await asV3.getFunction('latestRoundData')()) as bigint[]; // (uint80, int256, uint256, uint256, uint80): five bigints
  expect([round, answer, answeredIn]).toEqual([1n, 3_000n * 10n ** 8n, 1n]);
  expect(updatedAt).toBe(BigInt(block?.timestamp ?? -1));

  await (await feed.getFunction('updateAnswer').send(3_100n * 10n ** 8n)).wait();
  expect(((await asV3.getFunction('latestRoundData')()) as bigint[]).slice(0, 2)) // five uint/int outputs: bigints.toEqual([2n, 3_100n * 10n ** 8n]);

  await (await feed.getFunction('updateRoundData').send(7, 2_900n * 10n ** 8n, 1_000n, 999n)).wait();
  expect([...((await asV3.getFunction('latestRoundData')()) as bigint[])]) // five uint/int outputs: bigints.toEqual([7n, 2_900n * 10n ** 8n, 999n, 1_000n, 7n]);
  expect([...((await asV3.getFunction('getRoundData')(2)) as bigint[])].slice(0, 2)) // as latestRoundData: five bigints.toEqual([2n, 3_100n * 10n ** 8n]);
});

test('LookalikeVault emits a log the vault interface parses as Locked', async () => {
  const fake = await deployLookalikeVault(deployer);
  const receipt = await mined(fake.getFunction('fakeLock').send(40200, 1, ethers.ZeroHash.replace(/0$/, '1'), ethers.ZeroHash.replace(/0$/, '2'), deployer.address, 5n));
  const parsed = vaultInterface.parseLog(receipt.logs[0]!);
  expect(parsed?.name).toBe('Locked');
  expect(parsed?.args[6]).toBe(5n);
});
