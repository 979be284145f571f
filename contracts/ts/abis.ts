import { Interface } from 'ethers';

/**
 * The ABI fragments the relayer needs, in human-readable form so they work without a Solidity build.
 * test/contracts/abis.test.ts checks each fragment against the compiled ABI.
 */
/** Events, functions and errors of the AttesterSet base that the receiver and the vault share. */
const ATTESTER_SET_FRAGMENTS = [
  'event AttesterAdded(address indexed attester)',
  'event AttesterRemoved(address indexed attester)',
  'event ThresholdSet(uint256 threshold)',
  'function addAttester(address attester)',
  'function removeAttester(address attester)',
  'function setThreshold(uint256 threshold)',
  'function isAttester(address account) view returns (bool)',
  'function attesterCount() view returns (uint256)',
  'function threshold() view returns (uint256)',
  'function domainSeparator() view returns (bytes32)',
  'error AttestationExpired(uint64 validUntil, uint256 timestamp)',
  'error InsufficientSignatures(uint256 count, uint256 threshold)',
  'error ThresholdNotSet()',
  'error InvalidSignaturesLength(uint256 length)',
  'error InvalidSignature(uint256 index)',
  'error MalleableSignature(uint256 index)',
  'error SignerNotAttester(uint256 index, address signer)',
  'error DuplicateSigner(uint256 index, address signer)',
  'error SignersNotOrdered(uint256 index, address signer)',
  'error AttesterExists(address attester)',
  'error AttesterNotFound(address attester)',
  'error InvalidThreshold(uint256 threshold, uint256 attesterCount)',
] as const;

/** The guardian and the disabled renounce of the Guarded base (IGuarded) that the receiver and the vault share. */
const GUARDED_FRAGMENTS = [
  'event GuardianSet(address indexed previousGuardian, address indexed newGuardian)',
  'function guardian() view returns (address)',
  'function setGuardian(address guardian)',
  'function owner() view returns (address)',
  'function pendingOwner() view returns (address)',
  'function transferOwnership(address newOwner)',
  'function acceptOwnership()',
  'function renounceOwnership()',
  'error NotGuardian(address account)',
  'error RenounceOwnershipDisabled()',
] as const;

/** Envelope errors of `submit` / `submitReleases` (IPacketInbox). */
const PACKET_INBOX_ERRORS = [
  'error EmptyBatch()',
  'error InvalidPacketLength(uint256 index, uint256 length)',
  'error UnsupportedPacketVersion(uint256 index, uint8 version)',
  'error WrongDstEid(uint256 index, uint32 dstEid)',
  'error WrongReceiver(uint256 index, bytes32 receiver)',
  'error GuidMismatch(uint256 index, bytes32 expected, bytes32 actual)',
  'error InvalidMessage(uint256 index, bytes4 reason)',
  'error MessageHeaderMismatch(uint256 index)',
  'error UnexpectedNonce(uint256 index, uint64 expected, uint64 actual)',
] as const;

export const VAULT_ABI = [
  'event Locked(uint32 indexed dstEid, uint64 indexed nonce, bytes32 indexed guid, address depositor, bytes32 account, address token, uint256 amount)',
  'event AssetSet(address indexed token, bool allowed, uint128 cap)',
  'event MinLockSet(address indexed token, uint128 minAmount)',
  'event DestinationSet(uint32 indexed dstEid, bytes32 receiver)',
  'event Released(bytes32 indexed withdrawalGuid, address indexed recipient, address indexed token, uint256 amount)',
  'event ReleaseFailed(bytes32 indexed withdrawalGuid, bytes32 recipient, bytes32 asset, uint128 amount, uint8 reason)',
  'event ReleaseResult(bytes32 indexed guid, uint32 indexed dstEid, bytes32 receiver, uint64 nonce, bytes32 withdrawalGuid, uint64 withdrawalNonce, uint8 status, bytes32 account, bytes32 asset, uint128 rawAmount)',
  'function lock(address token, uint256 amount, bytes32 account) returns (bytes32 guid, uint64 nonce, uint256 received)',
  'function submitReleases(bytes[] packets, uint64 validUntil, bytes[] signatures)',
  'function setAsset(address token, bool allowed, uint128 cap)',
  'function setMinLock(address token, uint128 minAmount)',
  'function setDestination(uint32 dstEid, bytes32 receiver)',
  'function pause()',
  'function unpause()',
  'function paused() view returns (bool)',
  'function localEid() view returns (uint32)',
  'function dstEid() view returns (uint32)',
  'function receiver() view returns (bytes32)',
  'function outboundNonce(uint32 dstEid, bytes32 receiver) view returns (uint64)',
  'function inboundNonce(uint32 srcEid, bytes32 sender) view returns (uint64)',
  'function releaseStatus(bytes32 withdrawalGuid) view returns (uint8)',
  'function assets(address token) view returns (bool allowed, uint128 cap, uint128 totalLocked)',
  'function minLock(address token) view returns (uint128)',
  ...ATTESTER_SET_FRAGMENTS,
  ...GUARDED_FRAGMENTS,
  ...PACKET_INBOX_ERRORS,
  'error ZeroAmount()',
  'error ZeroAccount()',
  'error AssetNotAllowed(address token)',
  'error CapExceeded(address token, uint256 totalAfter, uint128 cap)',
  'error BelowMinimumLock(address token, uint256 amount, uint128 minimum)',
  'error DestinationNotSet()',
  'error InvalidDestination()',
  'error UnknownSender(uint256 index, uint32 srcEid, bytes32 sender)',
  'error EnforcedPause()',
  'error OwnableUnauthorizedAccount(address account)',
] as const;

