import { type Hex, packSignatures, receiverDomain, type ReceiverDomain } from '@ccr/messages';
import type { Logger } from '@nestjs/common';
import type { FeedReading } from '../chains/chain-adapter';
import { AttestationQuorumError } from '../attester/quorum-attestation-provider';
import type { DecodedRevert } from '../chains/destination-submitter';
import type { Clock } from '../common/clock';
import { describeError } from '../common/relayer-error';
import type { MetricsRegistry } from '../metrics/metrics-registry';
import type { KnownAsset } from '../valuation/asset-registry';
import { buildMarkBatch, MAX_MARK_NONCE, type MarkToPost } from './build-mark-batch';
import { decideMark, type MarkCandidate, type MarkDecision, MarkHold, type OnChainMark } from './decide-mark';
import { guardMark, type MarkRefusal, type MarkSkipReason } from './guard-mark';
import type { MarkChain, MarkSnapshot, ReceiverAssetConfig } from './mark-chain';

/** The marker's settings: `marks.*`, plus the pipeline's attestation TTL and receipt timeout. */
export type MarkerSettings = {
  deviationBps: number;
  heartbeatSeconds: number;
  attestationTtlSeconds: number;
  receiptTimeoutMs: number;
};

/** What a marker needs (MarkerService builds it from the config and the chain registry; unit tests from fakes). */
export type MarkerParameters = {
  chain: MarkChain;
  assets: readonly KnownAsset[];
  /** The asset's feed, read once per feed per round. */
  readFeed(asset: KnownAsset): Promise<FeedReading>;
  /** Attester signatures over MarkBatch{marks, validUntil}, ordered by signer (asynchronous when remote attesters are asked). */
  attest(domain: ReceiverDomain, marks: readonly Hex[], validUntil: bigint): { signatures: Hex[] } | Promise<{ signatures: Hex[] }>;
  metrics: MetricsRegistry;
  clock: Clock;
  logger: Logger;
  settings: MarkerSettings;
};

/** One round's outcome. */
export type MarkRoundResult = {
  /** Marks applied by this round's transaction. */
  posted: number;
  /** Assets that posted nothing because a price or mark was refused. */
  skipped: number;
  /** The round's submitMarks transaction, if it sent one. */
  txHash: string | null;
};

/** An asset as GET /marks shows it (bigints as decimal strings). */
export type MarkAssetView = {
  srcEid: number;
  asset: string;
  token: string;
  symbol: string;
  /** The metrics label. */
  label: string;
  /** The receiver's mark at the last round (null before the first read, or when it failed). */
  onChain: {
    price: string;
    haircut: string;
    timestamp: number;
    nonce: string;
    /** Seconds since its price timestamp, on the receiver's clock (the later of its last block time seen and the wall clock); null without a mark. */
    ageSeconds: number | null;
    /** The receiver's heartbeat of the asset: its consumers see the value as stale past it. */
    heartbeatSeconds: number;
    /** No mark, or older than the receiver's heartbeat (what `collateralValue` reports as `stale`). */
    stale: boolean;
    registered: boolean;
  } | null;
  /** The last price the guard accepted: what would be posted (valuation price after confidence, effective haircut). */
  guarded: { price: string; haircut: string; priceTimestamp: number } | null;
  /** Why the last round posted nothing for it because something was refused (stale price, unknown asset …). */
  skipped: { reason: MarkSkipReason; detail: string } | null;
  /** What the rule said at the last round: a trigger (first-mark, price-deviation, haircut-moved, heartbeat) or a hold. */
  decision: string | null;
  /** The last round's rule said post. */
  wouldPost: boolean;
  lastTxHash: string | null;
  lastPostedAt: string | null;
  lastError: string | null;
};

export type MarkerView = {
  lastRoundAt: string | null;
  lastError: string | null;
  /** A submitMarks transaction sent and not mined yet (the next round waits for it). */
  pendingTxHash: string | null;
  assets: MarkAssetView[];
};

type AssetState = {
  asset: KnownAsset;
  label: string;
  mark: OnChainMark | null;
  config: ReceiverAssetConfig | null;
  guarded: MarkCandidate | null;
  skipped: MarkRefusal | null;
  decision: MarkDecision | null;
  lastTxHash: string | null;
  lastPostedAt: string | null;
  lastError: string | null;
  /** The receiver heartbeat last warned about (warned once per value). */
  warnedHeartbeat: bigint | null;
  warnedUnregistered: boolean;
  /** The skip reason last logged (a skip is logged when its reason changes, counted every round). */
  warnedSkip: MarkSkipReason | null;
};

/** A mark chosen to post this round, with its asset's state. */
type Pending = { state: AssetState; item: MarkToPost };

