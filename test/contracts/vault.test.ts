import { deployTestToken, deployVault } from '../../contracts/ts/deploy';
import { ethers } from '../../contracts/ts/index';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import { DST_EID, SRC_EID, computeGuid, creditPacket, deployCreditSystem, submitPackets, toBytes32, type CreditSystem } from '../support/deploy';
import { expectRevert } from './expectRevert';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

const CHAIN_ID = 31337;
const ACCOUNT = toBytes32('0x70997970C51812dc3A010C7d01b50e0d17DC79C8');

let anvil: AnvilInstance;
let deployer: ethers.Wallet;
let attester: ethers.Wallet;
let user: ethers.Wallet;
let snapshot: string;
let base: CreditSystem;
let capped: CreditSystem;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
  const [d, a, u] = anvil.accounts;
  if (d === undefined || a === undefined || u === undefined) throw new Error('anvil accounts');
  [deployer, attester, user] = [d, a, u];
  base = await deploySetup(10n ** 30n);
  capped = await deploySetup(1_000n);
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

/** Vault + receiver + USDC (cap 10^30, or 1000 when `smallCap`), deployed once before the snapshot. */
function setup(smallCap = false): CreditSystem {
  return smallCap ? capped : base;
}

/** Vault + receiver + USDC (cap `cap`), `user` holding 10^12 base units approved to the vault. */
async function deploySetup(cap: bigint): Promise<CreditSystem> {
  const s = await deployCreditSystem({ deployer, attesters: [attester.address], threshold: 1, chainId: CHAIN_ID, cap });
  await send(s.token, 'mint', [user.address, 10n ** 12n]);
  await send(s.token, 'approve', [s.vaultAddress, ethers.MaxUint256], user);
  return s;
}

function lockedEvent(s: CreditSystem, receipt: ethers.TransactionReceipt): ethers.LogDescription {
  const parsed = receipt.logs.filter((l) => l.address === s.vaultAddress).map((l) => s.vault.interface.parseLog(l));
  const locked = parsed.find((l) => l?.name === 'Locked');
  if (locked === undefined || locked === null) throw new Error('no Locked event');
  return locked;
}

