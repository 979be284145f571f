import type { SignBatchReturnType } from '@ccr/messages';
import type { BroadcastOutcome, SignedTx } from '../chains/destination-submitter';
import { BatchState } from '../store/batch.entity';
import { DepositState } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { transitionMany } from '../store/transition-many';
import { groupBy } from './group-by';
import type { PosterContext } from './poster-context';

/** A signed batch to send: its messages (in packet order, in their ready state), attestation, validUntil and transaction. */
export type SignedBatch = { candidates: readonly Deposit[]; attestation: SignBatchReturnType; validUntil: bigint; signed: SignedTx };

/**
 * Persists a signed batch BEFORE its broadcast (`broadcastNew`), in one transaction: the batch (SUBMITTED, hash, raw
 * bytes, nonce, fees, validUntil) and its messages ready → ATTESTED → SUBMITTED (bulk compare-and-set: if one moved
 * meanwhile, nothing is written or sent). Returns the batch id.
 */
export function persistSubmitted(ctx: PosterContext, { candidates, attestation, validUntil, signed }: SignedBatch): Promise<number> {
  const { db, clock, batches, destination } = ctx;
  const guids = candidates.map((d) => d.guid);
  return db.write(async (em) => {
    const at = clock.now();
    const fees = { maxFeePerGas: signed.maxFeePerGas.toString(), maxPriorityFeePerGas: signed.maxPriorityFeePerGas.toString() };
    const id = await batches.createIn(
      em,
      {
        dstEid: destination.eid,
        guids: JSON.stringify(guids),
        digest: attestation.digest,
        state: BatchState.SUBMITTED,
        txHash: signed.hash,
        rawTx: signed.raw,
        txNonce: signed.nonce,
        ...fees,
        estimateMaxFeePerGas: fees.maxFeePerGas,
        estimateMaxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        broadcastAt: at,
        validUntil: validUntil.toString(),
      },
      at,
    );
    for (const [from, group] of groupBy(candidates, (d) => d.state))
      await transitionMany(em, { from, to: DepositState.ATTESTED, at, detail: { batchId: id, digest: attestation.digest, signers: attestation.signers, validUntil }, patch: { batchId: id }, items: group.map((d) => ({ guid: d.guid })) });
    await transitionMany(em, { from: DepositState.ATTESTED, to: DepositState.SUBMITTED, at, detail: { batchId: id, txHash: signed.hash, txNonce: signed.nonce }, items: guids.map((guid) => ({ guid })) });
    return id;
  });
}

/** The first broadcast of a batch persisted by `persistSubmitted`: metrics and the "batch N: … in tx …" log line. */
export async function broadcastNew(ctx: PosterContext, batchId: number, size: number, signed: SignedTx): Promise<BroadcastOutcome> {
  const sent = await ctx.metrics.time('broadcast', () => ctx.submitter.broadcast(signed.raw));
  ctx.metrics.inc('ccr_batches_posted_total');
  ctx.metrics.inc('ccr_credits_posted_total', {}, size);
  ctx.logger.log(`batch ${batchId}: ${size} message(s) to ${ctx.destination.name} in tx ${signed.hash} (nonce ${signed.nonce}, ${sent})`);
  return sent;
}
