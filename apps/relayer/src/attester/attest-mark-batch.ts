import { type Hex, markBatchDigest, type ReceiverDomain } from '@ccr/messages';
import { recoverAddress } from 'ethers';
import { AttestationError, type AttesterSigners } from './attest-batch';

export type AttestMarkBatchReturnType = {
  digest: Hex;
  /** Signer addresses, strictly increasing. */
  signers: string[];
  /** `signatures[i]` is by `signers[i]`: the order `submitMarks` requires. */
  signatures: Hex[];
};

/**
 * Every attester key signs the EIP-712 MarkBatch{marks, validUntil} digest under the receiver's domain (`marks`: the
 * 78-byte REVALUATION bodies, in batch order): the same signatures as `signMarkBatch` of @ccr/messages
 * (attest-mark-batch.test.ts checks it byte for byte), the digest computed once and signed by each key, in signer
 * order. Each signature is checked to recover its signer; two keys with one address are refused.
 */
export function attestMarkBatch(signers: AttesterSigners, domain: ReceiverDomain, marks: readonly Hex[], validUntil: bigint): AttestMarkBatchReturnType {
  for (let i = 1; i < signers.length; i++) if (signers[i]!.order === signers[i - 1]!.order) throw new AttestationError('two attester keys with one address', signers[i]!.address);
  const digest = markBatchDigest(domain, marks, validUntil);
  const signatures = signers.map(({ wallet, address }) => {
    const signature = wallet.signingKey.sign(digest).serialized as Hex; // 0x r ‖ s ‖ v, 65 bytes
    if (recoverAddress(digest, signature) !== address) throw new AttestationError('signature does not recover its signer', address);
    return signature;
  });
  return { digest, signers: signers.map((s) => s.address), signatures };
}
