import { buildCreditPacket, type CreditDomain, type CreditMessage, type SignBatchReturnType } from '@ccr/messages';
import { attestBatch, type AttesterSigners } from '../attester/attest-batch';
import { RelayerError } from '../common/relayer-error';
import { encodeSubmitCredits } from './encode-submit-credits';

/** The packet built from a deposit's fields does not carry the deposit's GUID: never attested or sent. */
export class PacketGuidMismatchError extends RelayerError {
  override readonly name = 'PacketGuidMismatchError' as const;
  constructor(readonly guid: string, readonly packetGuid: string) {
    super(`GUID mismatch for ${guid}: packet has ${packetGuid}`, { details: { guid, packetGuid } });
  }
}

export type PrepareBatchParameters = {
  /** In packet order: each deposit's GUID and its credit message. */
  messages: readonly { guid: string; message: CreditMessage }[];
  dstEid: number;
  /** The receiver as bytes32. */
  receiver: string;
  domain: CreditDomain;
};

export type PreparedBatch = { attestation: SignBatchReturnType; calldata: Buffer };

/**
 * CPU only: the PacketV1 of each credit (its GUID must be the deposit's), the attesters' EIP-712 batch signatures,
 * and the submitCredits calldata. Runs in the poster's worker thread (batch-preparer.ts) or in process.
 */
export function prepareBatch(p: PrepareBatchParameters, signers: AttesterSigners): PreparedBatch {
  const packets = p.messages.map(({ guid, message }) => {
    const packet = buildCreditPacket(message, { dstEid: p.dstEid, receiver: p.receiver });
    if (packet.guid !== guid) throw new PacketGuidMismatchError(guid, packet.guid);
    return packet;
  });
  const attestation = attestBatch(
    signers,
    p.domain,
    packets.map((x) => ({ guid: x.guid, payloadHash: x.payloadHash })),
  );
  return {
    attestation,
    calldata: encodeSubmitCredits(
      packets.map((x) => x.packet),
      attestation.signatures,
    ),
  };
}
