/** fast-check generators shared by the tests of @ccr/messages (not part of the build). */
import fc from 'fast-check';
import {
  bytesToHex,
  type CreditMessage,
  type Hex,
  MAX_MARK_HAIRCUT,
  type MarkMessage,
  MessageType,
  type ReleaseResultMessage,
  ReleaseStatus,
  type VoidMessage,
  VoidReason,
  type WithdrawalMessage,
} from '../src';

export const uint = (bits: 8 | 32 | 64 | 128): fc.Arbitrary<bigint> => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
export const uintNumber = (bits: 8 | 32): fc.Arbitrary<number> => fc.integer({ min: 0, max: 2 ** bits - 1 });

/** Any 32 bytes, as lowercase hex. */
export const anyBytes32: fc.Arbitrary<Hex> = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex);
/** A canonical left-padded EVM address. */
export const evmBytes32: fc.Arbitrary<Hex> = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => `0x${'00'.repeat(12)}${bytesToHex(b).slice(2)}` as Hex); // 12 zero bytes + 20 bytes of hex
/** Either form, as a chain-neutral bytes32. */
export const bytes32: fc.Arbitrary<Hex> = fc.oneof(anyBytes32, evmBytes32);

export const creditMessage: fc.Arbitrary<CreditMessage> = fc.record({
  version: fc.constant(1 as const),
  messageType: fc.constant(MessageType.Credit as const),
  account: bytes32,
  srcEid: uintNumber(32),
  srcVault: bytes32,
  asset: bytes32,
  assetDecimals: uintNumber(8),
  depositNonce: uint(64),
  rawAmount: uint(128),
  haircutValue: uint(128),
  price: uint(128),
  priceTimestamp: uint(64),
  haircut: uint(64),
  sizeWeight: uint(64),
});

/** A bytes32 that is not zero (the rule for WITHDRAWAL recipient and VOID refundTo). */
export const nonZeroBytes32: fc.Arbitrary<Hex> = bytes32.filter((h) => /[1-9a-f]/.test(h.slice(2)));

export const withdrawalMessage: fc.Arbitrary<WithdrawalMessage> = fc.record({
  version: fc.constant(1 as const),
  messageType: fc.constant(MessageType.Withdrawal as const),
  account: bytes32,
  vaultEid: uintNumber(32),
  vault: bytes32,
  asset: bytes32,
  recipient: nonZeroBytes32,
  withdrawalNonce: uint(64),
  rawAmount: fc.bigInt({ min: 1n, max: (1n << 128n) - 1n }),
  voidedNonce: fc.oneof(fc.constant(0n), uint(64)),
});

export const releaseResultMessage: fc.Arbitrary<ReleaseResultMessage> = fc.record({
  version: fc.constant(1 as const),
  messageType: fc.constant(MessageType.ReleaseResult as const),
  srcEid: uintNumber(32),
  srcVault: bytes32,
  resultNonce: uint(64),
  withdrawalGuid: anyBytes32,
  withdrawalNonce: uint(64),
  status: fc.constantFrom(ReleaseStatus.Released, ReleaseStatus.Failed),
  account: bytes32,
  asset: bytes32,
  rawAmount: uint(128),
});

export const voidMessage: fc.Arbitrary<VoidMessage> = fc.record({
  version: fc.constant(1 as const),
  messageType: fc.constant(MessageType.Void as const),
  account: bytes32,
  srcEid: uintNumber(32),
  srcVault: bytes32,
  asset: bytes32,
  depositNonce: uint(64),
  rawAmount: fc.oneof(fc.constant(0n), uint(128)),
  refundTo: nonZeroBytes32,
  reason: fc.constantFrom(VoidReason.UnsupportedAsset, VoidReason.InvalidDeposit, VoidReason.Operator),
});

export const markMessage: fc.Arbitrary<MarkMessage> = fc.record({
  version: fc.constant(1 as const),
  messageType: fc.constant(MessageType.Revaluation as const),
  srcEid: uintNumber(32),
  asset: bytes32,
  markNonce: uint(64),
  price: uint(128),
  priceTimestamp: uint(64),
  haircut: fc.oneof(fc.constant(0n), fc.constant(MAX_MARK_HAIRCUT), fc.bigInt({ min: 0n, max: MAX_MARK_HAIRCUT })),
});
