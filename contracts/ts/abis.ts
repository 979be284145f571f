import { Interface } from 'ethers';

/**
 * The ABI fragments the relayer needs, in human-readable form so they work without a Solidity build.
 * test/contracts/abis.test.ts checks each fragment against the compiled ABI.
 */
export const VAULT_ABI = [
  'event Locked(uint32 indexed dstEid, uint64 indexed nonce, bytes32 indexed guid, address depositor, bytes32 account, address token, uint256 amount)',
  'event AssetSet(address indexed token, bool allowed, uint128 cap)',
  'event DestinationSet(uint32 indexed dstEid, bytes32 receiver)',
  'function lock(address token, uint256 amount, bytes32 account) returns (bytes32 guid, uint64 nonce, uint256 received)',
  'function setAsset(address token, bool allowed, uint128 cap)',
  'function setDestination(uint32 dstEid, bytes32 receiver)',
  'function pause()',
  'function unpause()',
  'function paused() view returns (bool)',
  'function localEid() view returns (uint32)',
  'function dstEid() view returns (uint32)',
  'function receiver() view returns (bytes32)',
  'function outboundNonce(uint32 dstEid, bytes32 receiver) view returns (uint64)',
  'function assets(address token) view returns (bool allowed, uint128 cap, uint128 totalLocked)',
  'error ZeroAmount()',
  'error ZeroAccount()',
  'error AssetNotAllowed(address token)',
  'error CapExceeded(address token, uint256 totalAfter, uint128 cap)',
  'error DestinationNotSet()',
  'error InvalidDestination()',
  'error EnforcedPause()',
] as const;

export const RECEIVER_ABI = [
  'event Credited(bytes32 indexed guid, bytes32 indexed account, uint32 indexed srcEid, bytes32 asset, uint128 rawAmount, uint128 haircutValue, uint64 nonce)',
  'event AttesterAdded(address indexed attester)',
  'event AttesterRemoved(address indexed attester)',
  'event ThresholdSet(uint256 threshold)',
  'function submitCredits(bytes[] packets, bytes[] signatures)',
  'function addAttester(address attester)',
  'function removeAttester(address attester)',
  'function setThreshold(uint256 threshold)',
  'function pause()',
  'function unpause()',
  'function paused() view returns (bool)',
  'function localEid() view returns (uint32)',
  'function lastNonce(uint32 srcEid, bytes32 srcVault) view returns (uint64)',
  'function guidUsed(bytes32 guid) view returns (bool)',
  'function credits(bytes32 account, uint32 srcEid, bytes32 asset) view returns (uint128 rawAmount, uint128 haircutValue)',
  'function totalHaircutValue(bytes32 account) view returns (uint256)',
  'function isAttester(address account) view returns (bool)',
  'function attesterCount() view returns (uint256)',
  'function threshold() view returns (uint256)',
  'function domainSeparator() view returns (bytes32)',
  'error EmptyBatch()',
  'error InvalidPacketLength(uint256 index, uint256 length)',
  'error UnsupportedPacketVersion(uint256 index, uint8 version)',
  'error WrongDstEid(uint256 index, uint32 dstEid)',
  'error WrongReceiver(uint256 index, bytes32 receiver)',
  'error GuidMismatch(uint256 index, bytes32 expected, bytes32 actual)',
  'error InvalidMessage(uint256 index, bytes4 reason)',
  'error MessageHeaderMismatch(uint256 index)',
  'error GuidAlreadyUsed(uint256 index, bytes32 guid)',
  'error UnexpectedNonce(uint256 index, uint64 expected, uint64 actual)',
  'error InsufficientSignatures(uint256 count, uint256 threshold)',
  'error InvalidSignature(uint256 index)',
  'error MalleableSignature(uint256 index)',
  'error SignerNotAttester(uint256 index, address signer)',
  'error DuplicateSigner(uint256 index, address signer)',
  'error SignersNotOrdered(uint256 index, address signer)',
  'error AttesterExists(address attester)',
  'error AttesterNotFound(address attester)',
  'error InvalidThreshold(uint256 threshold, uint256 attesterCount)',
  'error EnforcedPause()',
  'error OwnableUnauthorizedAccount(address account)',
] as const;

/** Chainlink AggregatorV3Interface (what MockV3Aggregator implements). */
export const AGGREGATOR_V3_ABI = [
  'function decimals() view returns (uint8)',
  'function description() view returns (string)',
  'function version() view returns (uint256)',
  'function getRoundData(uint80 roundId) view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
  'function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
] as const;

/** Errors of CreditMessage.decode, which InvalidMessage(index, reason) carries as `reason` selectors. */
export const CREDIT_MESSAGE_ERRORS_ABI = [
  'error InvalidLength(uint256 length)',
  'error UnsupportedVersion(uint8 version)',
  'error UnsupportedMessageType(uint8 messageType)',
] as const;

export const vaultInterface = new Interface(VAULT_ABI);
export const receiverInterface = new Interface(RECEIVER_ABI);
export const aggregatorV3Interface = new Interface(AGGREGATOR_V3_ABI);
export const creditMessageErrorsInterface = new Interface(CREDIT_MESSAGE_ERRORS_ABI);
