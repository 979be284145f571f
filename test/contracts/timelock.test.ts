import { callThroughTimelock, deployTimelock, deployVault, executeTimelockCall, handOverToTimelock, scheduleTimelockCall, type TimelockOperation } from '../../contracts/ts/deploy';
import { ethers } from '../../contracts/ts/index';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import { SRC_EID, deployCreditSystem, toBytes32, type CreditSystem } from '../support/deploy';
import { expectRevert } from './expectRevert';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

const CHAIN_ID = 31337;
const DELAY = 2n * 24n * 3600n; // two days
const ACCOUNT = toBytes32('0x70997970C51812dc3A010C7d01b50e0d17DC79C8');
/** TimelockController's `_encodeStateBitmap(OperationState.Ready)`: bit 2 (Unset 0, Waiting 1, Ready 2, Done 3). */
const READY_STATE = ethers.zeroPadValue('0x04', 32);

let anvil: AnvilInstance;
let deployer: ethers.Wallet;
let attester: ethers.Wallet;
let proposer: ethers.Wallet;
let guardian: ethers.Wallet;
let stranger: ethers.Wallet;
let newAttester: ethers.Wallet;
let s: CreditSystem;
let timelock: ethers.Contract;
let snapshot: string;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
  const [d, a, p, g, x, n] = anvil.accounts;
  if (d === undefined || a === undefined || p === undefined || g === undefined || x === undefined || n === undefined) throw new Error('anvil accounts');
  [deployer, attester, proposer, guardian, stranger, newAttester] = [d, a, p, g, x, n];
  s = await deployCreditSystem({ deployer, attesters: [attester.address], threshold: 1, chainId: CHAIN_ID });
  timelock = await deployTimelock(deployer, { minDelay: DELAY, proposers: [proposer.address], executors: [proposer.address] });
  await send(s.token, 'mint', [stranger.address, 10n ** 12n]);
  await send(s.token, 'approve', [s.vaultAddress, ethers.MaxUint256], stranger);
  await handOverToTimelock(s.receiver, timelock, proposer, { waitUntil: passTime });
  await handOverToTimelock(s.vault, timelock, proposer, { waitUntil: passTime });
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

/** Moves the node's clock to `readyAt` (a `waitUntil` for the timelock helpers). */
async function passTime(readyAt: bigint): Promise<void> {
  const latest = await anvil.provider.getBlock('latest');
  const now = BigInt(latest?.timestamp ?? 0);
  if (readyAt > now) await anvil.rpc('evm_increaseTime', [ethers.toQuantity(readyAt - now)]);
  await anvil.mine();
}

async function increaseTime(seconds: bigint): Promise<void> {
  await anvil.rpc('evm_increaseTime', [ethers.toQuantity(seconds)]);
  await anvil.mine();
}

/** `name(args)` on `c` through the timelock: scheduled, the delay waited out on the node, executed. */
async function viaTimelock(c: ethers.Contract, name: string, args: unknown[]): Promise<ethers.TransactionReceipt> {
  const call = { target: await c.getAddress(), data: c.interface.encodeFunctionData(name, args) };
  return (await callThroughTimelock(timelock, proposer, call, { waitUntil: passTime })).receipt;
}

async function schedule(c: ethers.Contract, name: string, args: unknown[]): Promise<TimelockOperation> {
  return scheduleTimelockCall(timelock, proposer, { target: await c.getAddress(), data: c.interface.encodeFunctionData(name, args) });
}

function eventArgs(c: ethers.Contract, address: string, receipt: ethers.TransactionReceipt, name: string): unknown[] {
  const log = receipt.logs.filter((l) => l.address === address).map((l) => c.interface.parseLog(l)).find((l) => l?.name === name);
  if (log === undefined || log === null) throw new Error(`no ${name} event`);
  return [...log.args];
}