/** Reverts that name the offending mark by index: that mark is dropped and the rest simulated again. */
const MARK_ERRORS = new Set(['InvalidMark', 'UnknownAsset', 'InvalidMessage', 'TruncatedMessage']);

const seconds = (date: Date): bigint => BigInt(Math.floor(date.getTime() / 1000));

/**
 * The marker: each round reads every configured asset's mark on the receiver (one block), prices each asset exactly
 * as the valuation stage does (guard-mark.ts), applies the Chainlink rule (decide-mark.ts: first mark, deviation of
 * price or haircut beyond `deviationBps`, heartbeat), and posts every mark due in ONE attested `submitMarks` batch
 * (markNonce = on-chain nonce + 1, priceTimestamp = the oracle's updatedAt, validUntil = the receiver's clock +
 * attestationTtlSeconds), simulated first, then sent from the marker's own account and awaited. A refused price (any
 * oracle or risk refusal), an unregistered asset or a mark the simulation refuses posts nothing for that asset: it is
 * counted (`ccr_marks_skipped_total{asset,reason}`) and its on-chain mark ages visibly (`ccr_mark_age_seconds`). A
 * batch-level revert (pause, signatures) is logged with the decoded error and tried again next round.
 */
export class Marker {
  private readonly states: AssetState[];
  private readonly domain: ReceiverDomain;
  private lastRoundAt: string | null = null;
  private lastError: string | null = null;
  private pendingTx: string | null = null;
  /** The marks of the transaction in flight (settled by its receipt). */
  private pendingBatch: Pending[] = [];
  /** The receiver's latest block time seen (unix seconds). */
  private chainTime: bigint | undefined;

  constructor(private readonly p: MarkerParameters) {
    this.domain = receiverDomain({ chainId: p.chain.chainId, verifyingContract: p.chain.receiver });
    this.states = p.assets.map((asset) => ({
      asset,
      label: `${asset.config.symbol}@${asset.config.eid}`,
      mark: null,
      config: null,
      guarded: null,
      skipped: null,
      decision: null,
      lastTxHash: null,
      lastPostedAt: null,
      lastError: null,
      warnedHeartbeat: null,
      warnedUnregistered: false,
      warnedSkip: null,
    }));
  }

  async round(): Promise<MarkRoundResult> {
    this.lastError = null;
    try {
      return await this.markRound();
    } catch (error) {
      this.lastError = describeError(error);
      throw error;
    } finally {
      this.lastRoundAt = this.p.clock.now().toISOString();
    }
  }

  view(): MarkerView {
    const now = this.now();
    return {
      lastRoundAt: this.lastRoundAt,
      lastError: this.lastError,
      pendingTxHash: this.pendingTx,
      assets: this.states.map((s) => {
        const { mark, config } = s;
        const age = mark === null || mark.nonce === 0n ? null : now - mark.timestamp;
        return {
          srcEid: s.asset.config.eid,
          asset: s.asset.tokenBytes32,
          token: s.asset.config.token,
          symbol: s.asset.config.symbol,
          label: s.label,
          onChain:
            mark === null || config === null
              ? null
              : {
                  price: mark.price.toString(),
                  haircut: mark.haircut.toString(),
                  timestamp: Number(mark.timestamp),
                  nonce: mark.nonce.toString(),
                  ageSeconds: age === null ? null : Number(age),
                  heartbeatSeconds: Number(config.heartbeat),
                  stale: mark.timestamp === 0n || age === null || age > config.heartbeat,
                  registered: config.registered,
                },
          guarded: s.guarded === null ? null : { price: s.guarded.price.toString(), haircut: s.guarded.haircut.toString(), priceTimestamp: Number(s.guarded.priceTimestamp) },
          skipped: s.skipped,
          decision: s.decision === null ? null : s.decision.post ? s.decision.trigger : s.decision.hold,
          wouldPost: s.decision?.post === true,
          lastTxHash: s.lastTxHash,
          lastPostedAt: s.lastPostedAt,
          lastError: s.lastError,
        };
      }),
    };
  }

  /** The receiver's clock: the later of its latest block time seen and the wall clock. */
  private now(): bigint {
    const wall = seconds(this.p.clock.now());
    return this.chainTime !== undefined && this.chainTime > wall ? this.chainTime : wall;
  }

