import {
  type AnyMessage,
  type AttestationDomain,
  buildCreditPacket,
  type BuildPacketReturnType,
  buildReleaseResultPacket,
  buildVoidPacket,
  buildWithdrawalPacket,
  MessageType,
  type SignBatchReturnType,
  RECEIVER_DOMAIN_NAME,
} from '@ccr/messages';
import { attestBatch, type AttesterSigners } from '../attester/attest-batch';
import { RelayerError } from '../common/relayer-error';
import { encodeCompactSubmit, encodeSubmit } from '../chains/evm/encode-submit';

/** The packet built from a message's fields does not carry the row's GUID: never attested or sent. */
export class PacketGuidMismatchError extends RelayerError {
  override readonly name = 'PacketGuidMismatchError' as const;
  constructor(readonly guid: string, readonly packetGuid: string) {
    super(`GUID mismatch for ${guid}: packet has ${packetGuid}`, { details: { guid, packetGuid } });
  }
}

/** One message of a batch: its GUID, its body, and (a withdrawal) the path it leaves from. */
export type PrepareItem = { guid: string; message: AnyMessage; from?: { srcEid: number; sender: string } | undefined };

export type PrepareBatchParameters = {
  /** In packet order. */
  messages: readonly PrepareItem[];
  dstEid: number;
  /** The destination contract (the receiver, or a vault) as bytes32. */
  receiver: string;
  domain: AttestationDomain;
  /** Unix seconds after which the destination refuses the attestation. */
  validUntil: bigint;
  /** Selector of the destination's submit function (hex), for the calldata. */
  selector: string;
};

export type PreparedBatch = { attestation: SignBatchReturnType; calldata: Buffer };

/** The PacketV1 of one message, addressed to (dstEid, receiver). */
export function buildItemPacket(item: PrepareItem, dstEid: number, receiver: string): BuildPacketReturnType {
  const m = item.message;
  switch (m.messageType) {
    case MessageType.Credit:
      return buildCreditPacket(m, { dstEid, receiver });
    case MessageType.Void:
      return buildVoidPacket(m, { dstEid, receiver });
    case MessageType.ReleaseResult:
      return buildReleaseResultPacket(m, { dstEid, receiver });
    case MessageType.Withdrawal: {
      if (item.from === undefined) throw new PacketGuidMismatchError(item.guid, 'a withdrawal needs its origin (srcEid, sender)');
      return buildWithdrawalPacket(m, item.from);
    }
  }
}

/** The PacketV1 of each message of the batch, in order; each one's GUID must be the row's (PacketGuidMismatchError). */
export function buildBatchPackets(p: Pick<PrepareBatchParameters, 'messages' | 'dstEid' | 'receiver'>): BuildPacketReturnType[] {
  return p.messages.map((item) => {
    const packet = buildItemPacket(item, p.dstEid, p.receiver);
    if (packet.guid !== item.guid) throw new PacketGuidMismatchError(item.guid, packet.guid);
    return packet;
  });
}

/** The destination's submit calldata: the receiver's takes the messages only (it rebuilds each header), a vault's submitReleases the packets. */
export function encodeBatchCalldata(p: Pick<PrepareBatchParameters, 'domain' | 'selector' | 'validUntil'>, packets: readonly BuildPacketReturnType[], signatures: readonly string[]): Buffer {
  const encode = p.domain.name === RECEIVER_DOMAIN_NAME ? encodeCompactSubmit : encodeSubmit;
  return encode(
    Buffer.from(p.selector.replace(/^0x/, ''), 'hex'),
    packets.map((x) => x.packet),
    p.validUntil,
    signatures,
  );
}

/**
 * CPU only: the PacketV1 of each message (its GUID must be the row's), the attesters' EIP-712 PacketBatch signatures
 * (with validUntil), and the submit calldata. Runs in the poster's worker thread (batch-preparer.ts) or in process.
 */
export function prepareBatch(p: PrepareBatchParameters, signers: AttesterSigners): PreparedBatch {
  const packets = buildBatchPackets(p);
  const attestation = attestBatch(
    signers,
    p.domain,
    packets.map((x) => ({ guid: x.guid, payloadHash: x.payloadHash })),
    p.validUntil,
  );
  return { attestation, calldata: encodeBatchCalldata(p, packets, attestation.signatures) };
}
