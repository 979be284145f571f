import type { Logger } from '@nestjs/common';
import { type AttestationDomain, receiverDomain, type SignBatchReturnType, vaultDomain } from '@ccr/messages';
import { toBytes32 } from '../chains/evm/evm-chain-adapter';
import type { Clock } from '../common/clock';
import { describeError } from '../common/relayer-error';
import type { AppConfig } from '../config/app-config';
import type { MetricsRegistry } from '../metrics/metrics-registry';
import type { ChainConfig } from '../config/config.schema';
import { BatchState, type Batch } from '../store/batch.entity';
import type { BatchRepository } from '../store/batch.repository';
import type { Database } from '../store/database';
import { DepositState, HeldReason } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import type { DepositRepository } from '../store/deposit.repository';
import { deliveredState, MessageKind, readyState } from '../store/message-kind';
import { transitionMany } from '../store/transition-many';
import type { AttestationProvider } from './attestation-provider';
import { type EvmSubmitter, type SignedTx, type SimulationResult, type TxReceipt } from './evm-submitter';
import { bumpFees, type Fees } from './bump-fees';
import { selectRun } from './select-run';
import { toMessage } from './to-message';

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

/** A batch ready for simulation: its messages, the attesters' signatures, the submit calldata, its validUntil. */
type Prepared = { candidates: Deposit[]; attestation: SignBatchReturnType; data: Buffer; validUntil: bigint };

export type PostRoundResult = { reconciled: number; posted: number; credited: number; held: number; waiting: number };

/** States reconciliation may turn into CONFIRMING when the destination's inbound nonce is past them (SUBMITTED is settled from its receipt). */
const RECONCILABLE = new Set<DepositState>([DepositState.OBSERVED, DepositState.FINAL, DepositState.VALUED, DepositState.HELD, DepositState.FAILED, DepositState.VOIDING]);

/** What a destination poster is built from (PosterService builds one per destination contract). */
export type DestinationPosterParameters = {
  chain: ChainConfig;
  /** The contract that takes batches here: the receiver (derivatives chain) or the chain's vault. */
  role: 'receiver' | 'vault';
  submitter: EvmSubmitter;
  attestation: AttestationProvider;
  config: AppConfig;
  deposits: DepositRepository;
  batches: BatchRepository;
  db: Database;
  clock: Clock;
  metrics: MetricsRegistry;
  logger: Logger;
};

/** How far back (in log chunks of the destination) reconciliation looks for the `Credited` event of a GUID. */
const CREDIT_LOOKUP_MAX_CHUNKS = 50;
/** GUIDs per `eth_getLogs` topic list. */
const CREDIT_LOOKUP_GUIDS_PER_CALL = 100;

/**
 * The poster of ONE destination contract — the receiver on the derivatives chain (credits, voids, release results) or
 * a source chain's vault (withdrawals): every message kind goes the same way. Each round (its own loop, so a
 * valuation backlog never delays it):
 *  1. settles SUBMITTED batches from chain (receipt → CONFIRMING; re-broadcast of the stored raw tx if the node lost
 *     it; fee bump); abandons ATTESTED batches left by a crash before signing (messages back to their ready state);
 *  2. per path (srcEid, sender) reads the destination's inbound nonce at the latest block and at its finality bound:
 *     what is at or below the finality bound's becomes CREDITED / VOIDED / DELIVERED; CONFIRMING rows above the
 *     latest one go back to their ready state ('dest-reorged': a destination reorg dropped their transaction); ready
 *     rows at or below the latest one are CONFIRMING ('reconciled', never re-posted); then the contiguous ready run
 *     after it (select-run.ts: a HELD deposit blocks the later nonces: ordered channel);
 *  3. batches the runs (full batches at once; a partial one maxWaitMs after its oldest row) and, while fewer than
 *     `pipeline.maxInFlight` batches are SUBMITTED, posts them one after another without waiting for receipts:
 *     packets + attestation (validUntil = the chain's latest block time + attestationTtlSeconds) + calldata on the
 *     attestation provider (a worker thread), one batch ahead; simulation at the `pending` block (a would-revert batch
 *     is never sent: the offending row is HELD with the decoded error); sign with the next explicit account nonce;
 *     persist SUBMITTED with the tx hash and raw bytes; broadcast; meanwhile settle the batch sent before if mined;
 *  4. settles the rest, and confirms what reached the finality bound.
 */