  private async markRound(): Promise<MarkRoundResult> {
    const result: MarkRoundResult = { posted: 0, skipped: 0, txHash: null };
    if (this.pendingTx !== null && !(await this.settlePending(result))) return result;
    for (const s of this.states) {
      s.skipped = null;
      s.decision = null;
    }
    let snapshot: MarkSnapshot;
    try {
      snapshot = await this.p.chain.read(this.states.map((s) => ({ srcEid: s.asset.config.eid, asset: s.asset.tokenBytes32 })));
    } catch (error) {
      for (const s of this.states) this.skip(s, { reason: 'rpc-error', detail: `reading the receiver: ${describeError(error)}` }, result);
      throw error;
    }
    this.chainTime = snapshot.blockTimestamp;
    const now = this.now();
    const registered: AssetState[] = [];
    for (const [i, s] of this.states.entries()) {
      const mark = snapshot.marks[i]!; // one mark and one config per asset asked for
      const config = snapshot.configs[i]!;
      s.mark = mark;
      s.config = config;
      if (mark.nonce > 0n) this.p.metrics.set('ccr_mark_age_seconds', { asset: s.label }, Number(now - mark.timestamp));
      this.warnHeartbeat(s, config);
      if (!config.registered) {
        this.skip(s, { reason: 'unregistered-asset', detail: `asset ${s.asset.tokenBytes32} of eid ${s.asset.config.eid} is not registered on the receiver` }, result);
        continue;
      }
      registered.push(s);
    }
    const readings = new Map<string, Promise<FeedReading>>();
    const evaluated = await Promise.all(registered.map((s) => this.evaluate(s, s.mark!, now, readings, result))); // mark set just above
    const due = evaluated.filter((d): d is Pending => d !== undefined);
    if (due.length === 0) return result;
    return this.post(due, now, result);
  }

  /** Prices one asset and applies the rule: the mark to post, or undefined (held, or skipped and counted). */
  private async evaluate(s: AssetState, mark: OnChainMark, now: bigint, readings: Map<string, Promise<FeedReading>>, result: MarkRoundResult): Promise<Pending | undefined> {
    const feedKey = `${s.asset.config.feed.eid}:${s.asset.config.feed.address.toLowerCase()}`;
    let reading = readings.get(feedKey);
    if (reading === undefined) readings.set(feedKey, (reading = this.p.readFeed(s.asset)));
    let feed: FeedReading;
    try {
      feed = await reading;
    } catch (error) {
      this.skip(s, { reason: 'rpc-error', detail: describeError(error) }, result);
      return undefined;
    }
    const guarded = guardMark(s.asset, feed, this.p.clock.now());
    if ('refused' in guarded) {
      this.skip(s, guarded.refused, result);
      return undefined;
    }
    s.guarded = guarded.candidate;
    s.decision = decideMark({ current: mark, candidate: guarded.candidate, now, deviationBps: this.p.settings.deviationBps, heartbeatSeconds: this.p.settings.heartbeatSeconds });
    if (!s.decision.post) {
      if (s.decision.hold === MarkHold.OlderThanMark)
        this.skip(s, { reason: 'older-than-mark', detail: `the oracle's price of ${guarded.candidate.priceTimestamp} is older than the mark's ${mark.timestamp}` }, result);
      else s.warnedSkip = null;
      return undefined;
    }
    if (mark.nonce >= MAX_MARK_NONCE) {
      this.skip(s, { reason: 'nonce-exhausted', detail: `mark nonce ${mark.nonce} is the receiver's last` }, result);
      return undefined;
    }
    s.warnedSkip = null;
    return { state: s, item: { srcEid: s.asset.config.eid, asset: s.asset.tokenBytes32, currentNonce: mark.nonce, candidate: guarded.candidate } };
  }

  /**
   * Every due mark in one attested batch: simulated; a revert naming one mark drops that mark (skipped 'would-revert')
   * and the rest is simulated again; a batch-level revert is logged and left to the next round. Then sent and awaited.
   */
  private async post(due: Pending[], now: bigint, result: MarkRoundResult): Promise<MarkRoundResult> {
    const validUntil = now + BigInt(this.p.settings.attestationTtlSeconds);
    let batch = [...due];
    for (;;) {
      const marks = buildMarkBatch(batch.map((d) => d.item));
      let signatures: Hex[];
      try {
        ({ signatures } = await this.p.attest(this.domain, marks.bodies, validUntil));
      } catch (error) {
        // Fewer attesters than the threshold signed (down, or refusing: each one's reason is in /health): next round.
        if (!(error instanceof AttestationQuorumError)) throw error;
        this.p.logger.warn(`submitMarks of ${batch.length} mark(s) not attested: ${error.shortMessage}; trying again next round`);
        for (const d of batch) d.state.lastError = `not attested: ${error.shortMessage}`;
        this.lastError = `not attested: ${error.shortMessage}`;
        return result;
      }
      const calldata = this.p.chain.encode(marks.blob, validUntil, packSignatures(signatures));
      const simulation = await this.p.chain.simulate(calldata);
      if (!simulation.ok) {
        const offending = this.offending(simulation.revert, batch.length);
        const text = formatRevert(simulation.revert);
        if (offending === undefined) {
          this.p.logger.error(`submitMarks of ${batch.length} mark(s) would revert: ${text}; trying again next round`);
          for (const d of batch) d.state.lastError = `would revert: ${text}`;
          this.lastError = `would revert: ${text}`;
          return result;
        }
        const dropped = batch[offending]!; // offending < batch.length
        this.skip(dropped.state, { reason: 'would-revert', detail: `${text}; the other marks are posted` }, result);
        dropped.state.lastError = `would revert: ${text}`;
        batch = batch.filter((_, i) => i !== offending);
        if (batch.length === 0) return result;
        continue;
      }
      const sent = await this.p.chain.send(calldata, simulation.gas);
      result.txHash = sent.hash;
      this.pendingTx = sent.hash;
      this.pendingBatch = batch;
      for (const d of batch) d.state.lastTxHash = sent.hash;
      this.p.logger.log(`submitMarks sent: ${batch.map((d) => `${d.state.label} nonce ${d.item.currentNonce + 1n} (${d.state.decision?.post === true ? d.state.decision.trigger : ''})`).join(', ')} in ${sent.hash}`);
      const receipt = await this.p.chain.waitForReceipt(sent.hash, this.p.settings.receiptTimeoutMs);
      if (receipt !== null) this.settle(receipt.status, sent.hash, result);
      return result;
    }
  }

