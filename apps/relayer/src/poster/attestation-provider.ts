import type { PrepareBatchParameters, PreparedBatch } from './prepare-batch';

/**
 * The seam between a poster and whoever signs its batches: give it the messages of one batch (with the destination,
 * its EIP-712 domain and validUntil), get back the attesters' signatures (ordered by signer, ≥ threshold) and the
 * calldata that carries them. `BatchPreparer`: the keys this process holds, signing on a worker thread (the default);
 * `QuorumAttestationProvider` (attester/quorum-attestation-provider.ts): independent attester processes asked over
 * HTTP, threshold signatures or AttestationQuorumError.
 */
export interface AttestationProvider {
  prepare(params: PrepareBatchParameters): Promise<PreparedBatch>;
  close(): Promise<void>;
}
