import { Injectable, Logger } from '@nestjs/common';
import { buildCreditPacket, type CreditDomain, creditDomain } from '@ccr/messages';
import type { TransactionReceipt } from 'ethers';
import { AttesterService } from '../attester/attester.service';
import { ChainRegistry } from '../chains/chain-registry';
import { Clock } from '../common/clock';
import { describeError } from '../common/relayer-error';
import { AppConfig } from '../config/app-config';
import { MetricsRegistry } from '../metrics/metrics-registry';
import type { ChainConfig } from '../config/config.schema';
import { BatchState, type Batch } from '../store/batch.entity';
import { BatchRepository } from '../store/batch.repository';
import { Database } from '../store/database';
import { DepositState, HeldReason } from '../store/deposit-state';
import { Deposit } from '../store/deposit.entity';
import { DepositRepository } from '../store/deposit.repository';
import { transition } from '../store/transition';
import { ReceiverClient } from './receiver-client';
import { bumpFees } from './bump-fees';
import { toCreditMessage } from './to-credit-message';

/** What the poster did last, for /health ("why is nothing moving?"). */
export type PosterStatus = {
  lastRoundAt: string | null;
  lastResult: PostRoundResult | null;
  /** The last simulation that refused a batch: decoded receiver error, when, how many credits it carried. */
  lastRevert: { name: string; detail: string; at: string; batchSize: number } | null;
  lastError: string | null;
  /** The last batch whose pending transaction reached the fee cap (no further replacement). */
  lastFeeCap?: { batchId: number; txHash: string; maxFeePerGas: string; at: string } | undefined;
};

export type PostRoundResult = { reconciled: number; posted: number; credited: number; held: number; waiting: number };

/** States reconciliation may turn into CREDITED when the receiver's lastNonce is past them (SUBMITTED is settled from its receipt). */
const RECONCILABLE = new Set<DepositState>([DepositState.OBSERVED, DepositState.FINAL, DepositState.VALUED, DepositState.HELD, DepositState.FAILED]);

/** How far back (in log chunks of the destination) reconciliation looks for the `Credited` event of a GUID. */
const CREDIT_LOOKUP_MAX_CHUNKS = 50;
/** GUIDs per `eth_getLogs` topic list. */
const CREDIT_LOOKUP_GUIDS_PER_CALL = 100;

/**
 * The destination's poster. Each round:
 *  1. settles SUBMITTED batches from chain (receipt; re-broadcast of the stored raw tx if the node lost it);
 *  2. abandons ATTESTED batches left by a crash before broadcast (deposits back to VALUED);
 *  3. per pathway (srcEid, srcVault) reads `lastNonce` from the receiver: deposits at or below it are
 *     CREDITED ('reconciled') and never re-posted; then takes the contiguous VALUED run from lastNonce + 1
 *     (a HELD deposit blocks the later nonces of its pathway: ordered channel);
 *  4. batches the runs (≤ maxSize; flush when full or maxWaitMs after the oldest), attests, simulates
 *     (a would-revert batch is never sent: the offending deposit is HELD with the decoded error), signs with
 *     an explicit nonce, persists SUBMITTED with the tx hash and raw bytes, broadcasts, waits for the receipt.
 */
@Injectable()
export class PosterService {
  private readonly logger = new Logger(PosterService.name);
  readonly destination: ChainConfig;
  private readonly receiver: ReceiverClient;
  private readonly domain: CreditDomain;
  readonly status: PosterStatus = { lastRoundAt: null, lastResult: null, lastRevert: null, lastError: null };

  constructor(
    private readonly config: AppConfig,
    chains: ChainRegistry,
    private readonly deposits: DepositRepository,
    private readonly batches: BatchRepository,
    private readonly attester: AttesterService,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly metrics: MetricsRegistry,
  ) {
    this.destination = chains.destination();
    // Config validation guarantees the destination has a receiver.
    const receiverAddress = this.destination.receiver!;
    this.receiver = new ReceiverClient(this.destination.name, this.destination.chainId, receiverAddress, chains.evmAdapter(this.destination.eid).pool, config.posterKey.reveal());
    this.domain = creditDomain({ chainId: this.destination.chainId, verifyingContract: receiverAddress });
  }

