/** The slices of the contracts' ABIs the relayer uses (kept in sync with contracts/src/interfaces). */
export const VAULT_ABI = [
  'event Locked(uint32 indexed dstEid, uint64 indexed nonce, bytes32 indexed guid, address depositor, bytes32 account, address token, uint256 amount)',
] as const;

export const FEED_ABI = [
  'function decimals() view returns (uint8)',
  'function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
] as const;

export const RECEIVER_ABI = [
  'function submitCredits(bytes[] packets, bytes[] signatures)',
  'function lastNonce(uint32 srcEid, bytes32 srcVault) view returns (uint64)',
  'function guidUsed(bytes32 guid) view returns (bool)',
  'function threshold() view returns (uint256)',
  'event Credited(bytes32 indexed guid, bytes32 indexed account, uint32 indexed srcEid, bytes32 asset, uint128 rawAmount, uint128 haircutValue, uint64 nonce)',
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
  'error EnforcedPause()',
] as const;
