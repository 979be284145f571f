import { Contract, ContractFactory, type BigNumberish, type ContractRunner, type Signer } from 'ethers';
import { loadArtifact, type ContractName } from './artifacts';

/** Deploys `name` from contracts/out with `args`, waits for the receipt, returns a Contract on `signer`. */
export async function deployContract(name: ContractName, signer: Signer, args: readonly unknown[] = []): Promise<Contract> {
  const { abi, bytecode } = loadArtifact(name);
  const factory = new ContractFactory(abi as never[], bytecode, signer); // abi is solc's JSON ABI
  const deployed = await factory.deploy(...args);
  await deployed.waitForDeployment();
  return new Contract(await deployed.getAddress(), abi as never[], signer as ContractRunner); // same JSON ABI
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