  posterAddress(): string {
    return this.receiver.wallet.address;
  }

  async post(): Promise<PostRoundResult> {
    try {
      const result = await this.postRound();
      Object.assign(this.status, { lastRoundAt: this.clock.now().toISOString(), lastResult: result, lastError: null });
      return result;
    } catch (error) {
      Object.assign(this.status, { lastRoundAt: this.clock.now().toISOString(), lastError: describeError(error) });
      throw error;
    }
  }

  private async postRound(): Promise<PostRoundResult> {
    const result: PostRoundResult = { reconciled: 0, posted: 0, credited: 0, held: 0, waiting: 0 };
    result.credited += await this.settleSubmitted();
    if ((await this.batches.inState(this.destination.eid, BatchState.SUBMITTED)).length > 0) return result; // still pending: post nothing new
    await this.abandonAttested();

    const ready: Deposit[] = [];
    for (const { srcEid, srcVault } of await this.deposits.openPathways(this.destination.eid)) {
      const lastNonce = await this.receiver.lastNonce(srcEid, srcVault);
      const rows = await this.deposits.pathway(srcEid, srcVault, this.destination.eid);
      result.reconciled += await this.reconcile(rows.filter((d) => d.nonce <= lastNonce && RECONCILABLE.has(d.state)), lastNonce);
      let expected = lastNonce + 1n;
      for (const d of rows) {
        if (d.nonce < expected) continue;
        if (d.nonce !== expected || d.state !== DepositState.VALUED) break;
        ready.push(d);
        expected++;
      }
    }
    if (ready.length === 0) return result;
    const oldest = Math.min(...ready.map((d) => (d.valuedAt ?? d.updatedAt).getTime()));
    if (ready.length < this.config.batch.maxSize && this.clock.now().getTime() - oldest < this.config.batch.maxWaitMs) {
      result.waiting = ready.length;
      return result;
    }
    // Batches go out one after another: each needs the previous one's nonces applied on chain.
    for (let i = 0; i < ready.length; i += this.config.batch.maxSize) {
      const outcome = await this.postBatch(ready.slice(i, i + this.config.batch.maxSize));
      result.posted += outcome.posted;
      result.credited += outcome.credited;
      result.held += outcome.held;
      if (!outcome.complete) break;
    }
    return result;
  }

  private async reconcile(rows: Deposit[], lastNonce: bigint): Promise<number> {
    if (rows.length === 0) return 0;
    const creditTx = await this.findCreditTxs(rows.map((d) => d.guid));
    await this.db.write(async (em) => {
      const at = this.clock.now();
      for (const d of rows) {
        const txHash = creditTx.get(d.guid) ?? null;
        await transition(em, {
          guid: d.guid,
          from: d.state,
          to: DepositState.CREDITED,
          reason: HeldReason.Reconciled,
          detail: { lastNonce, txHash },
          patch: { creditedAt: at, nextAttemptAt: null, ...(txHash === null ? {} : { creditTxHash: txHash }) },
          at,
        });
      }
    });
    this.metrics.inc('ccr_credits_reconciled_total', {}, rows.length);
    this.logger.log(`reconciled ${rows.length} deposit(s) already credited on chain (lastNonce ${lastNonce}); credit tx found for ${creditTx.size}`);
    return rows.length;
  }

  /**
   * The transaction that credited each GUID, from the receiver's `Credited` events (guid is indexed), searched
   * backwards from the head in log chunks down to the destination's startBlock (at most CREDIT_LOOKUP_MAX_CHUNKS
   * chunks). Best effort: a GUID not found, or an RPC failure, leaves the hash unknown rather than blocking.
   */
  private async findCreditTxs(guids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    try {
      let to = await this.receiver.blockNumber();
      for (let i = 0; i < CREDIT_LOOKUP_MAX_CHUNKS && to >= this.destination.startBlock && found.size < guids.length; i++) {
        const from = Math.max(this.destination.startBlock, to - this.destination.logChunkSize + 1);
        const wanted = guids.filter((g) => !found.has(g));
        for (let j = 0; j < wanted.length; j += CREDIT_LOOKUP_GUIDS_PER_CALL)
          for (const log of await this.receiver.creditedLogs(wanted.slice(j, j + CREDIT_LOOKUP_GUIDS_PER_CALL), from, to)) found.set(log.guid, log.txHash);
        to = from - 1;
      }
    } catch (error) {
      this.logger.warn(`cannot look up credit transactions: ${describeError(error)}`);
    }
    return found;
  }