export const RECEIVER_ABI = [
  'event Credited(bytes32 indexed guid, bytes32 indexed account, bytes32 key, uint256 rawAmount)',
  'event Marked(bytes32 indexed key, uint256 mark)',
  'event AssetRegistered(bytes32 indexed key, uint32 srcEid, bytes32 asset, uint8 decimals)',
  'event AssetLimitsSet(bytes32 indexed key, uint32 heartbeat, uint128 cap)',
  'event SizeTiersSet(bytes32 indexed key, uint256 count)',
  'event RateLimitSet(uint32 indexed srcEid, uint40 capacityUsd, uint40 refillUsdPerSecond)',
  'event Voided(bytes32 indexed guid, bytes32 indexed account, uint32 indexed srcEid, bytes32 asset, uint128 rawAmount, bytes32 refundTo, uint64 depositNonce, uint8 reason, bytes32 refundGuid)',
  'event WithdrawalRequested(bytes32 indexed guid, bytes32 indexed account, uint32 indexed vaultEid, bytes32 vault, uint64 nonce, bytes32 asset, uint128 rawAmount, bytes32 recipient, uint64 voidedNonce)',
  'event WithdrawalSettled(bytes32 indexed withdrawalGuid, bytes32 indexed resultGuid, uint8 status)',
  'event VaultSet(uint32 indexed srcEid, bytes32 vault)',
  'event WithdrawalGuardSet(address indexed guard)',
  'function submit(bytes messages, uint64 validUntil, bytes signatures)',
  'function submitMarks(bytes marks, uint64 validUntil, bytes signatures)',
  'function requestWithdrawal(uint32 srcEid, bytes32 asset, uint128 amount, bytes32 recipient) returns (bytes32 guid, uint64 nonce)',
  'function setVault(uint32 srcEid, bytes32 vault)',
  'function registerAsset(uint32 srcEid, bytes32 asset, uint8 decimals, uint32 heartbeat, uint128 cap)',
  'function setAssetLimits(uint32 srcEid, bytes32 asset, uint32 heartbeat, uint128 cap)',
  'function setSizeTiers(uint32 srcEid, bytes32 asset, (uint128 upTo, uint64 weight)[] tiers)',
  'function setWithdrawalGuard(address guard)',
  'function setRateLimit(uint32 srcEid, uint40 capacityUsd, uint40 refillUsdPerSecond)',
  'function rateLimit(uint32 srcEid) view returns (uint40 capacityUsd, uint40 refillUsdPerSecond, uint256 availableUsd)',
  'function pause()',
  'function unpause()',
  'function paused() view returns (bool)',
  'function localEid() view returns (uint32)',
  'function MAX_FUTURE_SKEW() view returns (uint256)',
  'function lastNonce(uint32 srcEid, bytes32 srcVault) view returns (uint64)',
  'function outboundNonce(uint32 vaultEid, bytes32 vault) view returns (uint64)',
  'function vaultOf(uint32 srcEid) view returns (bytes32)',
  'function withdrawalGuard() view returns (address)',
  'function assetKey(uint32 srcEid, bytes32 asset) pure returns (bytes32)',
  'function assetCount() view returns (uint256)',
  'function assetAt(uint256 i) view returns (uint32 srcEid, bytes32 asset)',
  'function assetConfig(uint32 srcEid, bytes32 asset) view returns (bool registered, uint8 decimals, uint32 heartbeat, uint128 cap)',
  'function sizeTiers(uint32 srcEid, bytes32 asset) view returns ((uint128 upTo, uint64 weight)[])',
  'function markOf(uint32 srcEid, bytes32 asset) view returns (uint128 price, uint64 haircut, uint64 timestamp, uint64 nonce)',
  'function book(uint32 srcEid, bytes32 asset) view returns (uint128 credited, uint128 frozen)',
  'function position(bytes32 account, uint32 srcEid, bytes32 asset) view returns (uint128 rawAmount, uint128 frozen)',
  'function positions(bytes32 account) view returns ((uint32 srcEid, bytes32 asset, uint128 rawAmount, uint128 frozen, uint256 value, bool stale)[])',
  'function collateralValue(bytes32 account) view returns (uint256 value, bool stale)',
  'function valueOf(uint32 srcEid, bytes32 asset, uint128 rawAmount) view returns (uint256 value, bool stale)',
  'function withdrawalStatus(bytes32 guid) view returns (uint8)',
  ...ATTESTER_SET_FRAGMENTS,
  ...GUARDED_FRAGMENTS,
  ...PACKET_INBOX_ERRORS,
  'error TruncatedMessage(uint256 index, uint256 remaining)',
  'error DecimalsMismatch(uint256 index, uint8 expected, uint8 actual)',
  'error UnknownPathway(uint256 index, uint32 srcEid, bytes32 vault)',
  'error UnknownAsset(uint256 index, uint32 srcEid, bytes32 asset)',
  'error CapExceeded(uint256 index, uint256 total, uint128 cap)',
  'error InvalidMark(uint256 index, uint8 reason)',
  'error RateLimited(uint256 index, uint32 srcEid, uint256 spent, uint256 available)',
  'error AssetExists(uint32 srcEid, bytes32 asset)',
  'error CapTooLarge(uint128 cap, uint256 max)',
  'error InvalidSizeTiers(uint256 index)',
  'error InvalidDecimals(uint8 decimals)',
  'error WithdrawalNotPending(uint256 index, bytes32 withdrawalGuid)',
  'error ResultMismatch(uint256 index)',
  'error VaultNotSet(uint32 srcEid)',
  'error ZeroAmount()',
  'error ZeroRecipient()',
  'error InsufficientCredit(uint128 available, uint128 amount)',
  'error WithdrawalRefused(address guard)',
  'error EnforcedPause()',
  'error OwnableUnauthorizedAccount(address account)',
] as const;

