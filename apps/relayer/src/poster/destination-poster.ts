import type { Logger } from '@nestjs/common';
import type { DestinationRole, DestinationSubmitter } from '../chains/destination-submitter';
import type { Clock } from '../common/clock';
import { describeError } from '../common/relayer-error';
import type { AppConfig } from '../config/app-config';
import type { ChainConfig } from '../config/config.schema';
import type { MetricsRegistry } from '../metrics/metrics-registry';
import { BatchState } from '../store/batch.entity';
import type { BatchRepository } from '../store/batch.repository';
import type { Database } from '../store/database';
import type { Deposit } from '../store/deposit.entity';
import type { DepositRepository } from '../store/deposit.repository';
import { AttestationQuorumError } from '../attester/quorum-attestation-provider';
import type { AttestationProvider } from './attestation-provider';
import { BatchPoster, type Prepared } from './batch-poster';
import { BatchSettler } from './batch-settler';
import type { PosterContext, SendCursor, SentBatch } from './poster-context';
import type { PosterStatus, PostRoundResult } from './poster-status';
import { Reconciler } from './reconciler';
import { pathwayKey } from '../solvency/pathway-halt.repository';
import { haltedRun, type PathwayHalts, selectRun } from './select-run';

export type { PosterStatus, PostRoundResult } from './poster-status';

/** What a destination poster is built from (PosterService builds one per destination contract). */
export type DestinationPosterParameters = {
  chain: ChainConfig;
  /** The contract that takes batches here (the receiver on the derivatives chain, or the chain's vault) and its account. */
  submitter: DestinationSubmitter;
  attestation: AttestationProvider;
  config: AppConfig;
  deposits: DepositRepository;
  batches: BatchRepository;
  db: Database;
  clock: Clock;
  metrics: MetricsRegistry;
  logger: Logger;
  /** Pathways halted by the solvency job: their credits and voids, and the withdrawals to their vault, are not posted (none when absent). */
  halts?: PathwayHalts | undefined;
};

/**
 * The poster of ONE destination contract — the receiver on the derivatives chain (credits, voids, release results) or
 * a source chain's vault (withdrawals): every message kind goes the same way. Only the round's orchestration and
 * batching live here; each round (its own loop, so a valuation backlog never delays it):
 *  1. settles SUBMITTED batches from chain (batch-settler.ts: receipt → CONFIRMING; re-broadcast of the stored raw tx
 *     if the node lost it; fee bump, replace-stuck-tx.ts); abandons ATTESTED batches left by a crash before signing
 *     (messages back to their ready state);
 *  2. per path (srcEid, sender) reads the destination's inbound nonce at the latest block and at its finality bound
 *     (reconciler.ts): what is at or below the finality bound's becomes CREDITED / VOIDED / DELIVERED; CONFIRMING rows
 *     above the latest one go back to their ready state ('dest-reorged': a destination reorg dropped their
 *     transaction); ready rows at or below the latest one are CONFIRMING ('reconciled', never re-posted); then the
 *     contiguous ready run after it (select-run.ts: a HELD deposit blocks the later nonces: ordered channel);
 *  3. batches the runs (full batches at once; a partial one maxWaitMs after its oldest row) and, while fewer than
 *     `pipeline.maxInFlight` batches are SUBMITTED, posts them one after another without waiting for receipts
 *     (batch-poster.ts): packets + attestation (validUntil = the chain's latest block time + attestationTtlSeconds) +
 *     calldata on the attestation provider (a worker thread), one batch ahead; simulation at the `pending` block (a
 *     would-revert batch is never sent: the offending row is HELD with the decoded error); sign with the next explicit
 *     account nonce; persist SUBMITTED with the tx hash and raw bytes, broadcast (submit-batch.ts); meanwhile settle
 *     the batch sent before if mined;
 *  4. settles the rest, and confirms what reached the finality bound.
 */
export class DestinationPoster {
  readonly destination: ChainConfig;
  readonly role: DestinationRole;
  readonly status: PosterStatus = { lastRoundAt: null, lastResult: null, lastRevert: null, lastError: null };
  private readonly ctx: PosterContext;
  private readonly reconciler: Reconciler;
  private readonly settler: BatchSettler;
  private readonly poster: BatchPoster;
  private readonly halts: PathwayHalts | undefined;

  constructor(p: DestinationPosterParameters) {
    this.halts = p.halts;
    this.destination = p.chain;
    this.role = p.submitter.role;
    this.ctx = { destination: p.chain, submitter: p.submitter, config: p.config, deposits: p.deposits, batches: p.batches, db: p.db, clock: p.clock, metrics: p.metrics, logger: p.logger, status: this.status };
    this.reconciler = new Reconciler(this.ctx);
    this.settler = new BatchSettler(this.ctx);
    this.poster = new BatchPoster(this.ctx, p.attestation);
  }

  posterAddress(): string {
    return this.ctx.submitter.posterAddress;
  }

  async post(): Promise<PostRoundResult> {
    try {
      const result = await this.postRound();
      Object.assign(this.status, { lastRoundAt: this.ctx.clock.now().toISOString(), lastResult: result, lastError: null });
      return result;
    } catch (error) {
      Object.assign(this.status, { lastRoundAt: this.ctx.clock.now().toISOString(), lastError: describeError(error) });
      throw error;
    }
  }

