import type { TxReceipt } from '../chains/destination-submitter';
import { describeError } from '../common/relayer-error';
import { BatchState, type Batch } from '../store/batch.entity';
import { DepositState, HeldReason } from '../store/deposit-state';
import { deliveredState } from '../store/message-kind';
import { transitionMany } from '../store/transition-many';
import { abandonBatch } from './abandon-batch';
import { groupBy } from './group-by';
import type { PosterContext, SentBatch } from './poster-context';
import { replaceStuckTx } from './replace-stuck-tx';

/**
 * What happens to a batch after it was signed and persisted SUBMITTED, until it is CONFIRMED (its messages
 * CONFIRMING, from the receipt), REVERTED, PREEMPTED (reverted because somebody else applied the same messages first:
 * reconciled, not a failure) or ABANDONED (its messages back to their ready state): receipts of the current and every
 * replaced hash; a transaction still pending is replaced with higher fees after `feeBumpAfterMs`; one the node forgot
 * is re-broadcast from the same signed bytes — unless its attestation expired (validUntil passed) or its account nonce
 * went to another transaction. Also releases batches a crash left ATTESTED (never signed).
 */
export class BatchSettler {
  constructor(private readonly ctx: PosterContext) {}

  /**
   * SUBMITTED batches: settle from the receipt of the current transaction or of one it replaced; a transaction still
   * pending `feeBumpAfterMs` after its broadcast is replaced (fees × 1.10, same nonce, ≤ 3× the estimate); one the
   * node forgot is re-broadcast from the same signed bytes; give up when the nonce went elsewhere.
   */
  async settleSubmitted(): Promise<number> {
    const { batches, destination, submitter, logger } = this.ctx;
    let credited = 0;
    const submitted = await batches.inState(destination.eid, BatchState.SUBMITTED);
    // The current transaction's receipt of every batch at once (several batches are in flight); then batch by batch, in nonce order.
    const firstReceipts = submitted.map((b) => submitter.receipt(b.txHash!).catch(() => undefined)); // undefined: an RPC error, asked again below
    for (const [i, batch] of submitted.entries()) {
      try {
        // A SUBMITTED batch always has its hash and raw bytes (persisted together before broadcast).
        const hashes = [batch.txHash!, ...(JSON.parse(batch.replacedTxHashes ?? '[]') as string[])]; // written by replaceStuckTx as a JSON string array
        const first = await firstReceipts[i]!;
        let receipt: TxReceipt | null = first ?? null;
        // The replaced hashes (and the current one again if asking for it failed).
        for (const hash of first === null ? hashes.slice(1) : hashes) receipt ??= await submitter.receipt(hash);
        if (receipt !== null) {
          credited += await this.settle(batch, receipt);
          continue;
        }
        let pending = false;
        for (const hash of hashes) if (!pending) pending = await submitter.hasTransaction(hash);
        if (pending) {
          await replaceStuckTx(this.ctx, batch);
          continue;
        }
        if (await this.expired(batch)) {
          await abandonBatch(this.ctx, batch, BatchState.ABANDONED, HeldReason.TxDropped, `attestation expired (validUntil ${batch.validUntil}) before the transaction was mined: attesting again`);
          continue;
        }
        const sent = await submitter.broadcast(batch.rawTx!);
        if (sent === 'nonce-used') await abandonBatch(this.ctx, batch, BatchState.ABANDONED, HeldReason.TxDropped, 'account nonce used by another transaction');
        else logger.warn(`batch ${batch.id}: re-broadcast tx ${batch.txHash} (${sent})`);
      } catch (error) {
        logger.warn(`batch ${batch.id}: cannot settle yet: ${describeError(error)}`);
      }
    }
    return credited;
  }

  /** Settles one batch of this round if its receipt is there (else the round's final settlement pass sees to it). */
  async settleIfMined(sent: SentBatch, next: { inFlight: number }): Promise<number> {
    try {
      const receipt = await this.ctx.submitter.receipt(sent.hash);
      const batch = receipt === null ? null : await this.ctx.batches.get(sent.id);
      if (receipt === null || batch === null || batch.state !== BatchState.SUBMITTED) return 0;
      const credited = await this.settle(batch, receipt);
      next.inFlight--;
      return credited;
    } catch (error) {
      this.ctx.logger.warn(`batch ${sent.id}: not settled in the round (${describeError(error)}); the next settlement pass retries`);
      return 0;
    }
  }

  /** Every in-flight slot taken: wait (≤ receiptTimeoutMs) for the oldest batch's receipt, then settle. */
  async awaitOldest(inFlight: readonly Batch[]): Promise<number> {
    const hash = inFlight[0]?.txHash;
    if (hash === null || hash === undefined) return 0;
    const receipt = await this.ctx.metrics.time('confirm', () => this.ctx.submitter.waitForReceipt(hash, this.ctx.config.pipeline.receiptTimeoutMs));
    return receipt === null ? 0 : this.settleSubmitted();
  }

