/**
 * @ccr/contracts: artifacts, ABIs and deploy helpers for the Solidity side, plus a local anvil launcher.
 *
 * - `loadArtifact(name)` reads contracts/out (built by `cd contracts && pnpm build`).
 * - `vaultInterface`, `receiverInterface`, `aggregatorV3Interface`, `withdrawalGuardInterface`: what the relayer
 *   needs, no build required; `WithdrawalStatus`, `ReleaseStatus`, `ReleaseFailure`: the contracts' enums.
 * - `deployVault`, `deployReceiver`, `deployTestToken`, `deployAggregator`, `deployWithdrawalGuard`, … : ethers v6
 *   deployers; `deployTimelock`, `handOverToTimelock`, `callThroughTimelock` (schedule, wait, execute): the owner
 *   behind a delay (README.md, "Trust model").
 * - `startAnvil({ chainId })`: a throwaway node for tests and the devnet.
 * - `decodeRevert(e)`: names a revert from these contracts, never throws.
 */
export { ARTIFACTS_DIR, loadArtifact, type Artifact, type ContractName } from './artifacts';
export {
  AGGREGATOR_V3_ABI,
  CREDIT_MESSAGE_ERRORS_ABI,
  MESSAGE_ERRORS_ABI,
  RECEIVER_ABI,
  ReleaseFailure,
  ReleaseStatus,
  VAULT_ABI,
  WITHDRAWAL_GUARD_ABI,
  WithdrawalStatus,
  aggregatorV3Interface,
  creditMessageErrorsInterface,
  messageErrorsInterface,
  receiverInterface,
  vaultInterface,
  withdrawalGuardInterface,
} from './abis';
export { decodeRevert, type DecodedRevert } from './decodeRevert';
export {
  TimelockCallError,
  callThroughTimelock,
  deployAggregator,
  deployCodecHarness,
  deployContract,
  deployLookalikeVault,
  deployReceiver,
  deployRestrictedToken,
  deployTestToken,
  deployTimelock,
  deployVault,
  deployWithdrawalGuard,
  executeTimelockCall,
  handOverToTimelock,
  scheduleTimelockCall,
  waitForTimelock,
  type CallThroughTimelockParameters,
  type CallThroughTimelockReturnType,
  type DeployAggregatorParameters,
  type DeployReceiverParameters,
  type DeployRestrictedTokenParameters,
  type DeployTestTokenParameters,
  type DeployTimelockParameters,
  type DeployVaultParameters,
  type DeployWithdrawalGuardParameters,
  type ScheduleTimelockCallParameters,
  type TimelockCall,
  type TimelockOperation,
} from './deploy';
export { ANVIL_MNEMONIC, anvilBinary, startAnvil, type AnvilInstance, type StartAnvilParameters } from './anvil';
export { AnvilStartError, ArtifactNotFoundError, ContractsError } from './errors';
/** ethers itself, for workspace code (test/) that cannot resolve `ethers` from the root. */
export { ethers } from 'ethers';
