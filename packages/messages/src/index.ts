/**
 * @ccr/messages — the v1 message bodies (CREDIT: docs/credit-message.md; WITHDRAWAL, RELEASE_RESULT, VOID:
 * docs/two-way-book.md), their LayerZero v2 PacketV1 envelope, and the EIP-712 attestation v2 both contracts verify.
 * Pure functions; no framework, no RPC.
 */
export * from './errors';
export { type Hex, isHex, bytesToHex } from './hex';
export {
  type Address,
  isBytes32,
  isEvmAddress,
  evmAddressToBytes32,
  bytes32ToEvmAddress,
  solanaAddressToBytes32,
  bytes32ToSolanaAddress,
  addressToBytes32,
} from './bytes32';
export * from './messageType';
// CREDIT keeps its bare offset names (ACCOUNT_OFFSET, …) for compatibility; the other bodies export theirs as a
// layout object (WITHDRAWAL_MESSAGE_LAYOUT, …), since they share names with different values.
export * from './creditMessage';
export * from './creditMessageJson';
export {
  WITHDRAWAL_MESSAGE_LENGTH,
  WITHDRAWAL_MESSAGE_LAYOUT,
  type WithdrawalMessage,
  type WithdrawalMessageJson,
  type EncodeWithdrawalMessageParameters,
  type EncodeWithdrawalMessageReturnType,
  type DecodeWithdrawalMessageParameters,
  type DecodeWithdrawalMessageReturnType,
  encodeWithdrawalMessage,
  decodeWithdrawalMessage,
  isRefund,
  withdrawalMessageToJson,
  withdrawalMessageFromJson,
} from './withdrawalMessage';
export {
  RELEASE_RESULT_MESSAGE_LENGTH,
  RELEASE_RESULT_MESSAGE_LAYOUT,
  ReleaseStatus,
  type ReleaseResultMessage,
  type ReleaseResultMessageJson,
  type EncodeReleaseResultMessageParameters,
  type EncodeReleaseResultMessageReturnType,
  type DecodeReleaseResultMessageParameters,
  type DecodeReleaseResultMessageReturnType,
  encodeReleaseResultMessage,
  decodeReleaseResultMessage,
  releaseResultMessageToJson,
  releaseResultMessageFromJson,
} from './releaseResultMessage';
export {
  VOID_MESSAGE_LENGTH,
  VOID_MESSAGE_LAYOUT,
  VoidReason,
  type VoidMessage,
  type VoidMessageJson,
  type EncodeVoidMessageParameters,
  type EncodeVoidMessageReturnType,
  type DecodeVoidMessageParameters,
  type DecodeVoidMessageReturnType,
  encodeVoidMessage,
  decodeVoidMessage,
  voidMessageToJson,
  voidMessageFromJson,
} from './voidMessage';
export * from './message';
export * from './packet';
export * from './attestation';
export { MAX_UINT8, MAX_UINT32, MAX_UINT64, MAX_UINT128 } from './uint';