  /** Attest, simulate, sign, persist, broadcast, confirm one batch. `complete` is false when not all of it went through. */
  private async postBatch(batch: Deposit[]): Promise<{ posted: number; credited: number; held: number; complete: boolean }> {
    let held = 0;
    let candidates = batch;
    for (;;) {
      if (candidates.length === 0) return { posted: 0, credited: 0, held, complete: false };
      const packets = candidates.map((d) => buildCreditPacket(toCreditMessage(d), { dstEid: this.destination.eid, receiver: this.destination.receiver! }));
      packets.forEach((p, i) => {
        if (p.guid !== candidates[i]!.guid) throw new Error(`GUID mismatch for ${candidates[i]!.guid}: packet has ${p.guid}`);
      });
      const attestation = await this.metrics.time('attest', () =>
        this.attester.attest(
          this.domain,
          packets.map((p) => ({ guid: p.guid, payloadHash: p.payloadHash })),
        ),
      );
      const packetBytes = packets.map((p) => p.packet);
      const simulation = await this.metrics.time('simulate', () => this.receiver.simulate(packetBytes, attestation.signatures));
      if (!simulation.ok) {
        const { revert } = simulation;
        this.metrics.inc('ccr_would_revert_total', { error: revert.name });
        const detail = `${revert.name}(${Object.entries(revert.args).map(([k, v]) => `${k}=${v}`).join(', ')})`;
        const repeated = this.status.lastRevert?.detail === detail;
        this.status.lastRevert = { name: revert.name, detail, at: this.clock.now().toISOString(), batchSize: candidates.length };
        const offender = revert.index === undefined ? undefined : candidates[revert.index];
        if (offender === undefined) {
          // Not about one packet (threshold, pause, signer set): nothing to hold, the operator must act. Logged once per new error.
          if (!repeated) this.logger.error(`batch of ${candidates.length} would revert: ${detail}; not sent (see /health)`);
          return { posted: 0, credited: 0, held, complete: false };
        }
        this.logger.warn(`deposit ${offender.guid} would revert the batch: ${detail}; holding it`);
        await this.deposits.hold({
          guid: offender.guid,
          from: DepositState.VALUED,
          reason: HeldReason.WouldRevert,
          detail,
          unitMs: this.config.retry.unitMs,
          maxAttempts: this.config.retry.maxAttempts,
          extra: { error: revert.name, args: revert.args },
        });
        held++;
        // Later nonces of the offender's pathway cannot go before it: keep only what precedes it.
        candidates = candidates.slice(0, revert.index);
        continue;
      }
      const gasLimit = (simulation.gas * 12n) / 10n;
      const guids = candidates.map((d) => d.guid);
      const batchId = await this.db.write(async (em) => {
        const at = this.clock.now();
        const id = await this.batches.createIn(em, { dstEid: this.destination.eid, guids: JSON.stringify(guids), digest: attestation.digest, state: BatchState.ATTESTED }, at);
        for (const guid of guids)
          await transition(em, { guid, from: DepositState.VALUED, to: DepositState.ATTESTED, detail: { batchId: id, digest: attestation.digest, signers: attestation.signers }, patch: { batchId: id }, at });
        return id;
      });
      const signed = await this.receiver.sign(packetBytes, attestation.signatures, gasLimit);
      await this.db.write(async (em) => {
        const at = this.clock.now();
        await this.batches.updateIn(
          em,
          batchId,
          {
            state: BatchState.SUBMITTED,
            txHash: signed.hash,
            rawTx: signed.raw,
            txNonce: signed.nonce,
            maxFeePerGas: signed.maxFeePerGas.toString(),
            maxPriorityFeePerGas: signed.maxPriorityFeePerGas.toString(),
            estimateMaxFeePerGas: signed.maxFeePerGas.toString(),
            estimateMaxPriorityFeePerGas: signed.maxPriorityFeePerGas.toString(),
            broadcastAt: at,
          },
          at,
        );
        for (const guid of guids) await transition(em, { guid, from: DepositState.ATTESTED, to: DepositState.SUBMITTED, detail: { batchId, txHash: signed.hash, txNonce: signed.nonce }, at });
      });
      const sent = await this.metrics.time('broadcast', () => this.receiver.broadcast(signed.raw));
      this.metrics.inc('ccr_batches_posted_total');
      this.metrics.inc('ccr_credits_posted_total', {}, guids.length);
      this.logger.log(`batch ${batchId}: ${guids.length} credit(s) in tx ${signed.hash} (nonce ${signed.nonce}, ${sent})`);
      const receipt = await this.metrics.time('confirm', () => this.receiver.waitForReceipt(signed.hash, this.config.pipeline.receiptTimeoutMs));
      if (receipt === null) return { posted: guids.length, credited: 0, held, complete: false };
      const batchRow = await this.batches.get(batchId);
      const credited = await this.settle(batchRow!, receipt);
      return { posted: guids.length, credited, held, complete: credited === guids.length && candidates.length === batch.length };
    }
  }