  private async postRound(): Promise<PostRoundResult> {
    const { config, deposits, batches, clock, submitter, destination } = this.ctx;
    const result: PostRoundResult = { reconciled: 0, posted: 0, credited: 0, held: 0, waiting: 0 };
    await deposits.requeueDue(destination.eid, clock.now());
    const maxSize = config.batch.maxSize;
    result.credited += await this.settler.settleSubmitted();
    await this.settler.abandonAttested();
    const inFlight = await batches.inState(destination.eid, BatchState.SUBMITTED);
    const room = config.pipeline.maxInFlight - inFlight.length;
    if (room <= 0) {
      result.credited += await this.settler.awaitOldest(inFlight);
      return result;
    }

    const ready: Deposit[] = [];
    const finality = await this.reconciler.finalityBound();
    const halted = (await this.halts?.haltedPathways()) ?? new Set<string>();
    for (const { srcEid, srcVault } of await deposits.openPathways(destination.eid)) {
      const { lastNonce, reconciled } = await this.reconciler.path(srcEid, srcVault, finality);
      result.reconciled += reconciled;
      // In-flight rows first (at most maxInFlight batches of them), then what can follow them (a round may post
      // more than `room` batches: each one settled during the round frees its slot).
      const rows = await deposits.pathwayAfter(srcEid, srcVault, destination.eid, lastNonce, 3 * config.pipeline.maxInFlight * maxSize);
      const run = selectRun(rows, lastNonce);
      // Halted by the solvency job: reconciled and confirmed as usual, but nothing that moves value goes out — to the
      // receiver no CREDIT or VOID of the halted pathway, to a halted pathway's vault no WITHDRAWAL (a forged credit
      // must not be paid out of the collateral of everybody else).
      if (submitter.role === 'receiver') ready.push(...(halted.has(pathwayKey(srcEid, srcVault)) ? haltedRun(run) : run));
      else if (!halted.has(pathwayKey(destination.eid, submitter.addressBytes32))) ready.push(...run);
    }
    if (ready.length === 0) return result;
    const slices = this.slice(ready);
    if (slices.length === 0) {
      result.waiting = ready.length;
      return result;
    }
    // Nonce-ordered: each batch takes the next account nonce after everything pending and everything SUBMITTED.
    // (The first batch is built while these RPCs are out.)
    const validUntil = (await this.chainTime()) + BigInt(config.pipeline.attestationTtlSeconds);
    const reading = Promise.all([submitter.pendingNonce(), submitter.fees(), submitter.blockGasLimit(), this.refreshChainTime()]);
    reading.catch(() => undefined); // awaited just below; never an unhandled rejection while the first batch is built
    let prepared: Promise<Prepared> | undefined = this.poster.prepare(slices[0]!, validUntil); // slices is not empty (checked above)
    prepared.catch(() => undefined); // awaited in the loop below
    const [pendingNonce, fees, blockGasLimit] = await reading;
    const next: SendCursor = { nonce: Math.max(pendingNonce, ...inFlight.map((b) => (b.txNonce ?? -1) + 1)), inFlight: inFlight.length, fees, blockGasLimit };
    // While batch j is simulated, the one sent before it is settled if mined (its receipt and DB write overlap the
    // node's work), which frees its in-flight slot for the rest of the round.
    const settling: Promise<number>[] = [];
    let previous: SentBatch | undefined;
    for (let j = 0; j < slices.length && prepared !== undefined && next.inFlight < config.pipeline.maxInFlight; j++) {
      const following = slices[j + 1];
      let first: Prepared;
      try {
        first = await prepared;
      } catch (error) {
        // Below the attesters' threshold: held for the retry schedule; what follows it on its paths waits behind it.
        if (!(error instanceof AttestationQuorumError)) throw error;
        result.held += await this.poster.holdForQuorum(slices[j]!, error); // j < slices.length
        break;
      }
      const outcome = await this.poster.postBatch(slices[j]!, next, first, following === undefined ? undefined : () => this.poster.prepare(following, validUntil)); // j < slices.length
      prepared = outcome.nextPrepared;
      result.posted += outcome.posted;
      result.held += outcome.held;
      if (previous !== undefined) settling.push(this.settler.settleIfMined(previous, next));
      previous = outcome.sent;
      if (!outcome.complete) break;
    }
    for (const credited of await Promise.all(settling)) result.credited += credited;
    if (result.posted > 0) result.credited += await this.settler.settleSubmitted();
    return result;
  }

  /** The destination's latest block time seen (unix seconds), read once and then refreshed while batches are built. */
  private lastChainTime: bigint | undefined;

  /**
   * The clock attestations expire by: the destination's own (a devnet's may run ahead of the wall clock), as of the last
   * round — never behind the wall clock. Read from the chain on the first round only, so building the first batch of a
   * round does not wait for an RPC.
   */
  private async chainTime(): Promise<bigint> {
    const wall = BigInt(Math.floor(this.ctx.clock.now().getTime() / 1000));
    const seen = this.lastChainTime ?? (await this.refreshChainTime());
    return seen > wall ? seen : wall;
  }

  private async refreshChainTime(): Promise<bigint> {
    this.lastChainTime = await this.ctx.submitter.latestTimestamp();
    return this.lastChainTime;
  }

  /**
   * The round's batches: full batches go now; a partial one (the run's tail, or a run shorter than maxSize) once its
   * oldest message has waited batch.maxWaitMs (more may join it meanwhile).
   */
  private slice(ready: readonly Deposit[]): Deposit[][] {
    const { maxSize, maxWaitMs } = this.ctx.config.batch;
    const slices: Deposit[][] = [];
    for (let i = 0; i + maxSize <= ready.length; i += maxSize) slices.push(ready.slice(i, i + maxSize));
    const tail = ready.slice(slices.length * maxSize);
    if (tail.length > 0 && this.ctx.clock.now().getTime() - Math.min(...tail.map((d) => (d.valuedAt ?? d.updatedAt).getTime())) >= maxWaitMs) slices.push(tail);
    return slices;
  }
}