  /** Batches a crash left ATTESTED (attested, never signed or sent): their messages go back to their ready state. */
  async abandonAttested(): Promise<void> {
    for (const batch of await this.ctx.batches.inState(this.ctx.destination.eid, BatchState.ATTESTED)) {
      this.ctx.logger.warn(`batch ${batch.id} was attested but never signed/sent (crash?): releasing its deposits`);
      await abandonBatch(this.ctx, batch, BatchState.ABANDONED, HeldReason.TxDropped, 'never broadcast');
    }
  }

  /** One mined transaction of a batch: success → CONFIRMED, its messages CONFIRMING; a revert → PREEMPTED or REVERTED. */
  private async settle(batch: Batch, receipt: TxReceipt): Promise<number> {
    const { destination, logger, metrics, db, clock, batches } = this.ctx;
    const guids = JSON.parse(batch.guids) as string[]; // written by postBatch as a JSON string array
    if (receipt.status !== 1) {
      // Submission is permissionless: if the destination already applied every message of the batch (someone else
      // landed the same attested packets first), our revert is not a failure — the messages are reconciled next round.
      if (await this.appliedElsewhere(guids)) {
        logger.warn(`batch ${batch.id}: tx ${receipt.hash} reverted because its messages were already applied on ${destination.name} by another transaction; reconciling them`);
        metrics.inc('ccr_posts_preempted_total', { chain: destination.name });
        await abandonBatch(this.ctx, batch, BatchState.PREEMPTED, HeldReason.Reconciled, `tx ${receipt.hash} reverted: already applied by another transaction`, receipt.gasUsed);
        return 0;
      }
      logger.error(`batch ${batch.id}: tx ${receipt.hash} REVERTED on chain (it was simulated first)`);
      metrics.inc('ccr_posts_reverted_total');
      await abandonBatch(this.ctx, batch, BatchState.REVERTED, HeldReason.TxReverted, `tx ${receipt.hash} reverted`, receipt.gasUsed);
      return 0;
    }
    // A destination whose finality bound is its head (confirmations 0): applied at the head is final, so the rows go
    // on to CREDITED / VOIDED / DELIVERED in the same transaction (history: SUBMITTED → CONFIRMING → final).
    const f = destination.finality;
    const finalAtHead = f.mode === 'confirmations' && f.confirmations === 0;
    const rows = finalAtHead ? await this.ctx.deposits.getMany(guids) : [];
    await db.write(async (em) => {
      const at = clock.now();
      await batches.updateIn(em, batch.id, { state: BatchState.CONFIRMED, gasUsed: receipt.gasUsed.toString(), txHash: receipt.hash.toLowerCase() }, at);
      await transitionMany(em, {
        from: DepositState.SUBMITTED,
        to: DepositState.CONFIRMING,
        detail: { batchId: batch.id, txHash: receipt.hash, block: receipt.blockNumber },
        patch: { creditTxHash: receipt.hash.toLowerCase(), deliveredBlock: receipt.blockNumber },
        items: guids.map((guid) => ({ guid })),
        at,
      });
      for (const [to, group] of groupBy(rows, (d) => deliveredState(d.kind, d.voidReason !== null)))
        await transitionMany(em, { from: DepositState.CONFIRMING, to, at, detail: { finalAtHead: receipt.blockNumber }, patch: { creditedAt: at }, items: group.map((d) => ({ guid: d.guid })) });
    });
    metrics.inc('ccr_credits_confirmed_total', {}, guids.length);
    logger.log(`batch ${batch.id}: ${guids.length} applied on ${destination.name} in block ${receipt.blockNumber} (gas ${receipt.gasUsed})`);
    return guids.length;
  }

  /** True when the destination's inbound nonce (latest block) is at or past every one of these messages. */
  private async appliedElsewhere(guids: readonly string[]): Promise<boolean> {
    const rows = await this.ctx.deposits.getMany(guids);
    if (rows.length !== guids.length) return false;
    const last = new Map<string, bigint>();
    for (const d of rows) {
      const key = `${d.srcEid}:${d.srcVault}`;
      if (!last.has(key)) last.set(key, await this.ctx.submitter.lastNonce(d.srcEid, d.srcVault));
      if (d.nonce > last.get(key)!) return false; // set just above
    }
    return true;
  }

  /** True when the destination's clock is past the batch's validUntil: its transaction would revert, never re-send it. */
  private async expired(batch: Batch): Promise<boolean> {
    if (batch.validUntil === null) return false;
    return (await this.ctx.submitter.latestTimestamp()) > BigInt(batch.validUntil);
  }
}