  /**
   * SUBMITTED batches: settle from the receipt of the current transaction or of one it replaced; a transaction still
   * pending `feeBumpAfterMs` after its broadcast is replaced (fees × 1.10, same nonce, ≤ 3× the estimate); one the
   * node forgot is re-broadcast from the same signed bytes; give up when the nonce went elsewhere.
   */
  private async settleSubmitted(): Promise<number> {
    let credited = 0;
    for (const batch of await this.batches.inState(this.destination.eid, BatchState.SUBMITTED)) {
      try {
        // A SUBMITTED batch always has its hash and raw bytes (persisted together before broadcast).
        const hashes = [batch.txHash!, ...(JSON.parse(batch.replacedTxHashes ?? '[]') as string[])]; // written by bumpFee as a JSON string array
        let receipt: TransactionReceipt | null = null;
        for (const hash of hashes) if (receipt === null) receipt = await this.receiver.receipt(hash);
        if (receipt !== null) {
          credited += await this.settle(batch, receipt);
          continue;
        }
        let pending = false;
        for (const hash of hashes) if (!pending) pending = (await this.receiver.transaction(hash)) !== null;
        if (pending) {
          await this.maybeBumpFee(batch);
          continue;
        }
        const sent = await this.receiver.broadcast(batch.rawTx!);
        if (sent === 'nonce-used') await this.abandon(batch, BatchState.ABANDONED, HeldReason.TxDropped, 'account nonce used by another transaction');
        else this.logger.warn(`batch ${batch.id}: re-broadcast tx ${batch.txHash} (${sent})`);
      } catch (error) {
        this.logger.warn(`batch ${batch.id}: cannot settle yet: ${describeError(error)}`);
      }
    }
    return credited;
  }

  /** Replaces the batch's pending transaction when it has waited `feeBumpAfterMs` since its broadcast. */
  private async maybeBumpFee(batch: Batch): Promise<void> {
    const after = this.config.pipeline.feeBumpAfterMs;
    const since = batch.broadcastAt ?? batch.updatedAt;
    if (after === 0 || this.clock.now().getTime() - since.getTime() < after) return;
    if (batch.maxFeePerGas === null || batch.maxPriorityFeePerGas === null || batch.estimateMaxFeePerGas === null || batch.estimateMaxPriorityFeePerGas === null) return; // signed before fees were recorded
    const current = { maxFeePerGas: BigInt(batch.maxFeePerGas), maxPriorityFeePerGas: BigInt(batch.maxPriorityFeePerGas) };
    const fees = bumpFees({ current, estimate: { maxFeePerGas: BigInt(batch.estimateMaxFeePerGas), maxPriorityFeePerGas: BigInt(batch.estimateMaxPriorityFeePerGas) } });
    if (fees === null) {
      if (this.status.lastFeeCap?.batchId !== batch.id) this.logger.warn(`batch ${batch.id}: tx ${batch.txHash} still pending at the fee cap (3× the estimate); waiting`);
      this.status.lastFeeCap = { batchId: batch.id, txHash: batch.txHash!, maxFeePerGas: batch.maxFeePerGas, at: this.clock.now().toISOString() };
      return;
    }
    const replacement = await this.receiver.replace(batch.rawTx!, fees);
    const replaced = [...(JSON.parse(batch.replacedTxHashes ?? '[]') as string[]), batch.txHash!]; // written here as a JSON string array
    const guids = JSON.parse(batch.guids) as string[]; // written by postBatch as a JSON string array
    // Persisted before broadcast, like the first signing: after a crash the newest bytes are re-broadcast and every hash is checked.
    await this.db.write(async (em) => {
      const at = this.clock.now();
      await this.batches.updateIn(
        em,
        batch.id,
        { txHash: replacement.hash, rawTx: replacement.raw, maxFeePerGas: fees.maxFeePerGas.toString(), maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(), replacedTxHashes: JSON.stringify(replaced), broadcastAt: at },
        at,
      );
      for (const guid of guids)
        await transition(em, {
          guid,
          from: DepositState.SUBMITTED,
          to: DepositState.SUBMITTED,
          reason: HeldReason.FeeBumped,
          detail: { batchId: batch.id, txHash: replacement.hash, replaces: batch.txHash, txNonce: replacement.nonce, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas },
          at,
        });
    });
    const sent = await this.receiver.broadcast(replacement.raw);
    this.metrics.inc('ccr_tx_replacements_total');
    this.logger.warn(`batch ${batch.id}: tx ${batch.txHash} stuck; replaced by ${replacement.hash} (nonce ${replacement.nonce}, maxFeePerGas ${fees.maxFeePerGas}, ${sent})`);
  }

