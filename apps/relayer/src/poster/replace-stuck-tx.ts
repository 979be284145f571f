import type { Batch } from '../store/batch.entity';
import { DepositState, HeldReason } from '../store/deposit-state';
import { transitionMany } from '../store/transition-many';
import { bumpFees } from './bump-fees';
import type { PosterContext } from './poster-context';

/**
 * Replaces the batch's pending transaction when it has waited `feeBumpAfterMs` since its broadcast: the same
 * transaction re-signed with fees × 1.10 (bump-fees.ts), capped at 3× the first signing's estimate — at the cap it
 * waits (logged once per batch, shown in /health). The replacement is persisted (hash, raw bytes, fees, the hashes
 * it replaces; its messages SUBMITTED → SUBMITTED 'fee-bumped') before it is broadcast.
 */
export async function replaceStuckTx(ctx: PosterContext, batch: Batch): Promise<void> {
  const { config, clock, status, logger, submitter, db, batches, metrics } = ctx;
  const after = config.pipeline.feeBumpAfterMs;
  const since = batch.broadcastAt ?? batch.updatedAt;
  if (after === 0 || clock.now().getTime() - since.getTime() < after) return;
  if (batch.maxFeePerGas === null || batch.maxPriorityFeePerGas === null || batch.estimateMaxFeePerGas === null || batch.estimateMaxPriorityFeePerGas === null) return; // signed before fees were recorded
  const current = { maxFeePerGas: BigInt(batch.maxFeePerGas), maxPriorityFeePerGas: BigInt(batch.maxPriorityFeePerGas) };
  const fees = bumpFees({ current, estimate: { maxFeePerGas: BigInt(batch.estimateMaxFeePerGas), maxPriorityFeePerGas: BigInt(batch.estimateMaxPriorityFeePerGas) } });
  if (fees === null) {
    if (status.lastFeeCap?.batchId !== batch.id) logger.warn(`batch ${batch.id}: tx ${batch.txHash} still pending at the fee cap (3× the estimate); waiting`);
    status.lastFeeCap = { batchId: batch.id, txHash: batch.txHash!, maxFeePerGas: batch.maxFeePerGas, at: clock.now().toISOString() };
    return;
  }
  const replacement = await submitter.replace(batch.rawTx!, fees);
  const replaced = [...(JSON.parse(batch.replacedTxHashes ?? '[]') as string[]), batch.txHash!]; // written here as a JSON string array
  const guids = JSON.parse(batch.guids) as string[]; // written by postBatch as a JSON string array
  // Persisted before broadcast, like the first signing: after a crash the newest bytes are re-broadcast and every hash is checked.
  await db.write(async (em) => {
    const at = clock.now();
    await batches.updateIn(
      em,
      batch.id,
      { txHash: replacement.hash, rawTx: replacement.raw, maxFeePerGas: fees.maxFeePerGas.toString(), maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(), replacedTxHashes: JSON.stringify(replaced), broadcastAt: at },
      at,
    );
    await transitionMany(em, {
      from: DepositState.SUBMITTED,
      to: DepositState.SUBMITTED,
      reason: HeldReason.FeeBumped,
      detail: { batchId: batch.id, txHash: replacement.hash, replaces: batch.txHash, txNonce: replacement.nonce, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas },
      items: guids.map((guid) => ({ guid })),
      at,
    });
  });
  const sent = await submitter.broadcast(replacement.raw);
  metrics.inc('ccr_tx_replacements_total');
  logger.warn(`batch ${batch.id}: tx ${batch.txHash} stuck; replaced by ${replacement.hash} (nonce ${replacement.nonce}, maxFeePerGas ${fees.maxFeePerGas}, ${sent})`);
}
