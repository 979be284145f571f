/**
 * LayerZero v2 PacketV1 envelope, via `@layerzerolabs/lz-v2-utilities` (`PacketV1Codec`, `calculateGuid`), with
 * the range and length checks the utilities leave out (they truncate bad hex silently and take any length).
 *
 *   packet = version(1) ‖ nonce(8) ‖ srcEid(4) ‖ sender(32) ‖ dstEid(4) ‖ receiver(32) ‖ guid(32) ‖ message
 *   guid = keccak256(abi.encodePacked(uint64 nonce, uint32 srcEid, bytes32 sender, uint32 dstEid, bytes32 receiver))
 *   payloadHash = keccak256(guid ‖ message)
 *
 * Per message type (docs/two-way-book.md, "Paths and nonces"): a CREDIT, VOID or RELEASE_RESULT travels vault →
 * receiver with header nonce / srcEid / sender = the message's nonce / srcEid / srcVault; a WITHDRAWAL travels
 * receiver → vault with header nonce / dstEid / receiver = withdrawalNonce / vaultEid / vault.
 */
import { PacketV1Codec, calculateGuid } from '@layerzerolabs/lz-v2-utilities';
import { concat, keccak256 } from 'ethers';
import { addressToBytes32 } from './bytes32';
import {
  type CreditMessage,
  decodeCreditMessage,
  encodeCreditMessage,
  MESSAGE_LENGTH,
  SRC_VAULT_OFFSET,
  writeCreditMessage,
} from './creditMessage';
import { GuidMismatchError, HeaderMismatchError, InvalidLengthError, UnsupportedMessageTypeError, UnsupportedVersionError } from './errors';
import { bytesToHex, toBytes, toFixedHex, writeFixedHex, type Hex } from './hex';
import { isMessageType, MessageType, peekMessageType } from './messageType';
import { type ReleaseResultMessage, decodeReleaseResultMessage, encodeReleaseResultMessage } from './releaseResultMessage';
import { type VoidMessage, decodeVoidMessage, encodeVoidMessage } from './voidMessage';
import { type WithdrawalMessage, decodeWithdrawalMessage, encodeWithdrawalMessage } from './withdrawalMessage';
import { checkUint } from './uint';

export const PACKET_VERSION = 1 as const;
export const PACKET_VERSION_OFFSET = 0;
export const PACKET_NONCE_OFFSET = 1;
export const PACKET_SRC_EID_OFFSET = 9;
export const PACKET_SENDER_OFFSET = 13;
export const PACKET_DST_EID_OFFSET = 45;
export const PACKET_RECEIVER_OFFSET = 49;
export const PACKET_HEADER_LENGTH = 81;
export const PACKET_GUID_OFFSET = 81;
export const PACKET_MESSAGE_OFFSET = 113;

export type ComputeGuidParameters = {
  /** uint64 */
  nonce: bigint;
  /** uint32 */
  srcEid: number;
  /** bytes32, or an EVM address / Solana key (normalised with addressToBytes32). */
  sender: string;
  /** uint32 */
  dstEid: number;
  /** bytes32, or an EVM address / Solana key (normalised with addressToBytes32). */
  receiver: string;
};
export type ComputeGuidReturnType = Hex;

type CheckedPath = { nonce: bigint; srcEid: number; sender: Hex; dstEid: number; receiver: Hex };

function checkPath(p: ComputeGuidParameters): CheckedPath {
  return {
    nonce: checkUint('nonce', p.nonce, 64, 'bigint'),
    srcEid: Number(checkUint('srcEid', p.srcEid, 32, 'number')),
    sender: addressToBytes32(p.sender),
    dstEid: Number(checkUint('dstEid', p.dstEid, 32, 'number')),
    receiver: addressToBytes32(p.receiver),
  };
}

function guidOf(p: CheckedPath): Hex {
  const guid = calculateGuid({
    version: PACKET_VERSION,
    nonce: p.nonce.toString(), // lz-v2-utilities types the nonce as a decimal string
    srcEid: p.srcEid,
    sender: p.sender,
    dstEid: p.dstEid,
    receiver: p.receiver,
  });
  // calculateGuid returns 0x + 64 hex digits (a keccak256); lowercase it to our Hex convention.
  return guid.toLowerCase() as Hex;
}

/** GUID = keccak256(abi.encodePacked(uint64 nonce, uint32 srcEid, bytes32 sender, uint32 dstEid, bytes32 receiver)). */
export function computeGuid(params: ComputeGuidParameters): ComputeGuidReturnType {
  return guidOf(checkPath(params));
}

