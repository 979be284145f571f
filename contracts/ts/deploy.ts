import {
  Contract,
  ContractFactory,
  ZeroAddress,
  ZeroHash,
  hexlify,
  randomBytes,
  type BigNumberish,
  type ContractTransactionResponse,
  type Provider,
  type Signer,
  type TransactionReceipt,
} from 'ethers';
import { loadArtifact, type ContractName } from './artifacts';
import { ContractsError } from './errors';

/** Deploys `name` from contracts/out with `args`, waits for the receipt, returns a Contract on `signer`. */
export async function deployContract(name: ContractName, signer: Signer, args: readonly unknown[] = []): Promise<Contract> {
  const { abi, bytecode } = loadArtifact(name);
  const factory = new ContractFactory(abi as never[], bytecode, signer); // abi is solc's JSON ABI
  const deployed = await factory.deploy(...args);
  await deployed.waitForDeployment();
  return new Contract(await deployed.getAddress(), abi as never[], signer); // same JSON ABI
}

export interface DeployVaultParameters {
  /** Owner; defaults to the deployer. */
  owner?: string;
  /** LayerZero eid of the chain the vault lives on. */
  localEid: number;
  /** Release attesters (distinct, non-zero); default none: the vault releases nothing until the owner adds some. */
  attesters?: readonly string[];
  /** Signatures required per release batch, 1..attesters.length; default 1 with attesters, 0 without. */
  threshold?: number;
}

/** Deploys a CollateralVault (no asset listed, no destination set). */
export async function deployVault(signer: Signer, p: DeployVaultParameters): Promise<Contract> {
  const attesters = p.attesters ?? [];
  const threshold = p.threshold ?? (attesters.length > 0 ? 1 : 0);
  return deployContract('CollateralVault', signer, [p.owner ?? (await signer.getAddress()), p.localEid, attesters, threshold]);
}

export interface DeployReceiverParameters {
  /** Owner; defaults to the deployer. */
  owner?: string;
  /** LayerZero eid of the derivatives chain. */
  localEid: number;
  /** Initial attesters (distinct, non-zero). */
  attesters: readonly string[];
  /** Signatures required, 1..attesters.length. */
  threshold: number;
}

/** Deploys a MarginCreditReceiver. */
export async function deployReceiver(signer: Signer, p: DeployReceiverParameters): Promise<Contract> {
  return deployContract('MarginCreditReceiver', signer, [p.owner ?? (await signer.getAddress()), p.localEid, p.attesters, p.threshold]);
}

export interface DeployTestTokenParameters {
  name: string;
  symbol: string;
  decimals: number;
  /** When set, deploys a FeeOnTransferERC20 taking this many basis points of each transfer. */
  feeBps?: number;
}

/** Deploys a TestERC20 (public mint), or a FeeOnTransferERC20 when `feeBps` is given. Devnets and tests only. */
export async function deployTestToken(signer: Signer, p: DeployTestTokenParameters): Promise<Contract> {
  if (p.feeBps !== undefined) return deployContract('FeeOnTransferERC20', signer, [p.name, p.symbol, p.decimals, p.feeBps]);
  return deployContract('TestERC20', signer, [p.name, p.symbol, p.decimals]);
}

export interface DeployAggregatorParameters {
  /** Answer decimals (Chainlink USD feeds use 8). */
  decimals: number;
  /** First answer, stamped with the block time. */
  initialAnswer: BigNumberish;
}

/** Deploys a MockV3Aggregator (Chainlink-compatible; anyone can update it). Devnets and tests only. */
export async function deployAggregator(signer: Signer, p: DeployAggregatorParameters): Promise<Contract> {
  return deployContract('MockV3Aggregator', signer, [p.decimals, p.initialAnswer]);
}

export interface DeployRestrictedTokenParameters {
  name: string;
  symbol: string;
  decimals: number;
}

/** Deploys a RestrictedERC20: a TestERC20 whose transfers anyone can block per address or pause. Tests only. */
export async function deployRestrictedToken(signer: Signer, p: DeployRestrictedTokenParameters): Promise<Contract> {
  return deployContract('RestrictedERC20', signer, [p.name, p.symbol, p.decimals]);
}