describe('CollateralVault', () => {
  test('lock pulls the tokens, bumps the nonce and emits Locked with the LayerZero guid', async () => {
    const s = setup();
    const receipt = await send(s.vault, 'lock', [s.tokenAddress, 1_000_000n, ACCOUNT], user);
    const guid = computeGuid({ nonce: 1n, srcEid: SRC_EID, sender: toBytes32(s.vaultAddress), dstEid: DST_EID, receiver: toBytes32(s.receiverAddress) });
    expect([...lockedEvent(s, receipt).args]).toEqual([BigInt(DST_EID), 1n, guid, user.address, ACCOUNT, s.tokenAddress, 1_000_000n]);
    expect(await fn(s.token, 'balanceOf')(s.vaultAddress)).toBe(1_000_000n);
    expect(await fn(s.vault, 'outboundNonce')(DST_EID, toBytes32(s.receiverAddress))).toBe(1n);
    expect([...(await fn(s.vault, 'assets').staticCallResult(s.tokenAddress))]).toEqual([true, 10n ** 30n, 1_000_000n]);

    const second = await send(s.vault, 'lock', [s.tokenAddress, 5n, ACCOUNT], user);
    expect(lockedEvent(s, second).args[1]).toBe(2n);
  });

  test('lock static call returns guid, nonce and received amount', async () => {
    const s = setup();
    const [guid, nonce, received] = (await fn(s.vault, 'lock', user).staticCall(s.tokenAddress, 7n, ACCOUNT)) as [string, bigint, bigint]; // lock returns (bytes32 guid, uint64 nonce, uint256 received)
    expect(nonce).toBe(1n);
    expect(received).toBe(7n);
    expect(guid).toBe(computeGuid({ nonce: 1n, srcEid: SRC_EID, sender: toBytes32(s.vaultAddress), dstEid: DST_EID, receiver: toBytes32(s.receiverAddress) }));
  });

  test('a lock travels to the receiver: the packet built from the Locked event is credited', async () => {
    const s = setup();
    const receipt = await send(s.vault, 'lock', [s.tokenAddress, 2_500_000n, ACCOUNT], user);
    const ev = lockedEvent(s, receipt);
    const nonce = ev.args[1] as bigint; // uint64 decodes to bigint
    const packet = creditPacket(s, nonce, ev.args[4] as string, { rawAmount: ev.args[6] as bigint }); // bytes32 → string, uint256 → bigint
    expect(packet.slice(2 + 81 * 2, 2 + 113 * 2)).toBe((ev.args[2] as string).slice(2)); // guid in the packet = guid in the event
    const credited = await (await submitPackets(s, [attester], [packet])).wait();
    // The receiver rebuilt the same GUID from the message alone (the compact submit carries no header).
    const event = credited?.logs.map((l) => s.receiver.interface.parseLog(l)).find((l) => l?.name === 'Credited');
    const key = (await fn(s.receiver, 'assetKey')(SRC_EID, toBytes32(s.tokenAddress))) as string; // bytes32 → string
    expect([...(event?.args ?? [])]).toEqual([ev.args[2], ACCOUNT, key, 2_500_000n]);
    const [raw, frozen] = (await fn(s.receiver, 'position')(ACCOUNT, SRC_EID, toBytes32(s.tokenAddress))) as [bigint, bigint]; // (uint128, uint128)
    expect([raw, frozen]).toEqual([2_500_000n, 0n]);
    expect(await fn(s.receiver, 'lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(nonce);
  });

  test('lock reverts if the amount is zero', async () => {
    const s = setup();
    await expectRevert(fn(s.vault, 'lock', user)(s.tokenAddress, 0n, ACCOUNT), s.vault.interface, 'ZeroAmount');
  });

  test('lock reverts if the account is zero', async () => {
    const s = setup();
    await expectRevert(fn(s.vault, 'lock', user)(s.tokenAddress, 1n, ethers.ZeroHash), s.vault.interface, 'ZeroAccount');
  });

  test('lock reverts if the token is not listed or was delisted', async () => {
    const s = setup();
    const other = await deployTestToken(deployer, { name: 'Other', symbol: 'OTH', decimals: 18 });
    const otherAddress = await other.getAddress();
    await expectRevert(fn(s.vault, 'lock', user)(otherAddress, 1n, ACCOUNT), s.vault.interface, 'AssetNotAllowed', [otherAddress]);
    const receipt = await send(s.vault, 'setAsset', [s.tokenAddress, false, 10n ** 30n]);
    expect([...(s.vault.interface.parseLog(receipt.logs[0] as ethers.Log)?.args ?? [])]).toEqual([s.tokenAddress, false, 10n ** 30n]); // one AssetSet log
    await expectRevert(fn(s.vault, 'lock', user)(s.tokenAddress, 1n, ACCOUNT), s.vault.interface, 'AssetNotAllowed', [s.tokenAddress]);
  });

  test('lock reverts if the total locked would exceed the cap', async () => {
    const s = setup(true);
    await send(s.vault, 'lock', [s.tokenAddress, 600n, ACCOUNT], user);
    await expectRevert(fn(s.vault, 'lock', user)(s.tokenAddress, 401n, ACCOUNT), s.vault.interface, 'CapExceeded', [s.tokenAddress, 1_001n, 1_000n]);
    await send(s.vault, 'lock', [s.tokenAddress, 400n, ACCOUNT], user);
    expect([...(await fn(s.vault, 'assets').staticCallResult(s.tokenAddress))]).toEqual([true, 1_000n, 1_000n]);
  });

  test('lock reverts while paused and works again after unpause', async () => {
    const s = setup();
    await send(s.vault, 'pause', []);
    await expectRevert(fn(s.vault, 'lock', user)(s.tokenAddress, 1n, ACCOUNT), s.vault.interface, 'EnforcedPause');
    await send(s.vault, 'unpause', []);
    await send(s.vault, 'lock', [s.tokenAddress, 1n, ACCOUNT], user);
  });

  test('lock reverts if no destination is set', async () => {
    const vault = await deployVault(deployer, { localEid: SRC_EID });
    const token = await deployTestToken(deployer, { name: 'T', symbol: 'T', decimals: 18 });
    await send(vault, 'setAsset', [await token.getAddress(), true, 100n]);
    await expectRevert(fn(vault, 'lock', user)(await token.getAddress(), 1n, ACCOUNT), vault.interface, 'DestinationNotSet');
  });

  test('lock of a fee-on-transfer token credits what arrived, and the cap counts what arrived', async () => {
    const s = setup();
    const fot = await deployTestToken(deployer, { name: 'Fee', symbol: 'FEE', decimals: 18, feeBps: 100 });
    const fotAddress = await fot.getAddress();
    await send(s.vault, 'setAsset', [fotAddress, true, 990n]);
    await send(fot, 'mint', [user.address, 10_000n]);
    await send(fot, 'approve', [s.vaultAddress, ethers.MaxUint256], user);
    const receipt = await send(s.vault, 'lock', [fotAddress, 1_000n, ACCOUNT], user);
    expect(lockedEvent(s, receipt).args[6]).toBe(990n);
    expect(await fn(fot, 'balanceOf')(s.vaultAddress)).toBe(990n);
    expect([...(await fn(s.vault, 'assets').staticCallResult(fotAddress))]).toEqual([true, 990n, 990n]);
    // 1% of 1 rounds to a zero fee: 1 arrives, which the full cap no longer has room for.
    await expectRevert(fn(s.vault, 'lock', user)(fotAddress, 1n, ACCOUNT), s.vault.interface, 'CapExceeded', [fotAddress, 991n, 990n]);
  });

  test('lock reverts if a 100% fee lets nothing arrive', async () => {
    const s = setup();
    const fot = await deployTestToken(deployer, { name: 'All fee', symbol: 'ALL', decimals: 18, feeBps: 10_000 });
    const fotAddress = await fot.getAddress();
    await send(s.vault, 'setAsset', [fotAddress, true, 10n ** 30n]);
    await send(fot, 'mint', [user.address, 100n]);
    await send(fot, 'approve', [s.vaultAddress, ethers.MaxUint256], user);
    await expectRevert(fn(s.vault, 'lock', user)(fotAddress, 100n, ACCOUNT), s.vault.interface, 'ZeroAmount');
  });

  test('setDestination starts a new nonce sequence for a new receiver and emits DestinationSet', async () => {
    const s = setup();
    await send(s.vault, 'lock', [s.tokenAddress, 1n, ACCOUNT], user);
    const other = toBytes32('0x000000000000000000000000000000000000bEEF');
    const receipt = await send(s.vault, 'setDestination', [DST_EID, other]);
    expect([...(s.vault.interface.parseLog(receipt.logs[0] as ethers.Log)?.args ?? [])]).toEqual([BigInt(DST_EID), other]); // one DestinationSet log
    const locked = lockedEvent(s, await send(s.vault, 'lock', [s.tokenAddress, 1n, ACCOUNT], user));
    expect(locked.args[1]).toBe(1n);
    expect(locked.args[2]).toBe(computeGuid({ nonce: 1n, srcEid: SRC_EID, sender: toBytes32(s.vaultAddress), dstEid: DST_EID, receiver: other }));
    await expectRevert(fn(s.vault, 'setDestination')(0, other), s.vault.interface, 'InvalidDestination');
    await expectRevert(fn(s.vault, 'setDestination')(DST_EID, ethers.ZeroHash), s.vault.interface, 'InvalidDestination');
  });

  test('admin functions revert for a non-owner', async () => {
    const s = setup();
    for (const [name, args] of [
      ['setAsset', [s.tokenAddress, true, 1n]],
      ['setMinLock', [s.tokenAddress, 1n]],
      ['setDestination', [DST_EID, ACCOUNT]],
      ['setGuardian', [user.address]],
      ['unpause', []],
      ['renounceOwnership', []],
    ] as const) {
      await expectRevert(fn(s.vault, name, user)(...args), s.vault.interface, 'OwnableUnauthorizedAccount', [user.address]);
    }
  });

  test('pause reverts for anyone but the guardian and the owner (NotGuardian)', async () => {
    const s = setup();
    await expectRevert(fn(s.vault, 'pause', user)(), s.vault.interface, 'NotGuardian', [user.address]);
    await send(s.vault, 'setGuardian', [user.address]);
    await send(s.vault, 'pause', [], user);
    expect(await fn(s.vault, 'paused')()).toBe(true);
  });
});