/** payloadHash = keccak256(guid ‖ message). */
export function computePayloadHash(guid: Hex | Uint8Array, message: Hex | Uint8Array): Hex {
  // ethers keccak256 returns lowercase 0x + 64 hex digits.
  return keccak256(concat([toBytes(guid, 'guid'), toBytes(message, 'message')])) as Hex;
}

export type SerializePacketParameters = ComputeGuidParameters & { guid: Hex | Uint8Array; message: Hex | Uint8Array };

/**
 * Low level: header ‖ guid ‖ message exactly as `PacketV1Codec.sol`, with the guid TAKEN AS GIVEN (not checked
 * against the header). This is what LayerZero's own codec vector exercises; use `encodePacket` for real packets.
 */
export function serializePacket(params: SerializePacketParameters): Hex {
  const path = checkPath(params);
  const guid = toFixedHex(params.guid, 32, 'guid');
  const message = bytesToHex(toBytes(params.message, 'message'));
  const packet = PacketV1Codec.encode({
    version: PACKET_VERSION,
    nonce: path.nonce.toString(), // lz-v2-utilities types the nonce as a decimal string
    srcEid: path.srcEid,
    sender: path.sender,
    dstEid: path.dstEid,
    receiver: path.receiver,
    guid,
    message,
    payload: concat([guid, message]),
  });
  // PacketV1Codec.encode returns "0x" + lowercase hex of its buffer.
  return packet as Hex;
}

export type EncodePacketParameters = ComputeGuidParameters & { message: Hex | Uint8Array };
export type EncodePacketReturnType = { packet: Hex; guid: Hex; payloadHash: Hex };

/** Builds a PacketV1: header ‖ guid computed from the header ‖ message. */
export function encodePacket(params: EncodePacketParameters): EncodePacketReturnType {
  const guid = computeGuid(params);
  const packet = serializePacket({ ...params, guid });
  return { packet, guid, payloadHash: computePayloadHash(guid, params.message) };
}

export type DecodePacketParameters = Hex | Uint8Array;
export type DecodePacketReturnType = {
  version: typeof PACKET_VERSION;
  nonce: bigint;
  srcEid: number;
  sender: Hex;
  dstEid: number;
  receiver: Hex;
  guid: Hex;
  message: Hex;
  /** The 81-byte header. */
  header: Hex;
  payloadHash: Hex;
};

/**
 * Low level: splits a PacketV1 into its fields. Checks the length (≥ 113 bytes, InvalidLengthError) and the
 * version (1, UnsupportedVersionError) but NOT the guid; use `decodePacket` for packets you act on.
 */
export function parsePacket(input: DecodePacketParameters): DecodePacketReturnType {
  const bytes = toBytes(input, 'packet');
  if (bytes.length < PACKET_MESSAGE_OFFSET) {
    throw new InvalidLengthError({ expected: PACKET_MESSAGE_OFFSET, actual: bytes.length, subject: 'packet', comparison: 'min' });
  }
  const version = bytes[PACKET_VERSION_OFFSET] ?? 0;
  if (version !== PACKET_VERSION) throw new UnsupportedVersionError({ version, subject: 'packet' });

  const codec = PacketV1Codec.fromBytes(bytes);
  // The codec returns "0x" + lowercase hex slices of its buffer for these four fields.
  const guid = codec.guid() as Hex;
  const message = codec.message() as Hex; // as above
  return {
    version: PACKET_VERSION,
    nonce: BigInt(codec.nonce()), // a decimal string from the codec
    srcEid: codec.srcEid(),
    sender: codec.sender() as Hex, // 0x + lowercase hex, as above
    dstEid: codec.dstEid(),
    receiver: codec.receiver() as Hex, // as above
    guid,
    message,
    header: bytesToHex(bytes.subarray(0, PACKET_HEADER_LENGTH)),
    payloadHash: computePayloadHash(guid, message),
  };
}

/**
 * Decodes a PacketV1. Strict: at least 113 bytes (InvalidLengthError), version 1 (UnsupportedVersionError), and the
 * guid must equal the one recomputed from the header (GuidMismatchError). The message is returned as is.
 */
export function decodePacket(input: DecodePacketParameters): DecodePacketReturnType {
  const packet = parsePacket(input);
  const expected = guidOf(packet);
  if (expected !== packet.guid) throw new GuidMismatchError({ expected, actual: packet.guid });
  return packet;
}