export interface DeployWithdrawalGuardParameters {
  /** `true`/`false`: a TestWithdrawalGuard answering that (settable later); `'revert'`: a RevertingWithdrawalGuard. */
  answer: boolean | 'revert';
}

/** Deploys a test IWithdrawalGuard. Devnets and tests only. */
export async function deployWithdrawalGuard(signer: Signer, p: DeployWithdrawalGuardParameters): Promise<Contract> {
  if (p.answer === 'revert') return deployContract('RevertingWithdrawalGuard', signer);
  return deployContract('TestWithdrawalGuard', signer, [p.answer]);
}

/** Deploys the CodecHarness over the Solidity codec libraries. */
export async function deployCodecHarness(signer: Signer): Promise<Contract> {
  return deployContract('CodecHarness', signer);
}

/** Deploys a LookalikeVault (emits a Locked event of the same signature; holds nothing). */
export async function deployLookalikeVault(signer: Signer): Promise<Contract> {
  return deployContract('LookalikeVault', signer);
}

export interface DeployTimelockParameters {
  /** Seconds between scheduling a call and the earliest block that may execute it. */
  minDelay: bigint | number;
  /** Accounts that may schedule calls (they may also cancel them). */
  proposers: readonly string[];
  /** Accounts that may execute a ready call; `[ZeroAddress]` lets anyone execute. */
  executors: readonly string[];
  /** Optional admin of the timelock's roles, acting without delay; default none (role changes go through the delay too). */
  admin?: string;
}

/**
 * Deploys a Timelock (OpenZeppelin's TimelockController as it is), the owner the receiver and the vaults are handed
 * over to (README.md, "Trust model").
 */
export async function deployTimelock(signer: Signer, p: DeployTimelockParameters): Promise<Contract> {
  return deployContract('Timelock', signer, [p.minDelay, p.proposers, p.executors, p.admin ?? ZeroAddress]);
}

/** One call a timelock makes: `target.call{value}(data)`. */
export interface TimelockCall {
  target: string;
  data: string;
  /** Wei sent with the call; default 0. */
  value?: bigint;
}

/** A scheduled call, with everything `execute` needs. */
export interface TimelockOperation {
  /** `hashOperation(target, value, data, predecessor, salt)`. */
  id: string;
  target: string;
  value: bigint;
  data: string;
  predecessor: string;
  salt: string;
  /** Unix seconds from which a block may execute it (the timelock's `getTimestamp(id)`). */
  readyAt: bigint;
}

export interface ScheduleTimelockCallParameters {
  /** Distinguishes two schedulings of the same call; default 32 random bytes (the same call may be scheduled again later). */
  salt?: string;
  /** An operation id that must be done first; default none. */
  predecessor?: string;
  /** Seconds to wait, ≥ the timelock's minDelay; default its minDelay. */
  delay?: bigint;
}

/** A timelock helper could not complete (no receipt, no provider, or the hand-over did not take). */
export class TimelockCallError extends ContractsError {
  override readonly name = 'TimelockCallError' as const;
  constructor({ reason, ...details }: { reason: string } & Record<string, unknown>) {
    super(`timelock call failed: ${reason}`, details);
  }
}

async function sent(tx: Promise<unknown>): Promise<TransactionReceipt> {
  const response = (await tx) as ContractTransactionResponse; // a non-view function of the compiled ABI
  const receipt = await response.wait();
  if (receipt === null) throw new TimelockCallError({ reason: 'no receipt', hash: response.hash });
  return receipt;
}

/** Schedules `call` through `timelock` as `proposer` (PROPOSER_ROLE); returns the operation, ready at `readyAt`. */
export async function scheduleTimelockCall(
  timelock: Contract,
  proposer: Signer,
  call: TimelockCall,
  p: ScheduleTimelockCallParameters = {},
): Promise<TimelockOperation> {
  const t = timelock.connect(proposer) as Contract; // connect() keeps the ABI
  const value = call.value ?? 0n;
  const predecessor = p.predecessor ?? ZeroHash;
  const salt = p.salt ?? hexlify(randomBytes(32));
  const delay = p.delay ?? ((await t.getFunction('getMinDelay')()) as bigint); // uint256 → bigint
  await sent(t.getFunction('schedule')(call.target, value, call.data, predecessor, salt, delay));
  const id = (await t.getFunction('hashOperation')(call.target, value, call.data, predecessor, salt)) as string; // bytes32 → string
  const readyAt = (await t.getFunction('getTimestamp')(id)) as bigint; // uint256 → bigint
  return { id, target: call.target, value, data: call.data, predecessor, salt, readyAt };
}

