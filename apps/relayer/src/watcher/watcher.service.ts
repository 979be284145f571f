import { Injectable, Logger } from '@nestjs/common';
import { computeGuid } from '@ccr/messages';
import type { EntityManager } from 'typeorm';
import type { ChainAdapter, LockEvent } from '../chains/chain-adapter';
import { ChainRegistry } from '../chains/chain-registry';
import { Clock } from '../common/clock';
import type { ChainConfig } from '../config/config.schema';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { CursorKind } from '../store/chain-cursor.entity';
import { CursorRepository } from '../store/cursor.repository';
import { Database } from '../store/database';
import { DepositState, HeldReason } from '../store/deposit-state';
import { Deposit } from '../store/deposit.entity';
import { type DepositPatch, insertObserved, transition } from '../store/transition';
import { ChainProgress } from './chain-progress';

export type WatchRoundResult = {
  eid: number;
  head: number;
  finalized: number;
  /** Final cursor after the round. */
  cursor: number;
  /** Head cursor after the round. */
  headCursor: number;
  /** New deposits stored (by either scan). */
  stored: number;
  /** Deposits that became FINAL this round. */
  finalizedCount: number;
  /** OBSERVED deposits found missing from the canonical chain (→ REORGED). */
  reorged: number;
  ignored: number;
};

/** Chunks scanned per round per chain and scan, so one far-behind chain cannot starve the others. */
const MAX_CHUNKS_PER_ROUND = 50;

/** The fields of a deposit that come from its log (a re-included GUID may bring other values). */
function logFields(e: LockEvent): DepositPatch {
  return { blockNumber: e.blockNumber, blockHash: e.blockHash, txHash: e.txHash, logIndex: e.logIndex, depositor: e.depositor, account: e.account, token: e.token, amount: e.amount.toString() };
}

function sameLog(d: Deposit, e: LockEvent): boolean {
  return d.blockHash === e.blockHash && d.txHash === e.txHash && d.logIndex === e.logIndex && d.amount === e.amount.toString() && d.account === e.account && d.token === e.token;
}

function previous(d: Deposit): Record<string, unknown> {
  return { blockNumber: d.blockNumber, blockHash: d.blockHash, txHash: d.txHash, logIndex: d.logIndex, account: d.account, token: d.token, amount: d.amount };
}

/**
 * Per source chain, two scans of the vault's `Locked` logs per round, each in bounded chunks, each chunk's rows and
 * its cursor written in ONE transaction (a restart resumes exactly after the last stored chunk; inserts are
 * idempotent by GUID):
 *
 *  1. finality scan, final cursor → finality bound. The canonical chain's word is final here: a new GUID is stored
 *     OBSERVED → FINAL; an OBSERVED one becomes FINAL (taking the canonical log's fields if they differ); a REORGED
 *     one whose GUID is back (nonce used again) becomes FINAL ('reincluded'). An OBSERVED deposit whose block lies in
 *     the chunk but whose log is not there is looked up by GUID above the chunk: found → it follows its new block
 *     (OBSERVED → OBSERVED 'reincluded'); absent → REORGED ('reorged'), never valued or posted.
 *  2. head scan, head cursor → head: new deposits are stored OBSERVED (shown in the API at once, with confirmations);
 *     an OBSERVED one seen in another block follows it. The head cursor rewinds to the finality bound when the
 *     block it stopped at changed hash (a reorg at head) and on the first round after boot.
 */
@Injectable()
export class WatcherService {
  private readonly logger = new Logger(WatcherService.name);
  /** Hash of the block the head scan stopped at, per chain (in memory: after a restart the head scan starts over). */
  private readonly headMarks = new Map<number, { block: number; hash: string | null }>();

  constructor(
    private readonly chains: ChainRegistry,
    private readonly cursors: CursorRepository,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly progress: ChainProgress,
    private readonly metrics: MetricsRegistry,
  ) {}

  watch(chain: ChainConfig): Promise<WatchRoundResult> {
    return this.metrics.time('watch', () => this.round(chain), { chain: chain.name });
  }

