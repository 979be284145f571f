/**
 * @ccr/messages — the v1 message bodies (CREDIT and the REVALUATION mark: docs/credit-message.md; WITHDRAWAL,
 * RELEASE_RESULT, VOID: docs/two-way-book.md), the LayerZero v2 PacketV1 envelope of all but the mark, and the
 * EIP-712 attestation v2 both contracts verify (PacketBatch, and MarkBatch for marks). Pure functions; no framework,
 * no RPC.
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
export {
  MARK_MESSAGE_LENGTH,
  MARK_MESSAGE_LAYOUT,
  MAX_MARK_HAIRCUT,
  type MarkMessage,
  type MarkMessageJson,
  type EncodeMarkMessageParameters,
  type EncodeMarkMessageReturnType,
  type DecodeMarkMessageParameters,
  type DecodeMarkMessageReturnType,
  encodeMarkMessage,
  decodeMarkMessage,
  markMessageToJson,
  markMessageFromJson,
} from './markMessage';
export * from './message';
export * from './packet';
export * from './attestation';
export * from './compactBatch';
export { MAX_UINT8, MAX_UINT32, MAX_UINT64, MAX_UINT128 } from './uint';
export {
  DEPOSIT_MEMO_PREFIX,
  RELEASE_MEMO_PREFIX,
  MEMO_PROGRAM_ID,
  type MemoProblem,
  type DepositMemo,
  type ParseDepositMemoReturnType,
  type ReleaseMemo,
  parseDepositMemo,
  parseDepositMemos,
  encodeDepositMemo,
  encodeReleaseMemo,
  parseReleaseMemo,
} from './solanaMemo';