/** Executes a ready operation as `executor` (EXECUTOR_ROLE, or anyone when the role is open); reverts before `readyAt`. */
export async function executeTimelockCall(timelock: Contract, executor: Signer, op: TimelockOperation): Promise<TransactionReceipt> {
  const t = timelock.connect(executor) as Contract; // connect() keeps the ABI
  return sent(t.getFunction('execute')(op.target, op.value, op.data, op.predecessor, op.salt, { value: op.value }));
}

/**
 * Resolves once a new block may execute an operation ready at `readyAt`: when the latest block's timestamp or the
 * local clock has reached it (a live chain's next block carries about the local time; an idle automining node mines
 * the next block at the local time too). Polls at most every 10 s.
 */
export async function waitForTimelock(provider: Provider, readyAt: bigint): Promise<void> {
  for (;;) {
    const latest = await provider.getBlock('latest');
    const now = BigInt(Math.max(latest?.timestamp ?? 0, Math.floor(Date.now() / 1000)));
    if (now >= readyAt) return;
    await new Promise((r) => setTimeout(r, Math.min(Number(readyAt - now), 10) * 1000));
  }
}

export interface CallThroughTimelockParameters extends ScheduleTimelockCallParameters {
  /** Who executes; default the proposer. */
  executor?: Signer;
  /** Awaited between schedule and execute with the operation's `readyAt`; default `waitForTimelock` (real time). Tests pass one that moves the node's clock. */
  waitUntil?: (readyAt: bigint) => Promise<void>;
}

export interface CallThroughTimelockReturnType {
  operation: TimelockOperation;
  receipt: TransactionReceipt;
}

function providerOf(signer: Signer): Provider {
  if (signer.provider === null) throw new TimelockCallError({ reason: 'the signer has no provider' });
  return signer.provider;
}

/** Schedules `call`, waits out the delay, executes it: one owner call of a timelock-owned contract. */
export async function callThroughTimelock(
  timelock: Contract,
  proposer: Signer,
  call: TimelockCall,
  p: CallThroughTimelockParameters = {},
): Promise<CallThroughTimelockReturnType> {
  const operation = await scheduleTimelockCall(timelock, proposer, call, p);
  const waitUntil = p.waitUntil ?? ((readyAt: bigint) => waitForTimelock(providerOf(proposer), readyAt));
  await waitUntil(operation.readyAt);
  const receipt = await executeTimelockCall(timelock, p.executor ?? proposer, operation);
  return { operation, receipt };
}

/**
 * Hands an Ownable2Step contract (the receiver, a vault) over to `timelock`: `transferOwnership(timelock)` sent by
 * `contract`'s runner (its current owner), then `acceptOwnership()` scheduled by `proposer` and executed by the timelock
 * after its delay (OpenZeppelin 5's Ownable2Step: the new owner must accept). From then on every owner call goes
 * through the timelock; the former owner keeps nothing.
 * @throws TimelockCallError when the contract's owner is not the timelock afterwards.
 */
export async function handOverToTimelock(
  contract: Contract,
  timelock: Contract,
  proposer: Signer,
  p: CallThroughTimelockParameters = {},
): Promise<CallThroughTimelockReturnType> {
  const target = await contract.getAddress();
  const timelockAddress = await timelock.getAddress();
  await sent(contract.getFunction('transferOwnership')(timelockAddress));
  const data = contract.interface.encodeFunctionData('acceptOwnership', []);
  const result = await callThroughTimelock(timelock, proposer, { target, data }, p);
  const owner = (await contract.getFunction('owner')()) as string; // address → string
  if (owner !== timelockAddress) throw new TimelockCallError({ reason: `owner is ${owner} after the hand-over`, target, timelock: timelockAddress });
  return result;
}