export type BuildCreditPacketParameters = {
  /** uint32: the derivatives chain's endpoint id. */
  dstEid: number;
  /** The MarginCreditReceiver: a 20-byte EVM address or its bytes32. */
  receiver: string;
};
export type BuildCreditPacketReturnType = EncodePacketReturnType & { message: Hex };

/**
 * Reference path of `buildCreditPacket`: `encodeCreditMessage`, then `encodePacket` (lz-v2-utilities). Slow (hex
 * round trips, ethers v5 inside the utilities); `buildCreditPacket` must return exactly what this returns.
 */
export function buildCreditPacketWithCodec(msg: CreditMessage, { dstEid, receiver }: BuildCreditPacketParameters): BuildCreditPacketReturnType {
  const message = encodeCreditMessage(msg);
  const encoded = encodePacket({ nonce: msg.depositNonce, srcEid: msg.srcEid, sender: msg.srcVault, dstEid, receiver, message });
  return { ...encoded, message };
}

const CREDIT_PACKET_LENGTH = PACKET_MESSAGE_OFFSET + MESSAGE_LENGTH;

/**
 * The last string receiver and its bytes32 (a memo of `addressToBytes32`, a pure function): a relayer posts to one
 * receiver, and checksumming a 20-byte address costs a keccak per call. Strings are immutable, so the key is safe.
 */
let lastReceiver: { key: string; bytes32: Uint8Array } | undefined;

/** Writes the receiver's bytes32 at `offset`; throws what `addressToBytes32` throws for an invalid one. */
function writeReceiver(out: Uint8Array, offset: number, receiver: string | Uint8Array): void {
  if (writeFixedHex(out, offset, receiver, 32)) return; // already a bytes32
  if (typeof receiver === 'string' && lastReceiver?.key === receiver) {
    out.set(lastReceiver.bytes32, offset);
    return;
  }
  const bytes32 = toBytes(addressToBytes32(receiver));
  if (typeof receiver === 'string') lastReceiver = { key: receiver, bytes32 };
  out.set(bytes32, offset);
}

/**
 * Encodes `msg` and wraps it in a PacketV1 with nonce = depositNonce, srcEid = msg.srcEid, sender = srcVault.
 *
 * Fast path: header, guid and message are written into one 296-byte buffer and hashed twice (guid over bytes 1–80,
 * payloadHash over guid ‖ message), with no hex round trips. Any input the fast path does not take (an invalid field,
 * a bytes32 given as Uint8Array, …) goes to `buildCreditPacketWithCodec`, so errors and results are exactly those of
 * the lz-v2-utilities path (property-tested in packet.test.ts, replayed against the vector file).
 */
export function buildCreditPacket(msg: CreditMessage, params: BuildCreditPacketParameters): BuildCreditPacketReturnType {
  const { dstEid, receiver } = params;
  const out = new Uint8Array(CREDIT_PACKET_LENGTH);
  if (!writeCreditMessage(out, PACKET_MESSAGE_OFFSET, msg)) return buildCreditPacketWithCodec(msg, params);
  if (typeof dstEid !== 'number' || !Number.isSafeInteger(dstEid) || dstEid < 0 || dstEid > 0xffff_ffff) {
    return buildCreditPacketWithCodec(msg, params); // throws FieldOutOfRangeError for dstEid
  }
  writeReceiver(out, PACKET_RECEIVER_OFFSET, receiver);

  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint8(PACKET_VERSION_OFFSET, PACKET_VERSION);
  view.setBigUint64(PACKET_NONCE_OFFSET, msg.depositNonce); // range-checked by writeCreditMessage
  view.setUint32(PACKET_SRC_EID_OFFSET, msg.srcEid); // range-checked by writeCreditMessage
  out.copyWithin(PACKET_SENDER_OFFSET, PACKET_MESSAGE_OFFSET + SRC_VAULT_OFFSET, PACKET_MESSAGE_OFFSET + SRC_VAULT_OFFSET + 32);
  view.setUint32(PACKET_DST_EID_OFFSET, dstEid);

  // ethers keccak256 returns lowercase 0x + 64 hex digits, so writeFixedHex always takes it.
  const guid = keccak256(out.subarray(PACKET_NONCE_OFFSET, PACKET_HEADER_LENGTH)) as Hex;
  writeFixedHex(out, PACKET_GUID_OFFSET, guid, 32);
  const payloadHash = keccak256(out.subarray(PACKET_GUID_OFFSET)) as Hex; // same form as above
  const packet = bytesToHex(out);
  // The message is the packet's tail: 0x + its hex digits from byte 113 on.
  const message: Hex = `0x${packet.slice(2 + 2 * PACKET_MESSAGE_OFFSET)}`;
  return { packet, guid, payloadHash, message };
}