describe('hand-over', () => {
  test('the receiver and the vault are owned by the timelock, with no pending owner', async () => {
    const timelockAddress = await timelock.getAddress();
    for (const c of [s.receiver, s.vault]) {
      expect(await fn(c, 'owner')()).toBe(timelockAddress);
      expect(await fn(c, 'pendingOwner')()).toBe(ethers.ZeroAddress);
    }
    expect(await fn(timelock, 'getMinDelay')()).toBe(DELAY);
  });

  test('the former owner can no longer call any owner function directly', async () => {
    const receiverCalls: [string, unknown[]][] = [
      ['addAttester', [newAttester.address]],
      ['removeAttester', [attester.address]],
      ['setThreshold', [1]],
      ['setVault', [SRC_EID, ACCOUNT]],
      ['registerAsset', [SRC_EID, ACCOUNT, 6, 3600, 1n]],
      ['setAssetLimits', [SRC_EID, toBytes32(s.tokenAddress), 3600, 1n]],
      ['setSizeTiers', [SRC_EID, toBytes32(s.tokenAddress), []]],
      ['setWithdrawalGuard', [stranger.address]],
      ['setGuardian', [deployer.address]],
      ['unpause', []],
      ['transferOwnership', [deployer.address]],
      ['renounceOwnership', []],
    ];
    for (const [name, args] of receiverCalls) {
      await expectRevert(fn(s.receiver, name, deployer)(...args), s.receiver.interface, 'OwnableUnauthorizedAccount', [deployer.address]);
    }
    const vaultCalls: [string, unknown[]][] = [
      ['addAttester', [newAttester.address]],
      ['setThreshold', [1]],
      ['setAsset', [s.tokenAddress, true, 1n]],
      ['setMinLock', [s.tokenAddress, 1n]],
      ['setDestination', [SRC_EID, ACCOUNT]],
      ['setGuardian', [deployer.address]],
      ['unpause', []],
      ['transferOwnership', [deployer.address]],
      ['renounceOwnership', []],
    ];
    for (const [name, args] of vaultCalls) {
      await expectRevert(fn(s.vault, name, deployer)(...args), s.vault.interface, 'OwnableUnauthorizedAccount', [deployer.address]);
    }
  });

  test('handOverToTimelock needs the current owner as the contract runner', async () => {
    const vault = await deployVault(deployer, { localEid: SRC_EID });
    // connect() returns BaseContract; same ABI
    await expectRevert(handOverToTimelock(vault.connect(stranger) as ethers.Contract, timelock, proposer, { waitUntil: passTime }), vault.interface, 'OwnableUnauthorizedAccount', [stranger.address]);
  });
});

