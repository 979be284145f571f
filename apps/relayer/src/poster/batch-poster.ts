import { type AttestationDomain, receiverDomain, type SignBatchReturnType, vaultDomain } from '@ccr/messages';
import type { SignedTx, SimulationResult } from '../chains/destination-submitter';
import { HeldReason } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { MessageKind } from '../store/message-kind';
import { AttestationQuorumError } from '../attester/quorum-attestation-provider';
import type { AttestationProvider } from './attestation-provider';
import type { PosterContext, SendCursor, SentBatch } from './poster-context';
import { broadcastNew, persistSubmitted } from './submit-batch';
import { toMessage } from './to-message';

/** A batch ready for simulation: its messages, the attesters' signatures, the submit calldata, its validUntil. */
export type Prepared = { candidates: Deposit[]; attestation: SignBatchReturnType; data: Buffer; validUntil: bigint };

/** What posting one batch did; `complete` is false when not all of it went out (the round stops posting). */
export type PostBatchOutcome = { posted: number; held: number; complete: boolean; nextPrepared: Promise<Prepared> | undefined; sent?: SentBatch };

/**
 * Posts one batch to one destination: packets + attestation + calldata from the attestation provider, simulation
 * (a would-revert batch is never sent: the offending message is HELD with the decoded error and the batch shrinks to
 * what precedes it), signing with the round's next account nonce, persistence (SUBMITTED) and broadcast. Learns the
 * gas per message from the simulations, so later batches are checked with one eth_call at a known gas limit.
 */
export class BatchPoster {
  private readonly domain: AttestationDomain;
  private readonly selector: string;
  /** Gas per credit of the last batch simulated with eth_estimateGas (rounded up): the next batches' gas limit. */
  private gasPerCredit: bigint | undefined;

  constructor(
    private readonly ctx: PosterContext,
    /** Packets + attestation + calldata (local keys: on a worker thread, while the main thread simulates/sends the batch before). */
    private readonly preparer: AttestationProvider,
  ) {
    const params = { chainId: ctx.destination.chainId, verifyingContract: ctx.submitter.address };
    this.domain = ctx.submitter.role === 'receiver' ? receiverDomain(params) : vaultDomain(params);
    this.selector = `0x${ctx.submitter.encode([], 0n, []).subarray(0, 4).toString('hex')}`;
  }

  /** Packets, attestation and calldata of one batch (CPU only; on the preparer's worker thread when it has one). */
  async prepare(candidates: Deposit[], validUntil: bigint): Promise<Prepared> {
    const messages = candidates.map((d) => ({ guid: d.guid, message: toMessage(d), ...(d.kind === MessageKind.Withdrawal ? { from: { srcEid: d.srcEid, sender: d.srcVault } } : {}) }));
    const { attestation, calldata } = await this.ctx.metrics.time('attest', () =>
      this.preparer.prepare({ messages, dstEid: this.ctx.destination.eid, receiver: this.ctx.submitter.addressBytes32, domain: this.domain, validUntil, selector: this.selector }),
    );
    return { candidates, attestation, data: calldata, validUntil };
  }

  /**
   * Fewer attesters than the threshold signed this batch: its messages are HELD ('attestation-quorum', reasonDetail
   * naming each attester that did not sign and why) and retried on the schedule — a credit goes back through
   * valuation, a withdrawal or result to FINAL — so the batch is proposed again once enough attesters answer.
   */
  async holdForQuorum(candidates: readonly Deposit[], error: AttestationQuorumError): Promise<number> {
    const { deposits, config, logger } = this.ctx;
    logger.warn(`batch of ${candidates.length} not attested: ${error.shortMessage}; holding it (attestation-quorum)`);
    for (const d of candidates)
      await deposits.hold({
        guid: d.guid,
        from: d.state,
        reason: HeldReason.AttestationQuorum,
        detail: error.shortMessage,
        unitMs: config.retry.unitMs,
        maxAttempts: config.retry.maxAttempts,
        extra: { threshold: error.threshold, signed: error.signed, problems: error.problems },
      });
    return candidates.length;
  }

