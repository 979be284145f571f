import { deployTestToken } from '../../contracts/ts/deploy';
import { ethers } from '../../contracts/ts/index';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import { deployCreditSystem, toBytes32, type CreditSystem } from '../support/deploy';
import { expectRevert } from './expectRevert';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

const CHAIN_ID = 31337;
const ACCOUNT = toBytes32('0x70997970C51812dc3A010C7d01b50e0d17DC79C8');
const MINIMUM = 1_000_000n;

let anvil: AnvilInstance;
let deployer: ethers.Wallet;
let attester: ethers.Wallet;
let user: ethers.Wallet;
let s: CreditSystem;
/** A FeeOnTransferERC20 taking 1 % of each transfer, listed on `s.vault` with no minimum. */
let feeToken: ethers.Contract;
let feeTokenAddress: string;
let snapshot: string;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
  const [d, a, u] = anvil.accounts;
  if (d === undefined || a === undefined || u === undefined) throw new Error('anvil accounts');
  [deployer, attester, user] = [d, a, u];
  s = await deployCreditSystem({ deployer, attesters: [attester.address], threshold: 1, chainId: CHAIN_ID });
  feeToken = await deployTestToken(deployer, { name: 'Fee', symbol: 'FEE', decimals: 6, feeBps: 100 });
  feeTokenAddress = await feeToken.getAddress();
  await send(s.vault, 'setAsset', [feeTokenAddress, true, 10n ** 30n]);
  for (const token of [s.token, feeToken]) {
    await send(token, 'mint', [user.address, 10n ** 12n]);
    await send(token, 'approve', [s.vaultAddress, ethers.MaxUint256], user);
  }
  snapshot = await anvil.rpc<string>('evm_snapshot');
});

afterAll(async () => {
  await anvil?.stop();
});

beforeEach(async () => {
  await anvil.rpc('evm_revert', [snapshot]);
  snapshot = await anvil.rpc<string>('evm_snapshot');
});

function fn(c: ethers.Contract, name: string, runner?: ethers.Signer): ethers.BaseContractMethod {
  return (runner === undefined ? c : (c.connect(runner) as ethers.Contract)).getFunction(name); // connect() keeps the ABI
}

async function send(c: ethers.Contract, name: string, args: unknown[], runner?: ethers.Signer): Promise<ethers.TransactionReceipt> {
  const tx = (await fn(c, name, runner)(...args)) as ethers.ContractTransactionResponse; // non-view function
  const receipt = await tx.wait();
  if (receipt === null) throw new Error('no receipt');
  return receipt;
}

function eventArgs(receipt: ethers.TransactionReceipt, name: string): unknown[] {
  const log = receipt.logs.filter((l) => l.address === s.vaultAddress).map((l) => s.vault.interface.parseLog(l)).find((l) => l?.name === name);
  if (log === undefined || log === null) throw new Error(`no ${name} event`);
  return [...log.args];
}

async function totalLocked(token: string): Promise<bigint> {
  const [, , locked] = (await fn(s.vault, 'assets')(token)) as [boolean, bigint, bigint]; // (bool, uint128, uint128)
  return locked;
}