  private async round(chain: ChainConfig): Promise<WatchRoundResult> {
    const adapter = this.chains.get(chain.eid);
    const [head, finalized] = await Promise.all([adapter.head(), adapter.finalizedCursor()]);
    const result: WatchRoundResult = { eid: chain.eid, head, finalized, cursor: 0, headCursor: 0, stored: 0, finalizedCount: 0, reorged: 0, ignored: 0 };

    // 1. Finality scan.
    let cursor = (await this.cursors.get(chain.eid, CursorKind.Final)) ?? chain.startBlock - 1;
    for (let i = 0; i < MAX_CHUNKS_PER_ROUND && cursor < finalized; i++) {
      const from = cursor + 1;
      const to = Math.min(finalized, from + chain.logChunkSize - 1);
      await this.finalChunk(chain, adapter, from, to, head, finalized, result);
      cursor = to;
    }

    // 2. Head scan, from the head cursor (or the finality bound after a reorg at head / a restart) to the head.
    const mark = this.headMarks.get(chain.eid);
    const storedHead = await this.cursors.get(chain.eid, CursorKind.Head);
    let start = finalized;
    if (mark !== undefined && storedHead === mark.block && mark.block <= head) {
      if ((await adapter.blockHash(mark.block)) === mark.hash) start = mark.block;
      else this.logger.warn(`${chain.name}: block ${mark.block} changed hash (reorg at head): rescanning from the finality bound ${finalized}`);
    }
    start = Math.max(start, finalized, chain.startBlock - 1);
    let scannedTo = start;
    if (start < head) {
      // The hash is taken before the scan: a reorg during the scan shows as a mismatch next round.
      const headHash = await adapter.blockHash(head);
      for (let i = 0; i < MAX_CHUNKS_PER_ROUND && scannedTo < head; i++) {
        const from = scannedTo + 1;
        const to = Math.min(head, from + chain.logChunkSize - 1);
        await this.headChunk(adapter, from, to, result);
        scannedTo = to;
      }
      this.headMarks.set(chain.eid, { block: scannedTo, hash: scannedTo === head ? headHash : await adapter.blockHash(scannedTo) });
    }

    result.cursor = cursor;
    result.headCursor = scannedTo;
    this.progress.set({ eid: chain.eid, head, finalized, finalCursor: cursor, headCursor: scannedTo, at: this.clock.now() });
    if (result.stored + result.finalizedCount + result.reorged > 0)
      this.logger.log(`${chain.name}: ${result.stored} new, ${result.finalizedCount} final, ${result.reorged} reorged; cursor ${cursor}/${finalized}, head ${scannedTo}/${head}`);
    return result;
  }

  private async finalChunk(chain: ChainConfig, adapter: ChainAdapter, from: number, to: number, head: number, finalized: number, result: WatchRoundResult): Promise<void> {
    const events = await this.acceptedLocks(adapter, from, to, result);
    const found = new Set(events.map((e) => e.guid));
    const observed = await this.db.reader
      .createQueryBuilder(Deposit, 'd')
      .where('d.srcEid = :eid AND d.state = :state AND d.blockNumber BETWEEN :from AND :to', { eid: chain.eid, state: DepositState.OBSERVED, from, to })
      .getMany();
    const missing = observed.filter((d) => !found.has(d.guid));
    // A missing log may have been re-mined above this chunk (not final yet): look for its GUID there first.
    const moved = new Map((missing.length === 0 ? [] : await adapter.fetchLocksByGuid(missing.map((d) => d.guid), to + 1, head)).map((e) => [e.guid, e]));
    const replacedBy = new Map<number, string | null>();
    for (const d of missing) if (!moved.has(d.guid) && !replacedBy.has(d.blockNumber)) replacedBy.set(d.blockNumber, await this.canonicalHash(adapter, d.blockNumber));
    await this.db.write(async (em) => {
      const at = this.clock.now();
      for (const e of events) await this.storeFinal(em, e, finalized, at, result);
      for (const d of missing) {
        const e = moved.get(d.guid);
        if (e !== undefined) {
          await transition(em, { guid: d.guid, from: DepositState.OBSERVED, to: DepositState.OBSERVED, reason: HeldReason.Reincluded, detail: { previous: previous(d), block: e.blockNumber }, patch: logFields(e), at });
        } else {
          await transition(em, {
            guid: d.guid,
            from: DepositState.OBSERVED,
            to: DepositState.REORGED,
            reason: HeldReason.Reorged,
            detail: { block: d.blockNumber, blockHash: d.blockHash, txHash: d.txHash, finalized, canonicalHash: replacedBy.get(d.blockNumber) ?? null },
            patch: { reasonDetail: `log ${d.txHash}:${d.logIndex} in block ${d.blockNumber} (${d.blockHash}) is not in the canonical chain at finality bound ${finalized}` },
            at,
          });
          result.reorged++;
          this.metrics.inc('ccr_deposits_reorged_total', { chain: chain.name });
          this.logger.warn(`${chain.name}: deposit ${d.guid} (block ${d.blockNumber}) was reorged out before finality: REORGED`);
        }
      }
      await this.cursors.setIn(em, chain.eid, CursorKind.Final, to, at);
    });
  }