export class DestinationPoster {
  private readonly logger: Logger;
  readonly destination: ChainConfig;
  readonly role: 'receiver' | 'vault';
  private readonly receiver: EvmSubmitter;
  private readonly domain: AttestationDomain;
  /** The destination contract as bytes32 (packets take it as is, without re-checksumming an address per packet). */
  private readonly receiverBytes32: string;
  private readonly selector: string;
  /** Gas per credit of the last batch simulated with eth_estimateGas (rounded up): the next batches' gas limit. */
  private gasPerCredit: bigint | undefined;
  /** Packets + attestation + calldata (local keys: on a worker thread, while the main thread simulates/sends the batch before). */
  private readonly preparer: AttestationProvider;
  private readonly config: AppConfig;
  private readonly deposits: DepositRepository;
  private readonly batches: BatchRepository;
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly metrics: MetricsRegistry;
  readonly status: PosterStatus = { lastRoundAt: null, lastResult: null, lastRevert: null, lastError: null };

  constructor(p: DestinationPosterParameters) {
    this.logger = p.logger;
    this.destination = p.chain;
    this.role = p.role;
    this.receiver = p.submitter;
    this.preparer = p.attestation;
    this.config = p.config;
    this.deposits = p.deposits;
    this.batches = p.batches;
    this.db = p.db;
    this.clock = p.clock;
    this.metrics = p.metrics;
    const params = { chainId: p.chain.chainId, verifyingContract: p.submitter.address };
    this.domain = p.role === 'receiver' ? receiverDomain(params) : vaultDomain(params);
    this.receiverBytes32 = toBytes32(p.submitter.address);
    this.selector = `0x${p.submitter.encode([], 0n, []).subarray(0, 4).toString('hex')}`;
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
    await this.deposits.requeueDue(this.destination.eid, this.clock.now());
    const maxSize = this.config.batch.maxSize;
    result.credited += await this.settleSubmitted();
    await this.abandonAttested();
    const inFlight = await this.batches.inState(this.destination.eid, BatchState.SUBMITTED);
    const room = this.config.pipeline.maxInFlight - inFlight.length;
    if (room <= 0) {
      result.credited += await this.awaitOldest(inFlight);
      return result;
    }

    const ready: Deposit[] = [];
    const finality = await this.finalityBound();
    for (const { srcEid, srcVault } of await this.deposits.openPathways(this.destination.eid)) {
      const [lastNonce, finalNonce] = await Promise.all([this.receiver.lastNonce(srcEid, srcVault), finality === 'latest' ? undefined : this.receiver.lastNonce(srcEid, srcVault, finality)]);
      result.reconciled += await this.reconcile(await this.deposits.pathwayUpTo(srcEid, srcVault, this.destination.eid, lastNonce, [...RECONCILABLE]), lastNonce);
      await this.confirm(srcEid, srcVault, lastNonce, finalNonce ?? lastNonce);
      // In-flight rows first (at most maxInFlight batches of them), then what can follow them (a round may post
      // more than `room` batches: each one settled during the round frees its slot).
      const rows = await this.deposits.pathwayAfter(srcEid, srcVault, this.destination.eid, lastNonce, 3 * this.config.pipeline.maxInFlight * maxSize);
      ready.push(...selectRun(rows, lastNonce));
    }
    if (ready.length === 0) return result;
    // Full batches go now; a partial one (the run's tail, or a run shorter than maxSize) once its oldest deposit has
    // waited batch.maxWaitMs (more may join it meanwhile).
    const slices: Deposit[][] = [];
    for (let i = 0; i + maxSize <= ready.length; i += maxSize) slices.push(ready.slice(i, i + maxSize));
    const tail = ready.slice(slices.length * maxSize);
    if (tail.length > 0 && this.clock.now().getTime() - Math.min(...tail.map((d) => (d.valuedAt ?? d.updatedAt).getTime())) >= this.config.batch.maxWaitMs) slices.push(tail);
    if (slices.length === 0) {
      result.waiting = ready.length;
      return result;
    }
    // Nonce-ordered: each batch takes the next account nonce after everything pending and everything SUBMITTED.
    // (The first batch is built while these RPCs are out.)
    const validUntil = (await this.receiver.latestTimestamp()) + BigInt(this.config.pipeline.attestationTtlSeconds);
    const reading = Promise.all([this.receiver.pendingNonce(), this.receiver.fees(), this.receiver.blockGasLimit()]);
    reading.catch(() => undefined); // awaited just below; never an unhandled rejection while the first batch is built
    let prepared: Promise<Prepared> | undefined = this.prepare(slices[0]!, validUntil);
    prepared.catch(() => undefined); // awaited in the loop below
    const [pendingNonce, fees, blockGasLimit] = await reading;
    const next = { nonce: Math.max(pendingNonce, ...inFlight.map((b) => (b.txNonce ?? -1) + 1)), inFlight: inFlight.length, fees, blockGasLimit };
    // While batch j is simulated, the one sent before it is settled if mined (its receipt and DB write overlap the
    // node's work), which frees its in-flight slot for the rest of the round.
    const settling: Promise<number>[] = [];
    let previous: { id: number; hash: string } | undefined;
    for (let j = 0; j < slices.length && prepared !== undefined && next.inFlight < this.config.pipeline.maxInFlight; j++) {
      const following = slices[j + 1];
      const outcome = await this.postBatch(slices[j]!, next, await prepared, following === undefined ? undefined : () => this.prepare(following, validUntil));
      prepared = outcome.nextPrepared;
      result.posted += outcome.posted;
      result.held += outcome.held;
      if (previous !== undefined) settling.push(this.settleIfMined(previous, next));
      previous = outcome.sent;
      if (!outcome.complete) break;
    }
    for (const credited of await Promise.all(settling)) result.credited += credited;
    if (result.posted > 0) {
      result.credited += await this.settleSubmitted();
      // On a chain whose finality bound is its head (confirmations 0), what was just applied is final at once.
      if (finality === 'latest') for (const { srcEid, srcVault } of await this.deposits.openPathways(this.destination.eid)) {
        const lastNonce = await this.receiver.lastNonce(srcEid, srcVault);
        await this.confirm(srcEid, srcVault, lastNonce, lastNonce);
      }
    }
    return result;
  }