  /** A transaction left pending by an earlier round: settled if mined; true when this round may go on. */
  private async settlePending(result: MarkRoundResult): Promise<boolean> {
    const hash = this.pendingTx!; // checked by the caller
    const receipt = await this.p.chain.waitForReceipt(hash, 0);
    if (receipt !== null) {
      this.settle(receipt.status, hash, result);
      return true;
    }
    if (await this.p.chain.hasTransaction(hash)) return false; // still pending: wait for it, never a second mark on top
    this.p.logger.warn(`submitMarks ${hash} is gone from the node (dropped); marking again`);
    this.pendingTx = null;
    this.pendingBatch = [];
    return true;
  }

  private settle(status: number, hash: string, result: MarkRoundResult): void {
    const batch = this.pendingBatch;
    this.pendingTx = null;
    this.pendingBatch = [];
    if (status === 1) {
      const at = this.p.clock.now().toISOString();
      for (const d of batch) {
        const { candidate, currentNonce } = d.item;
        d.state.mark = { price: candidate.price, haircut: candidate.haircut, timestamp: candidate.priceTimestamp, nonce: currentNonce + 1n }; // what the receipt applied
        this.p.metrics.set('ccr_mark_age_seconds', { asset: d.state.label }, Number(this.now() - candidate.priceTimestamp));
        d.state.lastPostedAt = at;
        d.state.lastError = null;
        this.p.metrics.inc('ccr_marks_posted_total', { asset: d.state.label });
      }
      result.posted += batch.length;
      return;
    }
    this.p.logger.error(`submitMarks ${hash} reverted on chain; marking again next round`);
    for (const d of batch) d.state.lastError = `transaction ${hash} reverted`;
    this.lastError = `transaction ${hash} reverted`;
  }

  /** The index of the mark a revert names, when it names one within the batch. */
  private offending(revert: DecodedRevert, size: number): number | undefined {
    if (!MARK_ERRORS.has(revert.name) || revert.index === undefined) return undefined;
    return revert.index >= 0 && revert.index < size ? revert.index : undefined;
  }

  private skip(s: AssetState, refusal: MarkRefusal, result: MarkRoundResult): void {
    if (s.warnedSkip !== refusal.reason) this.p.logger.warn(`mark of ${s.label} skipped: ${refusal.reason} (${refusal.detail})`);
    s.warnedSkip = refusal.reason;
    s.skipped = refusal;
    result.skipped++;
    this.p.metrics.inc('ccr_marks_skipped_total', { asset: s.label, reason: refusal.reason });
  }

  /** Warns (once per value) when `marks.heartbeatSeconds` would let the mark go stale for the receiver's consumers. */
  private warnHeartbeat(s: AssetState, config: ReceiverAssetConfig): void {
    if (!config.registered) {
      if (!s.warnedUnregistered) this.p.logger.warn(`${s.label} is not registered on the receiver: no mark is posted for it`);
      s.warnedUnregistered = true;
      return;
    }
    s.warnedUnregistered = false;
    if (BigInt(this.p.settings.heartbeatSeconds) < config.heartbeat || s.warnedHeartbeat === config.heartbeat) return;
    s.warnedHeartbeat = config.heartbeat;
    this.p.logger.warn(
      `marks.heartbeatSeconds (${this.p.settings.heartbeatSeconds}) is not below the receiver's heartbeat of ${s.label} (${config.heartbeat} s): its mark can go stale before the marker refreshes it`,
    );
  }
}

function formatRevert(revert: DecodedRevert): string {
  const args = Object.entries(revert.args).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${revert.name}(${args})`;
}
