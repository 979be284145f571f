import { Injectable } from '@nestjs/common';
import type { AttestationDomain, AttestedPacket, Hex, ReceiverDomain, SignBatchReturnType } from '@ccr/messages';
import { AppConfig } from '../config/app-config';
import { attestBatch, type AttesterSigners, attesterSigners } from './attest-batch';
import { attestMarkBatch, type AttestMarkBatchReturnType } from './attest-mark-batch';

export { AttestationError } from './attest-batch';

/**
 * Signs PacketBatch digests (EIP-712, with validUntil; the receiver's or a vault's domain) with every attester key this relayer holds. On a devnet one relayer may
 * hold several keys to meet a threshold > 1; in production each attester runs its own signer.
 * Signatures come back ordered by signer address, as the receiver requires (see attest-batch.ts).
 */
@Injectable()
export class AttesterService {
  private readonly signers: AttesterSigners;

  constructor(config: AppConfig) {
    this.signers = attesterSigners(config.attesterKeys.map((key) => key.reveal()));
  }

  addresses(): string[] {
    return this.signers.map((s) => s.address);
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- signing is synchronous, but a refused key set (AttestationError) must reach callers as a rejection
  async attest(domain: AttestationDomain, packets: readonly AttestedPacket[], validUntil: bigint): Promise<SignBatchReturnType> {
    return attestBatch(this.signers, domain, packets, validUntil);
  }

  /** Signs MarkBatch{marks, validUntil} (REVALUATION bodies for `submitMarks`) under the receiver's domain with every key. */
  attestMarks(domain: ReceiverDomain, marks: readonly Hex[], validUntil: bigint): AttestMarkBatchReturnType {
    return attestMarkBatch(this.signers, domain, marks, validUntil);
  }
}
