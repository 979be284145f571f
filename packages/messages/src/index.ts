/**
 * @ccr/messages — the margin-credit message v1 (docs/credit-message.md), its LayerZero v2 PacketV1 envelope, and
 * the EIP-712 attestation the receiver verifies. Pure functions; no framework, no RPC.
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
export * from './creditMessage';
export * from './creditMessageJson';
export * from './packet';
export * from './attestation';
export { MAX_UINT8, MAX_UINT32, MAX_UINT64, MAX_UINT128 } from './uint';