export type DecodeCreditPacketReturnType = DecodePacketReturnType & { credit: CreditMessage };

/**
 * Decodes a packet and the credit message inside, and checks what the receiver checks of the pair:
 * header nonce = depositNonce, header srcEid = message srcEid, header sender = srcVault (HeaderMismatchError).
 */
export function decodeCreditPacket(input: DecodePacketParameters): DecodeCreditPacketReturnType {
  return withCredit(decodePacket(input));
}

function withCredit(packet: DecodePacketReturnType): DecodeCreditPacketReturnType {
  const credit = decodeCreditMessage(packet.message);
  if (packet.nonce !== credit.depositNonce) {
    throw new HeaderMismatchError({ field: 'nonce', header: packet.nonce.toString(), body: credit.depositNonce.toString() });
  }
  if (packet.srcEid !== credit.srcEid) {
    throw new HeaderMismatchError({ field: 'srcEid', header: String(packet.srcEid), body: String(credit.srcEid) });
  }
  if (packet.sender !== credit.srcVault) {
    throw new HeaderMismatchError({ field: 'sender', header: packet.sender, body: credit.srcVault });
  }
  return { ...packet, credit };
}

// Generic and per-type packets (docs/two-way-book.md) -------------------------------------------------------------

export type BuildPacketParameters = EncodePacketParameters;
export type BuildPacketReturnType = EncodePacketReturnType & { message: Hex };

/** `encodePacket`, also returning the message as lowercase hex: the shape of `buildCreditPacket`'s result. */
export function buildPacket(params: BuildPacketParameters): BuildPacketReturnType {
  const message = bytesToHex(toBytes(params.message, 'message'));
  return { ...encodePacket({ ...params, message }), message };
}

export type BuildWithdrawalPacketParameters = {
  /** uint32: the derivatives chain's endpoint id (the packet's srcEid). */
  srcEid: number;
  /** The MarginCreditReceiver sending it (the packet's sender): a 20-byte EVM address or its bytes32. */
  sender: string;
};

/** Encodes `msg` and wraps it in a PacketV1 with nonce = withdrawalNonce, dstEid = vaultEid, receiver = vault. */
export function buildWithdrawalPacket(msg: WithdrawalMessage, { srcEid, sender }: BuildWithdrawalPacketParameters): BuildPacketReturnType {
  const message = encodeWithdrawalMessage(msg);
  return buildPacket({ nonce: msg.withdrawalNonce, srcEid, sender, dstEid: msg.vaultEid, receiver: msg.vault, message });
}

/** Where a vault → receiver packet goes: the derivatives chain's eid and the MarginCreditReceiver. */
export type BuildVaultPacketParameters = BuildCreditPacketParameters;

/** Encodes `msg` and wraps it in a PacketV1 with nonce = resultNonce, srcEid = msg.srcEid, sender = srcVault. */
export function buildReleaseResultPacket(msg: ReleaseResultMessage, { dstEid, receiver }: BuildVaultPacketParameters): BuildPacketReturnType {
  const message = encodeReleaseResultMessage(msg);
  return buildPacket({ nonce: msg.resultNonce, srcEid: msg.srcEid, sender: msg.srcVault, dstEid, receiver, message });
}

/**
 * Encodes `msg` and wraps it in a PacketV1 with nonce = depositNonce, srcEid = msg.srcEid, sender = srcVault: the
 * same header, hence the same GUID, as the CREDIT of that deposit would have had.
 */
export function buildVoidPacket(msg: VoidMessage, { dstEid, receiver }: BuildVaultPacketParameters): BuildPacketReturnType {
  const message = encodeVoidMessage(msg);
  return buildPacket({ nonce: msg.depositNonce, srcEid: msg.srcEid, sender: msg.srcVault, dstEid, receiver, message });
}

function requireHeader(field: 'nonce' | 'srcEid' | 'sender' | 'dstEid' | 'receiver', header: bigint | number | Hex, body: bigint | number | Hex): void {
  if (header !== body) throw new HeaderMismatchError({ field, header: String(header), body: String(body) });
}

/** Header checks of a vault → receiver packet (CREDIT, VOID, RELEASE_RESULT): nonce, srcEid, sender = the message's. */
function requireVaultHeader(packet: DecodePacketReturnType, nonce: bigint, srcEid: number, srcVault: Hex): void {
  requireHeader('nonce', packet.nonce, nonce);
  requireHeader('srcEid', packet.srcEid, srcEid);
  requireHeader('sender', packet.sender, srcVault);
}