describe('CollateralVault minimum lock', () => {
  test('defaults to 0: a lock of one base unit goes through', async () => {
    expect(await fn(s.vault, 'minLock')(s.tokenAddress)).toBe(0n);
    const receipt = await send(s.vault, 'lock', [s.tokenAddress, 1n, ACCOUNT], user);
    expect(eventArgs(receipt, 'Locked')[6]).toBe(1n);
  });

  test('setMinLock records the minimum, emits MinLockSet and leaves the allow-list entry alone', async () => {
    const receipt = await send(s.vault, 'setMinLock', [s.tokenAddress, MINIMUM]);
    expect(eventArgs(receipt, 'MinLockSet')).toEqual([s.tokenAddress, MINIMUM]);
    expect(await fn(s.vault, 'minLock')(s.tokenAddress)).toBe(MINIMUM);
    expect([...(await fn(s.vault, 'assets').staticCallResult(s.tokenAddress))]).toEqual([true, 10n ** 30n, 0n]);
    // Re-capping the asset keeps its minimum, and a minimum can be lifted again.
    await send(s.vault, 'setAsset', [s.tokenAddress, true, 10n ** 20n]);
    expect(await fn(s.vault, 'minLock')(s.tokenAddress)).toBe(MINIMUM);
    await send(s.vault, 'setMinLock', [s.tokenAddress, 0n]);
    await send(s.vault, 'lock', [s.tokenAddress, 1n, ACCOUNT], user);
  });

  test('lock reverts if below the minimum (BelowMinimumLock), succeeds at and above it', async () => {
    await send(s.vault, 'setMinLock', [s.tokenAddress, MINIMUM]);
    await expectRevert(fn(s.vault, 'lock', user)(s.tokenAddress, MINIMUM - 1n, ACCOUNT), s.vault.interface, 'BelowMinimumLock', [s.tokenAddress, MINIMUM - 1n, MINIMUM]);
    await expectRevert(fn(s.vault, 'lock', user)(s.tokenAddress, 1n, ACCOUNT), s.vault.interface, 'BelowMinimumLock', [s.tokenAddress, 1n, MINIMUM]);
    expect(await totalLocked(s.tokenAddress)).toBe(0n);

    const at = await send(s.vault, 'lock', [s.tokenAddress, MINIMUM, ACCOUNT], user);
    expect(eventArgs(at, 'Locked')[6]).toBe(MINIMUM);
    const above = await send(s.vault, 'lock', [s.tokenAddress, MINIMUM + 1n, ACCOUNT], user);
    expect(eventArgs(above, 'Locked')[6]).toBe(MINIMUM + 1n);
    expect(await totalLocked(s.tokenAddress)).toBe(2n * MINIMUM + 1n);
    expect(await fn(s.token, 'balanceOf')(s.vaultAddress)).toBe(2n * MINIMUM + 1n);
  });

  test('a fee-on-transfer token is compared on what arrived, not on the amount asked', async () => {
    await send(s.vault, 'setMinLock', [feeTokenAddress, MINIMUM]);
    // 1 % fee: asking for exactly the minimum delivers 990,000.
    await expectRevert(fn(s.vault, 'lock', user)(feeTokenAddress, MINIMUM, ACCOUNT), s.vault.interface, 'BelowMinimumLock', [feeTokenAddress, 990_000n, MINIMUM]);
    // 1,010,101 − floor(1 % of it) = 1,010,101 − 10,101 = 1,000,000 arrives: exactly the minimum.
    const at = await send(s.vault, 'lock', [feeTokenAddress, 1_010_101n, ACCOUNT], user);
    expect(eventArgs(at, 'Locked')[6]).toBe(MINIMUM);
    // 1,010,100 − 10,101 = 999,999 arrives: one below.
    await expectRevert(fn(s.vault, 'lock', user)(feeTokenAddress, 1_010_100n, ACCOUNT), s.vault.interface, 'BelowMinimumLock', [feeTokenAddress, 999_999n, MINIMUM]);
    expect(await totalLocked(feeTokenAddress)).toBe(MINIMUM);
  });

  test('the minimum is per asset: another asset keeps no minimum', async () => {
    await send(s.vault, 'setMinLock', [s.tokenAddress, MINIMUM]);
    expect(await fn(s.vault, 'minLock')(feeTokenAddress)).toBe(0n);
    await send(s.vault, 'lock', [feeTokenAddress, 100n, ACCOUNT], user);
    expect(await totalLocked(feeTokenAddress)).toBe(99n);
  });

  test('the minimum may be set before an asset is listed, and is checked once it is', async () => {
    const later = await deployTestToken(deployer, { name: 'Later', symbol: 'LTR', decimals: 18 });
    const laterAddress = await later.getAddress();
    await send(s.vault, 'setMinLock', [laterAddress, 10n ** 18n]);
    await expectRevert(fn(s.vault, 'lock', user)(laterAddress, 10n ** 18n, ACCOUNT), s.vault.interface, 'AssetNotAllowed', [laterAddress]);
    await send(s.vault, 'setAsset', [laterAddress, true, 10n ** 30n]);
    await send(later, 'mint', [user.address, 10n ** 18n]);
    await send(later, 'approve', [s.vaultAddress, ethers.MaxUint256], user);
    await expectRevert(fn(s.vault, 'lock', user)(laterAddress, 10n ** 18n - 1n, ACCOUNT), s.vault.interface, 'BelowMinimumLock', [laterAddress, 10n ** 18n - 1n, 10n ** 18n]);
    await send(s.vault, 'lock', [laterAddress, 10n ** 18n, ACCOUNT], user);
  });

  test('setMinLock reverts for a non-owner (OwnableUnauthorizedAccount) and for the zero token (AssetNotAllowed)', async () => {
    await expectRevert(fn(s.vault, 'setMinLock', user)(s.tokenAddress, 1n), s.vault.interface, 'OwnableUnauthorizedAccount', [user.address]);
    await expectRevert(fn(s.vault, 'setMinLock')(ethers.ZeroAddress, 1n), s.vault.interface, 'AssetNotAllowed', [ethers.ZeroAddress]);
    expect(await fn(s.vault, 'minLock')(s.tokenAddress)).toBe(0n);
  });
});