describe('changes through the timelock', () => {
  test('addAttester cannot execute before the delay (TimelockUnexpectedOperationState) and executes after it', async () => {
    const op = await schedule(s.receiver, 'addAttester', [newAttester.address]);
    expect(await fn(timelock, 'isOperationPending')(op.id)).toBe(true);
    await expectRevert(executeTimelockCall(timelock, proposer, op), timelock.interface, 'TimelockUnexpectedOperationState', [op.id, READY_STATE]);
    await increaseTime(DELAY - 60n);
    await expectRevert(executeTimelockCall(timelock, proposer, op), timelock.interface, 'TimelockUnexpectedOperationState', [op.id, READY_STATE]);
    expect(await fn(s.receiver, 'isAttester')(newAttester.address)).toBe(false);

    await increaseTime(60n);
    const receipt = await executeTimelockCall(timelock, proposer, op);
    expect(eventArgs(s.receiver, s.receiverAddress, receipt, 'AttesterAdded')).toEqual([newAttester.address]);
    expect(await fn(s.receiver, 'isAttester')(newAttester.address)).toBe(true);
    expect(await fn(timelock, 'isOperationDone')(op.id)).toBe(true);
    // Done: the same operation cannot run twice.
    await expectRevert(executeTimelockCall(timelock, proposer, op), timelock.interface, 'TimelockUnexpectedOperationState', [op.id, READY_STATE]);
  });

  test('setThreshold, registerAsset (receiver) and setAsset (vault) take effect only after the delay', async () => {
    const receiverOp = await schedule(s.receiver, 'addAttester', [newAttester.address]);
    const asset = toBytes32(stranger.address);
    const registerOp = await schedule(s.receiver, 'registerAsset', [SRC_EID, asset, 18, 3600, 10n ** 24n]);
    const vaultOp = await schedule(s.vault, 'setAsset', [s.tokenAddress, true, 5n]);
    for (const op of [receiverOp, registerOp, vaultOp]) {
      await expectRevert(executeTimelockCall(timelock, proposer, op), timelock.interface, 'TimelockUnexpectedOperationState', [op.id, READY_STATE]);
    }
    await passTime(vaultOp.readyAt);
    for (const op of [receiverOp, registerOp, vaultOp]) await executeTimelockCall(timelock, proposer, op);
    await viaTimelock(s.receiver, 'setThreshold', [2]);

    expect(await fn(s.receiver, 'threshold')()).toBe(2n);
    expect([...(await fn(s.receiver, 'assetConfig').staticCallResult(SRC_EID, asset))]).toEqual([true, 18n, 3600n, 10n ** 24n]);
    expect([...(await fn(s.vault, 'assets').staticCallResult(s.tokenAddress))]).toEqual([true, 5n, 0n]);
    await expectRevert(fn(s.vault, 'lock', stranger)(s.tokenAddress, 6n, ACCOUNT), s.vault.interface, 'CapExceeded', [s.tokenAddress, 6n, 5n]);
  });

  test('a call scheduled with less than the minimum delay is refused (TimelockInsufficientDelay)', async () => {
    const call = { target: s.vaultAddress, data: s.vault.interface.encodeFunctionData('setMinLock', [s.tokenAddress, 1n]) };
    await expectRevert(scheduleTimelockCall(timelock, proposer, call, { delay: DELAY - 1n }), timelock.interface, 'TimelockInsufficientDelay', [DELAY - 1n, DELAY]);
  });

  test('only a proposer schedules and only an executor executes (AccessControlUnauthorizedAccount)', async () => {
    const call = { target: s.receiverAddress, data: s.receiver.interface.encodeFunctionData('setThreshold', [1]) };
    const proposerRole = (await fn(timelock, 'PROPOSER_ROLE')()) as string; // bytes32 → string
    const executorRole = (await fn(timelock, 'EXECUTOR_ROLE')()) as string; // bytes32 → string
    await expectRevert(scheduleTimelockCall(timelock, stranger, call), timelock.interface, 'AccessControlUnauthorizedAccount', [stranger.address, proposerRole]);
    const op = await scheduleTimelockCall(timelock, proposer, call);
    await passTime(op.readyAt);
    await expectRevert(executeTimelockCall(timelock, stranger, op), timelock.interface, 'AccessControlUnauthorizedAccount', [stranger.address, executorRole]);
    await executeTimelockCall(timelock, proposer, op);
  });

  test('a refused change reverts the execution with the contract error, and the operation stays ready', async () => {
    const op = await schedule(s.receiver, 'setThreshold', [2]);
    await passTime(op.readyAt);
    await expectRevert(executeTimelockCall(timelock, proposer, op), s.receiver.interface, 'InvalidThreshold', [2n, 1n]);
    expect(await fn(timelock, 'isOperationReady')(op.id)).toBe(true);
  });
});