  /** The destination's finality bound: 'latest' when it is the head itself (confirmations 0), else a block number. */
  private async finalityBound(): Promise<number | 'latest'> {
    const f = this.destination.finality;
    if (f.mode === 'confirmations' && f.confirmations === 0) return 'latest';
    if (f.mode === 'confirmations') return Math.max(0, (await this.receiver.blockNumber()) - f.confirmations);
    return this.receiver.finalizedBlock();
  }

  /**
   * CONFIRMING rows of one path against the destination's inbound nonce: at or below `finalNonce` (read at the finality
   * bound) → CREDITED / VOIDED / DELIVERED; above `lastNonce` (read at the latest block) → back to their ready state
   * ('dest-reorged'): the transaction that applied them left the destination's chain, they are posted again.
   */
  private async confirm(srcEid: number, srcVault: string, lastNonce: bigint, finalNonce: bigint): Promise<void> {
    const rows = await this.deposits.pathwayInState(srcEid, srcVault, this.destination.eid, DepositState.CONFIRMING);
    if (rows.length === 0) return;
    const final = rows.filter((d) => d.nonce <= finalNonce);
    const dropped = rows.filter((d) => d.nonce > lastNonce);
    if (final.length === 0 && dropped.length === 0) return;
    await this.db.write(async (em) => {
      const at = this.clock.now();
      // A reconciled row stays 'reconciled' in its final state (how it was learnt to be applied: from chain state).
      for (const [key, group] of groupBy(final, (d) => `${deliveredState(d.kind, d.voidReason !== null)}|${d.reason === HeldReason.Reconciled ? d.reason : ''}`)) {
        const [to, reason] = key.split('|') as [DepositState, string]; // built just above
        await transitionMany(em, { from: DepositState.CONFIRMING, to, reason: reason === '' ? null : reason, at, detail: { finalNonce }, patch: { creditedAt: at }, items: group.map((d) => ({ guid: d.guid })) });
      }
      for (const [to, group] of groupBy(dropped, (d) => readyState(d.kind, d.voidReason !== null)))
        await transitionMany(em, {
          from: DepositState.CONFIRMING,
          to,
          reason: HeldReason.DestReorged,
          at,
          detail: { lastNonce, previousBlock: group[0]?.deliveredBlock ?? null },
          patch: { batchId: null, creditTxHash: null, deliveredBlock: null, reasonDetail: `the destination's inbound nonce (${lastNonce}) fell below it: its transaction left the chain (reorg); posting it again` },
          items: group.map((d) => ({ guid: d.guid })),
        });
    });
    if (dropped.length > 0) {
      this.metrics.inc('ccr_dest_reorged_total', { chain: this.destination.name }, dropped.length);
      this.logger.warn(`${this.destination.name}: ${dropped.length} message(s) of path ${srcEid}/${srcVault} were applied and then reorged out (inbound nonce ${lastNonce}): posting them again`);
    }
  }