  private async settle(batch: Batch, receipt: TransactionReceipt): Promise<number> {
    const guids = JSON.parse(batch.guids) as string[]; // written by postBatch as a JSON string array
    if (receipt.status !== 1) {
      this.logger.error(`batch ${batch.id}: tx ${receipt.hash} REVERTED on chain (it was simulated first)`);
      this.metrics.inc('ccr_posts_reverted_total');
      await this.abandon(batch, BatchState.REVERTED, HeldReason.TxReverted, `tx ${receipt.hash} reverted`, receipt.gasUsed);
      return 0;
    }
    await this.db.write(async (em) => {
      const at = this.clock.now();
      await this.batches.updateIn(em, batch.id, { state: BatchState.CONFIRMED, gasUsed: receipt.gasUsed.toString(), txHash: receipt.hash.toLowerCase() }, at);
      for (const guid of guids)
        await transition(em, {
          guid,
          from: DepositState.SUBMITTED,
          to: DepositState.CREDITED,
          detail: { batchId: batch.id, txHash: receipt.hash, block: receipt.blockNumber },
          patch: { creditTxHash: receipt.hash.toLowerCase(), creditedAt: at },
          at,
        });
    });
    this.metrics.inc('ccr_credits_confirmed_total', {}, guids.length);
    this.logger.log(`batch ${batch.id}: ${guids.length} credited in block ${receipt.blockNumber} (gas ${receipt.gasUsed})`);
    return guids.length;
  }

  /** The batch will not land: its deposits go back to VALUED; the next round's lastNonce check decides what is already credited. */
  private async abandon(batch: Batch, state: BatchState, reason: HeldReason, error: string, gasUsed?: bigint): Promise<void> {
    const guids = JSON.parse(batch.guids) as string[]; // written by postBatch as a JSON string array
    await this.db.write(async (em) => {
      const at = this.clock.now();
      await this.batches.updateIn(em, batch.id, { state, error, ...(gasUsed === undefined ? {} : { gasUsed: gasUsed.toString() }) }, at);
      for (const guid of guids) {
        const d = await em.findOne(Deposit, { where: { guid }, select: { guid: true, state: true } });
        if (d?.state === DepositState.SUBMITTED || d?.state === DepositState.ATTESTED)
          await transition(em, { guid, from: d.state, to: DepositState.VALUED, reason, detail: { batchId: batch.id, error }, patch: { batchId: null }, at });
      }
    });
  }

  private async abandonAttested(): Promise<void> {
    for (const batch of await this.batches.inState(this.destination.eid, BatchState.ATTESTED)) {
      this.logger.warn(`batch ${batch.id} was attested but never signed/sent (crash?): releasing its deposits`);
      await this.abandon(batch, BatchState.ABANDONED, HeldReason.TxDropped, 'never broadcast');
    }
  }
}