describe('guardian', () => {
  test('setGuardian goes through the timelock and emits GuardianSet', async () => {
    const receipt = await viaTimelock(s.receiver, 'setGuardian', [guardian.address]);
    expect(eventArgs(s.receiver, s.receiverAddress, receipt, 'GuardianSet')).toEqual([ethers.ZeroAddress, guardian.address]);
    expect(await fn(s.receiver, 'guardian')()).toBe(guardian.address);
    const vaultReceipt = await viaTimelock(s.vault, 'setGuardian', [guardian.address]);
    expect(eventArgs(s.vault, s.vaultAddress, vaultReceipt, 'GuardianSet')).toEqual([ethers.ZeroAddress, guardian.address]);
    const cleared = await viaTimelock(s.vault, 'setGuardian', [ethers.ZeroAddress]);
    expect(eventArgs(s.vault, s.vaultAddress, cleared, 'GuardianSet')).toEqual([guardian.address, ethers.ZeroAddress]);
  });

  test('the guardian pauses at once, a stranger cannot (NotGuardian), unpause only through the timelock', async () => {
    await viaTimelock(s.receiver, 'setGuardian', [guardian.address]);
    await viaTimelock(s.vault, 'setGuardian', [guardian.address]);

    await expectRevert(fn(s.receiver, 'pause', stranger)(), s.receiver.interface, 'NotGuardian', [stranger.address]);
    await expectRevert(fn(s.vault, 'pause', stranger)(), s.vault.interface, 'NotGuardian', [stranger.address]);
    await expectRevert(fn(s.vault, 'pause', deployer)(), s.vault.interface, 'NotGuardian', [deployer.address]);

    await send(s.receiver, 'pause', [], guardian);
    await send(s.vault, 'pause', [], guardian);
    expect(await fn(s.receiver, 'paused')()).toBe(true);
    expect(await fn(s.vault, 'paused')()).toBe(true);
    await expectRevert(fn(s.vault, 'lock', stranger)(s.tokenAddress, 1n, ACCOUNT), s.vault.interface, 'EnforcedPause');

    for (const c of [s.receiver, s.vault]) {
      await expectRevert(fn(c, 'unpause', guardian)(), c.interface, 'OwnableUnauthorizedAccount', [guardian.address]);
    }
    const op = await schedule(s.vault, 'unpause', []);
    await expectRevert(executeTimelockCall(timelock, proposer, op), timelock.interface, 'TimelockUnexpectedOperationState', [op.id, READY_STATE]);
    await passTime(op.readyAt);
    await executeTimelockCall(timelock, proposer, op);
    await viaTimelock(s.receiver, 'unpause', []);
    expect(await fn(s.receiver, 'paused')()).toBe(false);
    expect(await fn(s.vault, 'paused')()).toBe(false);
    await send(s.vault, 'lock', [s.tokenAddress, 1n, ACCOUNT], stranger);
  });

  test('without a guardian only the owner (the timelock) pauses', async () => {
    expect(await fn(s.receiver, 'guardian')()).toBe(ethers.ZeroAddress);
    await expectRevert(fn(s.receiver, 'pause', guardian)(), s.receiver.interface, 'NotGuardian', [guardian.address]);
    await viaTimelock(s.receiver, 'pause', []);
    expect(await fn(s.receiver, 'paused')()).toBe(true);
  });
});

describe('renounceOwnership', () => {
  test('reverts RenounceOwnershipDisabled through the timelock on the receiver and the vault, the owner stays', async () => {
    for (const c of [s.receiver, s.vault]) {
      const op = await schedule(c, 'renounceOwnership', []);
      await passTime(op.readyAt);
      await expectRevert(executeTimelockCall(timelock, proposer, op), c.interface, 'RenounceOwnershipDisabled');
      expect(await fn(c, 'owner')()).toBe(await timelock.getAddress());
    }
  });

  test('reverts RenounceOwnershipDisabled for the owner of a contract not handed over yet, OwnableUnauthorizedAccount for others', async () => {
    const vault = await deployVault(deployer, { localEid: SRC_EID });
    await expectRevert(fn(vault, 'renounceOwnership', deployer)(), vault.interface, 'RenounceOwnershipDisabled');
    await expectRevert(fn(vault, 'renounceOwnership', stranger)(), vault.interface, 'OwnableUnauthorizedAccount', [stranger.address]);
    expect(await fn(vault, 'owner')()).toBe(deployer.address);
  });
});