  /** Settles one batch of this round if its receipt is there (else the round's final settlement pass sees to it). */
  private async settleIfMined(sent: { id: number; hash: string }, next: { inFlight: number }): Promise<number> {
    try {
      const receipt = await this.receiver.receipt(sent.hash);
      const batch = receipt === null ? null : await this.batches.get(sent.id);
      if (receipt === null || batch === null || batch.state !== BatchState.SUBMITTED) return 0;
      const credited = await this.settle(batch, receipt);
      next.inFlight--;
      return credited;
    } catch (error) {
      this.logger.warn(`batch ${sent.id}: not settled in the round (${describeError(error)}); the next settlement pass retries`);
      return 0;
    }
  }

  /** Every in-flight slot taken: wait (≤ receiptTimeoutMs) for the oldest batch's receipt, then settle. */
  private async awaitOldest(inFlight: readonly Batch[]): Promise<number> {
    const hash = inFlight[0]?.txHash;
    if (hash === null || hash === undefined) return 0;
    const receipt = await this.metrics.time('confirm', () => this.receiver.waitForReceipt(hash, this.config.pipeline.receiptTimeoutMs));
    return receipt === null ? 0 : this.settleSubmitted();
  }

  /** Marks CREDITED ('reconciled') what the receiver's lastNonce shows as credited; states re-read in the write. */
  private async reconcile(rows: Deposit[], lastNonce: bigint): Promise<number> {
    if (rows.length === 0) return 0;
    const creditTx = await this.findCreditTxs(rows.map((d) => d.guid));
    const done = await this.db.write(async (em) => {
      const at = this.clock.now();
      const current = await this.deposits.statesIn(em, rows.map((d) => d.guid));
      const byFrom = new Map<DepositState, Deposit[]>();
      for (const d of rows) {
        const state = current.get(d.guid);
        if (state === undefined || !RECONCILABLE.has(state)) continue; // moved on meanwhile (the poster's own batch settles it)
        let group = byFrom.get(state);
        if (group === undefined) byFrom.set(state, (group = []));
        group.push(d);
      }
      let n = 0;
      for (const [from, group] of byFrom) {
        await transitionMany(em, {
          from,
          to: DepositState.CONFIRMING,
          reason: HeldReason.Reconciled,
          at,
          patch: { nextAttemptAt: null },
          items: group.map((d) => {
            const txHash = creditTx.get(d.guid) ?? null;
            return { guid: d.guid, detail: { lastNonce, txHash }, ...(txHash === null ? {} : { patch: { creditTxHash: txHash } }) };
          }),
        });
        n += group.length;
      }
      return n;
    });
    this.metrics.inc('ccr_credits_reconciled_total', {}, done);
    this.logger.log(`reconciled ${done} message(s) already applied on ${this.destination.name} (inbound nonce ${lastNonce}); tx found for ${creditTx.size}`);
    return done;
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

  /**
   * Attest, simulate, sign, persist, broadcast one batch (no receipt wait: settled by the next settle pass).
   * `next` is the round's nonce/in-flight bookkeeping, advanced on a broadcast. `complete` is false when not all of
   * the batch went out (the round stops posting).
   */
  /** Packets, attestation and calldata of one batch (CPU only; on the preparer's worker thread when it has one). */
  private async prepare(candidates: Deposit[], validUntil: bigint): Promise<Prepared> {
    const messages = candidates.map((d) => ({ guid: d.guid, message: toMessage(d), ...(d.kind === MessageKind.Withdrawal ? { from: { srcEid: d.srcEid, sender: d.srcVault } } : {}) }));
    const { attestation, calldata } = await this.metrics.time('attest', () =>
      this.preparer.prepare({ messages, dstEid: this.destination.eid, receiver: this.receiverBytes32, domain: this.domain, validUntil, selector: this.selector }),
    );
    return { candidates, attestation, data: calldata, validUntil };
  }

  private async postBatch(
    batch: Deposit[],
    next: { nonce: number; inFlight: number; fees: Fees; blockGasLimit: bigint },
    first: Prepared,
    prepareNext: (() => Promise<Prepared>) | undefined,
  ): Promise<{ posted: number; held: number; complete: boolean; nextPrepared: Promise<Prepared> | undefined; sent?: { id: number; hash: string } }> {
    let held = 0;
    let candidates = batch;
    let current: Prepared | undefined = first;
    let nextPrepared: Promise<Prepared> | undefined;
    for (;;) {
      if (candidates.length === 0) return { posted: 0, held, complete: false, nextPrepared };
      const { attestation, data, validUntil }: Prepared = current ?? (await this.prepare(candidates, first.validUntil));
      current = undefined;
      // The simulation. Once a batch has shown its gas per credit, the next ones are signed with a gas limit from it
      // (× 1.32: the usual estimate × 1.2 margin, +10 %) and simulated with eth_call at exactly that limit — success
      // there means the signed transaction succeeds — instead of eth_estimateGas's search; any refusal of that call
      // (revert, out of gas) goes to eth_estimateGas, whose answer decides as before.
      const wanted = this.gasPerCredit === undefined ? undefined : (this.gasPerCredit * BigInt(candidates.length) * 132n) / 100n;
      const guess = wanted === undefined || wanted > next.blockGasLimit ? undefined : wanted;
      const simulating: Promise<SimulationResult & { exact?: boolean }> = this.metrics.time('simulate', async () => {
        if (guess !== undefined && (await this.receiver.succeedsWithGas(data, guess))) return { ok: true, gas: guess, exact: true };
        return this.receiver.simulate(data);
      });
      // While the node simulates this batch, build the next one (its packets, signatures and calldata are CPU work).
      if (nextPrepared === undefined && prepareNext !== undefined) {
        nextPrepared = prepareNext();
        nextPrepared.catch(() => undefined); // awaited by the round if it gets that far; never an unhandled rejection
      }
      // Also while the node simulates: sign with that gas limit (the main thread would otherwise wait).
      const presigned = guess === undefined ? undefined : this.receiver.sign(data, next.nonce, guess, next.fees);
      const simulation = await simulating;
      if (!simulation.ok) {
        const { revert } = simulation;
        // The first packet's nonce is not the next one at `pending`: a batch in flight did not reach the node's pool
        // (lost, not re-broadcast yet) or the node ignores `pending`. Not this deposit's fault: wait for the in-flight ones.
        if (revert.name === 'UnexpectedNonce' && revert.index === 0 && next.inFlight > 0) return { posted: 0, held, complete: false, nextPrepared };
        this.metrics.inc('ccr_would_revert_total', { error: revert.name });
        const detail = `${revert.name}(${Object.entries(revert.args).map(([k, v]) => `${k}=${v}`).join(', ')})`;
        const repeated = this.status.lastRevert?.detail === detail;
        this.status.lastRevert = { name: revert.name, detail, at: this.clock.now().toISOString(), batchSize: candidates.length };
        const offender = revert.index === undefined ? undefined : candidates[revert.index];
        if (offender === undefined) {
          // Not about one packet (threshold, pause, signer set): nothing to hold, the operator must act. Logged once per new error.
          if (!repeated) this.logger.error(`batch of ${candidates.length} would revert: ${detail}; not sent (see /health)`);
          return { posted: 0, held, complete: false, nextPrepared };
        }
        this.logger.warn(`${offender.kind} ${offender.guid} would revert the batch: ${detail}; holding it`);
        await this.deposits.hold({
          guid: offender.guid,
          from: offender.state,
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
      const guids = candidates.map((d) => d.guid);
      let signed: SignedTx;
      if (simulation.exact === true && presigned !== undefined) signed = presigned;
      else {
        this.gasPerCredit = (simulation.gas + BigInt(candidates.length) - 1n) / BigInt(candidates.length);
        signed = this.receiver.sign(data, next.nonce, (simulation.gas * 12n) / 10n, next.fees);
      }
      // Persisted BEFORE broadcast, in one transaction: the batch (SUBMITTED, hash, raw bytes, nonce, fees) and its
      // deposits VALUED → ATTESTED → SUBMITTED (bulk compare-and-set: if one moved meanwhile, nothing is written or sent).
      const batchId = await this.db.write(async (em) => {
        const at = this.clock.now();
        const fees = { maxFeePerGas: signed.maxFeePerGas.toString(), maxPriorityFeePerGas: signed.maxPriorityFeePerGas.toString() };
        const id = await this.batches.createIn(
          em,
          {
            dstEid: this.destination.eid,
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
      next.nonce++;
      next.inFlight++;
      const sent = await this.metrics.time('broadcast', () => this.receiver.broadcast(signed.raw));
      this.metrics.inc('ccr_batches_posted_total');
      this.metrics.inc('ccr_credits_posted_total', {}, guids.length);
      this.logger.log(`batch ${batchId}: ${guids.length} message(s) to ${this.destination.name} in tx ${signed.hash} (nonce ${signed.nonce}, ${sent})`);
      // Anything but a fresh or known transaction: stop; settlement sorts it out (re-broadcast, or abandon if the nonce went elsewhere).
      return { posted: guids.length, held, complete: (sent === 'sent' || sent === 'known') && candidates.length === batch.length, nextPrepared, sent: { id: batchId, hash: signed.hash } };
    }
  }

  /**
   * SUBMITTED batches: settle from the receipt of the current transaction or of one it replaced; a transaction still
   * pending `feeBumpAfterMs` after its broadcast is replaced (fees × 1.10, same nonce, ≤ 3× the estimate); one the
   * node forgot is re-broadcast from the same signed bytes; give up when the nonce went elsewhere.
   */
  private async settleSubmitted(): Promise<number> {
    let credited = 0;
    const submitted = await this.batches.inState(this.destination.eid, BatchState.SUBMITTED);
    // The current transaction's receipt of every batch at once (several batches are in flight); then batch by batch, in nonce order.
    const firstReceipts = submitted.map((b) => this.receiver.receipt(b.txHash!).catch(() => undefined)); // undefined: an RPC error, asked again below
    for (const [i, batch] of submitted.entries()) {
      try {
        // A SUBMITTED batch always has its hash and raw bytes (persisted together before broadcast).
        const hashes = [batch.txHash!, ...(JSON.parse(batch.replacedTxHashes ?? '[]') as string[])]; // written by bumpFee as a JSON string array
        const first = await firstReceipts[i]!;
        let receipt: TxReceipt | null = first ?? null;
        // The replaced hashes (and the current one again if asking for it failed).
        for (const hash of first === null ? hashes.slice(1) : hashes) if (receipt === null) receipt = await this.receiver.receipt(hash);
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
        if (await this.expired(batch)) {
          await this.abandon(batch, BatchState.ABANDONED, HeldReason.TxDropped, `attestation expired (validUntil ${batch.validUntil}) before the transaction was mined: attesting again`);
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

  /** True when the destination's inbound nonce (latest block) is at or past every one of these messages. */
  private async appliedElsewhere(guids: readonly string[]): Promise<boolean> {
    const rows = await this.deposits.getMany(guids);
    if (rows.length !== guids.length) return false;
    const last = new Map<string, bigint>();
    for (const d of rows) {
      const key = `${d.srcEid}:${d.srcVault}`;
      if (!last.has(key)) last.set(key, await this.receiver.lastNonce(d.srcEid, d.srcVault));
      if (d.nonce > last.get(key)!) return false; // set just above
    }
    return true;
  }

  /** True when the destination's clock is past the batch's validUntil: its transaction would revert, never re-send it. */
  private async expired(batch: Batch): Promise<boolean> {
    if (batch.validUntil === null) return false;
    return (await this.receiver.latestTimestamp()) > BigInt(batch.validUntil);
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
      await transitionMany(em, {
        from: DepositState.SUBMITTED,
        to: DepositState.SUBMITTED,
        reason: HeldReason.FeeBumped,
        detail: { batchId: batch.id, txHash: replacement.hash, replaces: batch.txHash, txNonce: replacement.nonce, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas },
        items: guids.map((guid) => ({ guid })),
        at,
      });
    });
    const sent = await this.receiver.broadcast(replacement.raw);
    this.metrics.inc('ccr_tx_replacements_total');
    this.logger.warn(`batch ${batch.id}: tx ${batch.txHash} stuck; replaced by ${replacement.hash} (nonce ${replacement.nonce}, maxFeePerGas ${fees.maxFeePerGas}, ${sent})`);
  }

  private async settle(batch: Batch, receipt: TxReceipt): Promise<number> {
    const guids = JSON.parse(batch.guids) as string[]; // written by postBatch as a JSON string array
    if (receipt.status !== 1) {
      // Submission is permissionless: if the destination already applied every message of the batch (someone else
      // landed the same attested packets first), our revert is not a failure — the messages are reconciled next round.
      if (await this.appliedElsewhere(guids)) {
        this.logger.warn(`batch ${batch.id}: tx ${receipt.hash} reverted because its messages were already applied on ${this.destination.name} by another transaction; reconciling them`);
        this.metrics.inc('ccr_posts_preempted_total', { chain: this.destination.name });
        await this.abandon(batch, BatchState.PREEMPTED, HeldReason.Reconciled, `tx ${receipt.hash} reverted: already applied by another transaction`, receipt.gasUsed);
        return 0;
      }
      this.logger.error(`batch ${batch.id}: tx ${receipt.hash} REVERTED on chain (it was simulated first)`);
      this.metrics.inc('ccr_posts_reverted_total');
      await this.abandon(batch, BatchState.REVERTED, HeldReason.TxReverted, `tx ${receipt.hash} reverted`, receipt.gasUsed);
      return 0;
    }
    await this.db.write(async (em) => {
      const at = this.clock.now();
      await this.batches.updateIn(em, batch.id, { state: BatchState.CONFIRMED, gasUsed: receipt.gasUsed.toString(), txHash: receipt.hash.toLowerCase() }, at);
      await transitionMany(em, {
        from: DepositState.SUBMITTED,
        to: DepositState.CONFIRMING,
        detail: { batchId: batch.id, txHash: receipt.hash, block: receipt.blockNumber },
        patch: { creditTxHash: receipt.hash.toLowerCase(), deliveredBlock: receipt.blockNumber },
        items: guids.map((guid) => ({ guid })),
        at,
      });
    });
    this.metrics.inc('ccr_credits_confirmed_total', {}, guids.length);
    this.logger.log(`batch ${batch.id}: ${guids.length} applied on ${this.destination.name} in block ${receipt.blockNumber} (gas ${receipt.gasUsed})`);
    return guids.length;
  }

  /** The batch will not land: its messages go back to their ready state; the next round's inbound-nonce check decides what is already applied. */
  private async abandon(batch: Batch, state: BatchState, reason: HeldReason, error: string, gasUsed?: bigint): Promise<void> {
    const guids = JSON.parse(batch.guids) as string[]; // written by postBatch as a JSON string array
    const rows = await this.deposits.getMany(guids);
    await this.db.write(async (em) => {
      const at = this.clock.now();
      await this.batches.updateIn(em, batch.id, { state, error, ...(gasUsed === undefined ? {} : { gasUsed: gasUsed.toString() }) }, at);
      const current = await this.deposits.statesIn(em, guids);
      for (const from of [DepositState.SUBMITTED, DepositState.ATTESTED])
        for (const [to, group] of groupBy(
          rows.filter((d) => current.get(d.guid) === from),
          (d) => readyState(d.kind, d.voidReason !== null),
        ))
          await transitionMany(em, { from, to, reason, detail: { batchId: batch.id, error }, patch: { batchId: null }, items: group.map((d) => ({ guid: d.guid })), at });
    });
  }

  private async abandonAttested(): Promise<void> {
    for (const batch of await this.batches.inState(this.destination.eid, BatchState.ATTESTED)) {
      this.logger.warn(`batch ${batch.id} was attested but never signed/sent (crash?): releasing its deposits`);
      await this.abandon(batch, BatchState.ABANDONED, HeldReason.TxDropped, 'never broadcast');
    }
  }
}

/** Groups by a key, keeping first-seen order. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    let group = out.get(k);
    if (group === undefined) out.set(k, (group = []));
    group.push(item);
  }
  return out;
}