/** IWithdrawalGuard: the venue's free-margin rule the receiver asks before freezing a withdrawal. */
export const WITHDRAWAL_GUARD_ABI = ['function check(bytes32 account, uint32 srcEid, bytes32 asset, uint128 amount) view returns (bool)'] as const;

/** Withdrawal record status on the receiver (`withdrawalStatus(guid)`); only ever extended. */
export const WithdrawalStatus = { None: 0, Pending: 1, Finished: 2, Unfrozen: 3, RefundPending: 4, Refunded: 5, RefundFailed: 6 } as const;
export type WithdrawalStatus = (typeof WithdrawalStatus)[keyof typeof WithdrawalStatus];

/** Vault `releaseStatus(withdrawalGuid)` and the RELEASE_RESULT `status`. */
export const ReleaseStatus = { None: 0, Released: 1, Failed: 2 } as const;
export type ReleaseStatus = (typeof ReleaseStatus)[keyof typeof ReleaseStatus];

/** `ReleaseFailed.reason` on the vault. */
export const ReleaseFailure = { NotEvmAddress: 1, AboveLocked: 2, TransferFailed: 3 } as const;
export type ReleaseFailure = (typeof ReleaseFailure)[keyof typeof ReleaseFailure];

/** Chainlink AggregatorV3Interface (what MockV3Aggregator implements). */
export const AGGREGATOR_V3_ABI = [
  'function decimals() view returns (uint8)',
  'function description() view returns (string)',
  'function version() view returns (uint256)',
  'function getRoundData(uint80 roundId) view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
  'function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
] as const;

/**
 * Errors of the message codecs (CreditMessage, WithdrawalMessage, ReleaseResultMessage, VoidMessage declare the same
 * four), which InvalidMessage(index, reason) carries as `reason` selectors.
 */
export const MESSAGE_ERRORS_ABI = [
  'error InvalidLength(uint256 length)',
  'error UnsupportedVersion(uint8 version)',
  'error UnsupportedMessageType(uint8 messageType)',
  'error InvalidField(string field)',
] as const;
/** The former name of MESSAGE_ERRORS_ABI. */
export const CREDIT_MESSAGE_ERRORS_ABI = MESSAGE_ERRORS_ABI;

export const vaultInterface = new Interface(VAULT_ABI);
export const receiverInterface = new Interface(RECEIVER_ABI);
export const aggregatorV3Interface = new Interface(AGGREGATOR_V3_ABI);
export const messageErrorsInterface = new Interface(MESSAGE_ERRORS_ABI);
export const creditMessageErrorsInterface = messageErrorsInterface;
export const withdrawalGuardInterface = new Interface(WITHDRAWAL_GUARD_ABI);