  /**
   * Attest, simulate, sign, persist, broadcast one batch (no receipt wait: settled by the next settle pass).
   * `next` is the round's nonce/in-flight bookkeeping, advanced on a broadcast. `complete` is false when not all of
   * the batch went out (the round stops posting).
   */
  async postBatch(batch: Deposit[], next: SendCursor, first: Prepared, prepareNext: (() => Promise<Prepared>) | undefined): Promise<PostBatchOutcome> {
    const { submitter, metrics, status, clock, logger, deposits, config } = this.ctx;
    let held = 0;
    let candidates = batch;
    let current: Prepared | undefined = first;
    let nextPrepared: Promise<Prepared> | undefined;
    for (;;) {
      if (candidates.length === 0) return { posted: 0, held, complete: false, nextPrepared };
      let prepared: Prepared;
      try {
        prepared = current ?? (await this.prepare(candidates, first.validUntil));
      } catch (error) {
        if (!(error instanceof AttestationQuorumError)) throw error;
        return { posted: 0, held: held + (await this.holdForQuorum(candidates, error)), complete: false, nextPrepared };
      }
      const { attestation, data, validUntil } = prepared;
      current = undefined;
      // The simulation. Once a batch has shown its gas per credit, the next ones are signed with a gas limit from it
      // (× 1.32: the usual estimate × 1.2 margin, +10 %) and simulated with eth_call at exactly that limit — success
      // there means the signed transaction succeeds — instead of eth_estimateGas's search; any refusal of that call
      // (revert, out of gas) goes to eth_estimateGas, whose answer decides as before.
      const wanted = this.gasPerCredit === undefined ? undefined : (this.gasPerCredit * BigInt(candidates.length) * 132n) / 100n;
      const guess = wanted === undefined || wanted > next.blockGasLimit ? undefined : wanted;
      const simulating: Promise<SimulationResult & { exact?: boolean }> = metrics.time('simulate', async () => {
        if (guess !== undefined && (await submitter.succeedsWithGas(data, guess))) return { ok: true, gas: guess, exact: true };
        return submitter.simulate(data);
      });
      // While the node simulates this batch, build the next one (its packets, signatures and calldata are CPU work).
      if (nextPrepared === undefined && prepareNext !== undefined) {
        nextPrepared = prepareNext();
        nextPrepared.catch(() => undefined); // awaited by the round if it gets that far; never an unhandled rejection
      }
      // Also while the node simulates: sign with that gas limit (the main thread would otherwise wait).
      const presigned = guess === undefined ? undefined : submitter.sign(data, next.nonce, guess, next.fees);
      const simulation = await simulating;
      if (!simulation.ok) {
        const { revert } = simulation;
        // The first packet's nonce is not the next one at `pending`: a batch in flight did not reach the node's pool
        // (lost, not re-broadcast yet) or the node ignores `pending`. Not this deposit's fault: wait for the in-flight ones.
        if (revert.name === 'UnexpectedNonce' && revert.index === 0 && next.inFlight > 0) return { posted: 0, held, complete: false, nextPrepared };
        metrics.inc('ccr_would_revert_total', { error: revert.name });
        const detail = `${revert.name}(${Object.entries(revert.args).map(([k, v]) => `${k}=${v}`).join(', ')})`;
        const repeated = status.lastRevert?.detail === detail;
        status.lastRevert = { name: revert.name, detail, at: clock.now().toISOString(), batchSize: candidates.length };
        const offender = revert.index === undefined ? undefined : candidates[revert.index];
        if (offender === undefined) {
          // Not about one packet (threshold, pause, signer set): nothing to hold, the operator must act. Logged once per new error.
          if (!repeated) logger.error(`batch of ${candidates.length} would revert: ${detail}; not sent (see /health)`);
          return { posted: 0, held, complete: false, nextPrepared };
        }
        logger.warn(`${offender.kind} ${offender.guid} would revert the batch: ${detail}; holding it`);
        await deposits.hold({
          guid: offender.guid,
          from: offender.state,
          reason: HeldReason.WouldRevert,
          detail,
          unitMs: config.retry.unitMs,
          maxAttempts: config.retry.maxAttempts,
          extra: { error: revert.name, args: revert.args },
        });
        held++;
        // Later nonces of the offender's pathway cannot go before it: keep only what precedes it.
        candidates = candidates.slice(0, revert.index);
        continue;
      }
      let signed: SignedTx;
      if (simulation.exact === true && presigned !== undefined) signed = presigned;
      else {
        this.gasPerCredit = (simulation.gas + BigInt(candidates.length) - 1n) / BigInt(candidates.length);
        signed = submitter.sign(data, next.nonce, (simulation.gas * 12n) / 10n, next.fees);
      }
      const batchId = await persistSubmitted(this.ctx, { candidates, attestation, validUntil, signed });
      next.nonce++;
      next.inFlight++;
      const sent = await broadcastNew(this.ctx, batchId, candidates.length, signed);
      // Anything but a fresh or known transaction: stop; settlement sorts it out (re-broadcast, or abandon if the nonce went elsewhere).
      return { posted: candidates.length, held, complete: (sent === 'sent' || sent === 'known') && candidates.length === batch.length, nextPrepared, sent: { id: batchId, hash: signed.hash } };
    }
  }
}