export type DecodeWithdrawalPacketReturnType = DecodePacketReturnType & { withdrawal: WithdrawalMessage };

/**
 * Decodes a packet (`decodePacket`: length, version, guid) and the WITHDRAWAL inside (`decodeWithdrawalMessage`), and
 * checks what the vault checks of the pair: header nonce = withdrawalNonce, dstEid = vaultEid, receiver = vault
 * (HeaderMismatchError naming the header field).
 */
export function decodeWithdrawalPacket(input: DecodePacketParameters): DecodeWithdrawalPacketReturnType {
  return withWithdrawal(decodePacket(input));
}

function withWithdrawal(packet: DecodePacketReturnType): DecodeWithdrawalPacketReturnType {
  const withdrawal = decodeWithdrawalMessage(packet.message);
  requireHeader('nonce', packet.nonce, withdrawal.withdrawalNonce);
  requireHeader('dstEid', packet.dstEid, withdrawal.vaultEid);
  requireHeader('receiver', packet.receiver, withdrawal.vault);
  return { ...packet, withdrawal };
}

export type DecodeReleaseResultPacketReturnType = DecodePacketReturnType & { releaseResult: ReleaseResultMessage };

/**
 * Decodes a packet and the RELEASE_RESULT inside, and checks header nonce = resultNonce, srcEid = message srcEid,
 * sender = srcVault (HeaderMismatchError). Whether the withdrawal is pending and matches is the receiver's state.
 */
export function decodeReleaseResultPacket(input: DecodePacketParameters): DecodeReleaseResultPacketReturnType {
  return withReleaseResult(decodePacket(input));
}

function withReleaseResult(packet: DecodePacketReturnType): DecodeReleaseResultPacketReturnType {
  const releaseResult = decodeReleaseResultMessage(packet.message);
  requireVaultHeader(packet, releaseResult.resultNonce, releaseResult.srcEid, releaseResult.srcVault);
  return { ...packet, releaseResult };
}

export type DecodeVoidPacketReturnType = DecodePacketReturnType & { void: VoidMessage };

/** Decodes a packet and the VOID inside, and checks header nonce = depositNonce, srcEid, sender = srcVault (HeaderMismatchError). */
export function decodeVoidPacket(input: DecodePacketParameters): DecodeVoidPacketReturnType {
  return withVoid(decodePacket(input));
}

function withVoid(packet: DecodePacketReturnType): DecodeVoidPacketReturnType {
  const voided = decodeVoidMessage(packet.message);
  requireVaultHeader(packet, voided.depositNonce, voided.srcEid, voided.srcVault);
  return { ...packet, void: voided };
}

/** A decoded packet of any known type: `messageType` says which one of the message fields is present. */
export type DecodeMessagePacketReturnType =
  | (DecodeCreditPacketReturnType & { messageType: MessageType.Credit })
  | (DecodeWithdrawalPacketReturnType & { messageType: MessageType.Withdrawal })
  | (DecodeReleaseResultPacketReturnType & { messageType: MessageType.ReleaseResult })
  | (DecodeVoidPacketReturnType & { messageType: MessageType.Void });

/**
 * Decodes a packet of any known type with that type's packet decoder (all their checks and errors). A message shorter
 * than 2 bytes → InvalidLengthError; a REVALUATION (never carried in a packet: it has no nonce or path for the header
 * to repeat) or an unknown type → UnsupportedMessageTypeError (expected null).
 */
export function decodeMessagePacket(input: DecodePacketParameters): DecodeMessagePacketReturnType {
  const packet = decodePacket(input);
  const type = peekMessageType(packet.message);
  if (!isMessageType(type)) throw new UnsupportedMessageTypeError({ messageType: type, expected: null });
  switch (type) {
    case MessageType.Credit:
      return { ...withCredit(packet), messageType: MessageType.Credit };
    case MessageType.Withdrawal:
      return { ...withWithdrawal(packet), messageType: MessageType.Withdrawal };
    case MessageType.ReleaseResult:
      return { ...withReleaseResult(packet), messageType: MessageType.ReleaseResult };
    case MessageType.Void:
      return { ...withVoid(packet), messageType: MessageType.Void };
    case MessageType.Revaluation:
      throw new UnsupportedMessageTypeError({
        messageType: type,
        expected: null,
        details: 'type 3 is REVALUATION: an asset mark, signed in a MarkBatch and never carried in a packet',
      });
  }
}
