/**
 * The spec tables (docs/two-way-book.md; REVALUATION: docs/credit-message.md) written as abi.encodePacked with ethers `solidityPacked`: independent of the
 * offset constants and encoders in src/. Used by the tests and by scripts/gen-vectors.ts to cross-check every vector.
 */
import { concat, keccak256, solidityPacked, solidityPackedKeccak256 } from 'ethers';

type Bytes32 = string;

export function packedWithdrawal(m: {
  version: number; messageType: number; account: Bytes32; vaultEid: number; vault: Bytes32; asset: Bytes32;
  recipient: Bytes32; withdrawalNonce: bigint; rawAmount: bigint; voidedNonce: bigint;
}): string {
  return solidityPacked(
    ['uint8', 'uint8', 'bytes32', 'uint32', 'bytes32', 'bytes32', 'bytes32', 'uint64', 'uint128', 'uint64'],
    [m.version, m.messageType, m.account, m.vaultEid, m.vault, m.asset, m.recipient, m.withdrawalNonce, m.rawAmount, m.voidedNonce],
  );
}

export function packedReleaseResult(m: {
  version: number; messageType: number; srcEid: number; srcVault: Bytes32; resultNonce: bigint; withdrawalGuid: Bytes32;
  withdrawalNonce: bigint; status: number; account: Bytes32; asset: Bytes32; rawAmount: bigint;
}): string {
  return solidityPacked(
    ['uint8', 'uint8', 'uint32', 'bytes32', 'uint64', 'bytes32', 'uint64', 'uint8', 'bytes32', 'bytes32', 'uint128'],
    [m.version, m.messageType, m.srcEid, m.srcVault, m.resultNonce, m.withdrawalGuid, m.withdrawalNonce, m.status, m.account, m.asset, m.rawAmount],
  );
}

export function packedVoid(m: {
  version: number; messageType: number; account: Bytes32; srcEid: number; srcVault: Bytes32; asset: Bytes32;
  depositNonce: bigint; rawAmount: bigint; refundTo: Bytes32; reason: number;
}): string {
  return solidityPacked(
    ['uint8', 'uint8', 'bytes32', 'uint32', 'bytes32', 'bytes32', 'uint64', 'uint128', 'bytes32', 'uint8'],
    [m.version, m.messageType, m.account, m.srcEid, m.srcVault, m.asset, m.depositNonce, m.rawAmount, m.refundTo, m.reason],
  );
}

export function packedMark(m: {
  version: number; messageType: number; srcEid: number; asset: Bytes32; markNonce: bigint; price: bigint;
  priceTimestamp: bigint; haircut: bigint;
}): string {
  return solidityPacked(
    ['uint8', 'uint8', 'uint32', 'bytes32', 'uint64', 'uint128', 'uint64', 'uint64'],
    [m.version, m.messageType, m.srcEid, m.asset, m.markNonce, m.price, m.priceTimestamp, m.haircut],
  );
}

export type PackedHeader = { nonce: bigint; srcEid: number; sender: Bytes32; dstEid: number; receiver: Bytes32 };

/** LayerZero GUID: keccak256(abi.encodePacked(uint64 nonce, uint32 srcEid, bytes32 sender, uint32 dstEid, bytes32 receiver)). */
export function packedGuid(h: PackedHeader): string {
  return solidityPackedKeccak256(['uint64', 'uint32', 'bytes32', 'uint32', 'bytes32'], [h.nonce, h.srcEid, h.sender, h.dstEid, h.receiver]);
}

/** PacketV1: version 1 ‖ header ‖ guid ‖ message, and its payloadHash = keccak256(guid ‖ message). */
export function packedPacket(h: PackedHeader, message: string): { packet: string; guid: string; payloadHash: string } {
  const guid = packedGuid(h);
  const packet = solidityPacked(
    ['uint8', 'uint64', 'uint32', 'bytes32', 'uint32', 'bytes32', 'bytes32', 'bytes'],
    [1, h.nonce, h.srcEid, h.sender, h.dstEid, h.receiver, guid, message],
  );
  return { packet, guid, payloadHash: keccak256(concat([guid, message])) };
}