  /** Best effort, for the history only: the block hash that replaced the deposit's block. */
  private async canonicalHash(adapter: ChainAdapter, block: number): Promise<string | null> {
    try {
      return await adapter.blockHash(block);
    } catch {
      return null;
    }
  }

  private async storeFinal(em: EntityManager, e: LockEvent, finalized: number, at: Date, result: WatchRoundResult): Promise<void> {
    const row = await em.findOne(Deposit, { where: { guid: e.guid } });
    if (row === null) {
      await insertObserved(em, { ...e, amount: e.amount.toString() }, at);
      await transition(em, { guid: e.guid, from: DepositState.OBSERVED, to: DepositState.FINAL, at, detail: { block: e.blockNumber, finalized } });
      result.stored++;
      result.finalizedCount++;
      this.metrics.inc('ccr_deposits_observed_total', { chain: String(e.srcEid) });
      return;
    }
    const same = sameLog(row, e);
    if (row.state === DepositState.OBSERVED || row.state === DepositState.REORGED) {
      await transition(em, {
        guid: e.guid,
        from: row.state,
        to: DepositState.FINAL,
        reason: same ? null : HeldReason.Reincluded,
        detail: { block: e.blockNumber, finalized, ...(same ? {} : { previous: previous(row) }) },
        patch: same ? undefined : logFields(e),
        at,
      });
      result.finalizedCount++;
    } else if (!same) {
      // Past FINAL the log was read at finality already; a different canonical log would mean the node lied or a deep reorg.
      this.logger.error(`deposit ${e.guid} is ${row.state} from block ${row.blockNumber} (${row.blockHash}) but the finality scan finds it in block ${e.blockNumber} (${e.blockHash})`);
    }
  }

  private async headChunk(adapter: ChainAdapter, from: number, to: number, result: WatchRoundResult): Promise<void> {
    const events = await this.acceptedLocks(adapter, from, to, undefined);
    await this.db.write(async (em) => {
      const at = this.clock.now();
      for (const e of events) {
        const row = await em.findOne(Deposit, { where: { guid: e.guid } });
        if (row === null) {
          await insertObserved(em, { ...e, amount: e.amount.toString() }, at);
          result.stored++;
          this.metrics.inc('ccr_deposits_observed_total', { chain: String(e.srcEid) });
        } else if (row.state === DepositState.OBSERVED && !sameLog(row, e)) {
          await transition(em, { guid: e.guid, from: DepositState.OBSERVED, to: DepositState.OBSERVED, reason: HeldReason.Reincluded, detail: { previous: previous(row), block: e.blockNumber }, patch: logFields(e), at });
        }
      }
      await this.cursors.setIn(em, adapter.eid, CursorKind.Head, to, at);
    });
  }

  /** The chunk's locks that are ours. `result` (finality scan only) counts and logs the ignored ones once. */
  private async acceptedLocks(adapter: ChainAdapter, from: number, to: number, result: WatchRoundResult | undefined): Promise<LockEvent[]> {
    const destination = this.chains.destination();
    const events = await adapter.fetchLocks(from, to);
    // Config validation guarantees the destination has a receiver.
    const accepted = events.filter((e) => this.accept(e, destination.eid, destination.receiver!, result !== undefined));
    if (result !== undefined) result.ignored += events.length - accepted.length;
    return accepted;
  }

  /** A lock is ours when it targets our destination and its GUID is the one the receiver will recompute. */
  private accept(e: LockEvent, dstEid: number, receiver: string, log: boolean): boolean {
    if (e.dstEid !== dstEid) {
      if (log) this.logger.warn(`ignoring lock ${e.guid} (${e.txHash}): dstEid ${e.dstEid} is not ours (${dstEid})`);
      return false;
    }
    const expected = computeGuid({ nonce: e.nonce, srcEid: e.srcEid, sender: e.srcVault, dstEid, receiver });
    if (expected !== e.guid) {
      if (log) this.logger.warn(`ignoring lock ${e.guid} (${e.txHash}): GUID does not match (vault points at another receiver?)`);
      return false;
    }
    return true;
  }
}
