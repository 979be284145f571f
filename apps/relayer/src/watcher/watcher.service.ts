import { Injectable, Logger } from '@nestjs/common';
import { computeGuid } from '@ccr/messages';
import type { EntityManager } from 'typeorm';
import type { BlockRef, ChainAdapter, ChainMessage as LockEvent } from '../chains/chain-adapter';
import { ChainRegistry } from '../chains/chain-registry';
import { toBytes32 } from '../chains/address-bytes32';
import { Clock } from '../common/clock';
import { describeError } from '../common/relayer-error';
import type { ChainConfig } from '../config/config.schema';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { CursorKind } from '../store/chain-cursor.entity';
import { CursorRepository } from '../store/cursor.repository';
import { Database } from '../store/database';
import { DepositLogRepository, type LoggedRow } from '../store/deposit-log.repository';
import { DepositState, HeldReason } from '../store/deposit-state';
import { insertDeposits } from '../store/insert-deposits';
import { MessageKind } from '../store/message-kind';
import { type DepositPatch, type NewDeposit, transition } from '../store/transition';
import { transitionMany } from '../store/transition-many';
import { ChainProgress } from './chain-progress';
import { FinalityGuard } from './finality-guard';
import { type Mark, FinalityMarkRepository } from './finality-mark.repository';
import { type FinalityViolation, checkFinalBlock, checkFinalLog, checkOutboundNonce, sameLog } from './finality-violation';

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
  /** Finality violations seen this round (watcher/finality-violation.ts); each halts its pathway. */
  violations: number;
};

/** Chunks scanned per round per chain and scan, so one far-behind chain cannot starve the others. */
const MAX_CHUNKS_PER_ROUND = 50;
/** Blocks of stored messages checked (newest first) for the highest unchanged one after a finality violation. */
const MAX_FORK_CHECKS = 64;

/** The fields of a deposit that come from its log (a re-included GUID may bring other values). */
function logFields(e: LockEvent): DepositPatch {
  return { blockNumber: e.blockNumber, blockHash: e.blockHash, txHash: e.txHash, logIndex: e.logIndex, depositor: e.depositor, account: e.account, token: e.token, amount: e.amount.toString() };
}

function newDeposit(e: LockEvent): NewDeposit {
  return {
    kind: e.kind,
    receiver: e.receiver,
    recipient: e.recipient,
    voidedNonce: e.voidedNonce === null ? null : e.voidedNonce.toString(),
    withdrawalGuid: e.withdrawalGuid,
    withdrawalNonce: e.withdrawalNonce === null ? null : e.withdrawalNonce.toString(),
    releaseStatus: e.releaseStatus,
    guid: e.guid, srcEid: e.srcEid, srcVault: e.srcVault, dstEid: e.dstEid, nonce: e.nonce, depositor: e.depositor, account: e.account, token: e.token, amount: e.amount.toString(), blockNumber: e.blockNumber, blockHash: e.blockHash, txHash: e.txHash, logIndex: e.logIndex };
}

function previous(d: LoggedRow): Record<string, unknown> {
  return { blockNumber: d.blockNumber, blockHash: d.blockHash, txHash: d.txHash, logIndex: d.logIndex, account: d.account, token: d.token, amount: d.amount };
}

/**
 * Per chain, two scans per round of the logs that start a message (store/message-kind.ts): a source chain's vault —
 * `Locked` (credits) and `ReleaseResult` (results); the derivatives chain's receiver — `WithdrawalRequested`
 * (withdrawals, refunds included). Every kind is handled alike, each in bounded chunks, each chunk's rows and
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
 *
 * Finality is checked, not trusted (finality-violation.ts, finality-guard.ts): before the finality scan, the hash of
 * the block it last took as final (table finality_mark, taken before that scan read its logs) is read again — another
 * hash or none is a violation, and the final cursor rewinds to the highest stored message block whose hash is
 * unchanged, so the replaced blocks are scanned again: there a message past FINAL whose log changed or vanished is a
 * violation too (its row is left as it is), a new one is stored. After the scan, the watched contract's outbound nonce
 * of each path at the final cursor is compared with the highest nonce the store has as final there. One block hash
 * (plus the new cursor's in confirmations mode) and one nonce per path per round; every violation halts its pathway.
 */
@Injectable()
export class WatcherService {
  private readonly logger = new Logger(WatcherService.name);
  /** Hash of the block the head scan stopped at, per chain (in memory: after a restart the head scan starts over). */
  private readonly headMarks = new Map<number, { block: number; hash: string | null }>();

  constructor(
    private readonly chains: ChainRegistry,
    private readonly cursors: CursorRepository,
    private readonly logs: DepositLogRepository,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly progress: ChainProgress,
    private readonly metrics: MetricsRegistry,
    private readonly marks: FinalityMarkRepository,
    private readonly guard: FinalityGuard,
  ) {}

  watch(chain: ChainConfig): Promise<WatchRoundResult> {
    return this.metrics.time('watch', () => this.round(chain), { chain: chain.name });
  }

  private async round(chain: ChainConfig): Promise<WatchRoundResult> {
    const adapter = this.chains.get(chain.eid);
    const [head, bound] = await Promise.all([adapter.head(), adapter.finalityBound()]);
    const finalized = bound.number;
    const result: WatchRoundResult = { eid: chain.eid, head, finalized, cursor: 0, headCursor: 0, stored: 0, finalizedCount: 0, reorged: 0, ignored: 0, violations: 0 };

    // 0. The block last taken as final must still have its hash; if not, rescan from where the chain is unchanged.
    let cursor = (await this.cursors.get(chain.eid, CursorKind.Final)) ?? chain.startBlock - 1;
    let finalMark = await this.marks.get(chain.eid);
    const rewound = finalMark === undefined ? undefined : await this.recheckFinal(chain, adapter, finalMark, cursor, result);
    if (rewound !== undefined) [cursor, finalMark] = [rewound.cursor, rewound.mark];
    // Every stored message from a block at or below it was read at finality.
    const highWater = Math.max(finalMark?.highWater ?? cursor, cursor);

    // 1. Finality scan, up to `target`, whose hash is taken before its logs are read (a reorg meanwhile shows next round).
    const startCursor = cursor;
    const target = Math.min(finalized, cursor + MAX_CHUNKS_PER_ROUND * chain.logChunkSize);
    const targetHash = target > cursor && target >= 0 ? await this.hashOf(adapter, target, bound) : null;
    for (let i = 0; i < MAX_CHUNKS_PER_ROUND && cursor < target; i++) {
      const from = cursor + 1;
      const to = Math.min(target, from + chain.logChunkSize - 1);
      await this.finalChunk(chain, adapter, from, to, head, finalized, highWater, result);
      cursor = to;
    }
    if (cursor === target && target > startCursor) {
      const next: Mark = { block: target, blockHash: targetHash, highWater: Math.max(highWater, target) };
      await this.db.write((em) => this.marks.setIn(em, chain.eid, next, this.clock.now()));
    }
    // 1b. The outbound nonces at the final cursor against the store (when it moved, or after a rescan began).
    if ((cursor > startCursor || rewound !== undefined) && cursor >= 0) await this.checkNonces(chain, adapter, cursor, result);

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

  /** The hash of `block`: from the finality bound's own answer when it is that block, else one block read. */
  private async hashOf(adapter: ChainAdapter, block: number, bound: BlockRef): Promise<string | null> {
    return block === bound.number && bound.hash !== null ? bound.hash : adapter.blockHash(block);
  }

  /** The watched contract's bytes32 (what its messages' `srcVault` is). Config validation guarantees it. */
  private emitter(chain: ChainConfig): string {
    return toBytes32(chain.role === 'source' ? chain.vault! : chain.receiver!);
  }

  /**
   * Re-reads the hash of the block last taken as final. Unchanged: undefined. Changed or gone: a violation (reported,
   * the pathways halted), and the final cursor and the mark rewind to the highest block of a stored message whose
   * hash is unchanged (everything at or below it is too: blocks are hash-linked), or before the start block.
   */
  private async recheckFinal(chain: ChainConfig, adapter: ChainAdapter, mark: Mark, cursor: number, result: WatchRoundResult): Promise<{ cursor: number; mark: Mark } | undefined> {
    if (mark.blockHash === null || mark.block < 0) return undefined;
    const v = checkFinalBlock(chain, mark, await adapter.blockHash(mark.block));
    if (v === null) return undefined;
    result.violations++;
    await this.guard.report(chain, v);
    let fork: { block: number; hash: string | null } = { block: chain.startBlock - 1, hash: null };
    for (const b of await this.logs.storedBlocksAtOrBelow(chain.eid, this.emitter(chain), mark.block - 1, MAX_FORK_CHECKS)) {
      if ((await adapter.blockHash(b.blockNumber)) === b.blockHash) {
        fork = { block: b.blockNumber, hash: b.blockHash };
        break;
      }
    }
    const rewound = Math.min(cursor, fork.block);
    const next: Mark = { block: fork.block, blockHash: fork.hash, highWater: Math.max(mark.highWater, cursor) };
    await this.db.write(async (em) => {
      const at = this.clock.now();
      await this.cursors.setIn(em, chain.eid, CursorKind.Final, rewound, at);
      await this.marks.setIn(em, chain.eid, next, at);
    });
    this.logger.warn(`${chain.name}: block ${mark.block} taken as final changed hash (${mark.blockHash} → ${v.seen ?? 'none'}): rescanning from block ${rewound + 1} at finality`);
    return { cursor: rewound, mark: next };
  }

  /**
   * Each path's outbound nonce at the final cursor (a vault's towards the receiver; the receiver's towards each vault)
   * against the highest nonce the store has as final on it. A failed read is logged and checked again next round.
   */
  private async checkNonces(chain: ChainConfig, adapter: ChainAdapter, block: number, result: WatchRoundResult): Promise<void> {
    const destination = this.chains.destination();
    // Config validation guarantees the destination a receiver and every source a vault.
    const paths = chain.role === 'source' ? [{ dstEid: destination.eid, to: toBytes32(destination.receiver!) }] : this.chains.sources().map((s) => ({ dstEid: s.eid, to: toBytes32(s.vault!) }));
    const emitter = this.emitter(chain);
    for (const path of paths) {
      let seen: bigint;
      try {
        seen = await adapter.outboundNonce(path.dstEid, path.to, block);
      } catch (error) {
        this.logger.warn(`${chain.name}: outbound nonce towards ${path.dstEid}/${path.to} at block ${block} not read this round: ${describeError(error)}`);
        continue;
      }
      const stored = await this.logs.highestFinalNonce(chain.eid, emitter, path.dstEid, block);
      const v = checkOutboundNonce(chain, path, block, stored, seen, chain.startBlock <= 0);
      if (v !== null) await this.reportViolations(chain, [v], result);
      else await this.guard.nonceAgrees(chain, path);
    }
  }

  private async reportViolations(chain: ChainConfig, violations: readonly FinalityViolation[], result: WatchRoundResult): Promise<void> {
    for (const v of violations) if (await this.guard.report(chain, v)) result.violations++;
  }

  private async finalChunk(chain: ChainConfig, adapter: ChainAdapter, from: number, to: number, head: number, finalized: number, highWater: number, result: WatchRoundResult): Promise<void> {
    const events = await this.acceptedLocks(adapter, from, to, result);
    const found = new Set(events.map((e) => e.guid));
    const rows = await this.logs.loggedInBlocks(chain.eid, this.emitter(chain), from, to);
    const missing = rows.filter((d) => d.state === DepositState.OBSERVED && !found.has(d.guid));
    // A rescan of blocks already taken as final (after a violation): their messages past FINAL must still be there.
    const finalMissing = rows.filter((d) => d.state !== DepositState.OBSERVED && d.blockNumber <= highWater && !found.has(d.guid));
    // A missing log may have been re-mined above this chunk (not final yet): look for its GUID there first.
    const lookup = [...missing, ...finalMissing].map((d) => d.guid);
    const moved = new Map((lookup.length === 0 ? [] : await adapter.fetchMessagesByGuid(lookup, to + 1, head)).map((e) => [e.guid, e]));
    const replacedBy = new Map<number, string | null>();
    for (const d of missing) if (!moved.has(d.guid) && !replacedBy.has(d.blockNumber)) replacedBy.set(d.blockNumber, await this.canonicalHash(adapter, d.blockNumber));
    const violations = finalMissing.map((d) => checkFinalLog(chain, d, moved.get(d.guid), highWater)).filter((v): v is FinalityViolation => v !== null);
    await this.db.write(async (em) => {
      const at = this.clock.now();
      await this.storeFinal(em, chain, events, finalized, highWater, at, result, violations);
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
    // After the chunk's transaction (a halt is its own write).
    await this.reportViolations(chain, violations, result);
  }

  /** Best effort, for the history only: the block hash that replaced the deposit's block. */
  private async canonicalHash(adapter: ChainAdapter, block: number): Promise<string | null> {
    try {
      return await adapter.blockHash(block);
    } catch {
      return null;
    }
  }

  /**
   * The finality scan's events, in bulk: new GUIDs inserted FINAL (history OBSERVED, FINAL), OBSERVED ones with the
   * same log moved to FINAL with one compare-and-set UPDATE; re-included or changed ones one by one (rare).
   */
  private async storeFinal(em: EntityManager, chain: ChainConfig, events: readonly LockEvent[], finalized: number, highWater: number, at: Date, result: WatchRoundResult, violations: FinalityViolation[]): Promise<void> {
    const existing = await this.logs.loggedRows(em, events.map((e) => e.guid));
    const fresh: LockEvent[] = [];
    const sameObserved: LockEvent[] = [];
    for (const e of events) {
      const row = existing.get(e.guid);
      if (row === undefined) {
        fresh.push(e);
        continue;
      }
      const same = sameLog(row, e);
      if (row.state === DepositState.OBSERVED && same) sameObserved.push(e);
      else if (row.state === DepositState.OBSERVED || row.state === DepositState.REORGED) {
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
        // Past FINAL the log was read at finality already: a different canonical log is a finality violation (the row
        // stays as it is). Unless its block was never scanned at finality (reconciled from OBSERVED by the destination).
        const v = checkFinalLog(chain, { ...row, dstEid: e.dstEid, receiver: e.receiver }, e, highWater);
        if (v !== null) violations.push(v);
        else this.logger.warn(`${e.kind} ${e.guid} is ${row.state} (reconciled before finality) from block ${row.blockNumber} (${row.blockHash}); the finality scan finds it in block ${e.blockNumber} (${e.blockHash})`);
      }
    }
    await insertDeposits(em, { deposits: fresh.map(newDeposit), at, final: { detail: (d) => ({ block: d.blockNumber, finalized }) } });
    await transitionMany(em, { from: DepositState.OBSERVED, to: DepositState.FINAL, at, items: sameObserved.map((e) => ({ guid: e.guid, detail: { block: e.blockNumber, finalized } })) });
    result.stored += fresh.length;
    result.finalizedCount += fresh.length + sameObserved.length;
    this.countObserved(fresh, chain.name);
  }

  private async headChunk(adapter: ChainAdapter, from: number, to: number, result: WatchRoundResult): Promise<void> {
    const events = await this.acceptedLocks(adapter, from, to, undefined);
    await this.db.write(async (em) => {
      const at = this.clock.now();
      const existing = await this.logs.loggedRows(em, events.map((e) => e.guid));
      const fresh: LockEvent[] = [];
      for (const e of events) {
        const row = existing.get(e.guid);
        if (row === undefined) fresh.push(e);
        else if (row.state === DepositState.OBSERVED && !sameLog(row, e)) {
          await transition(em, { guid: e.guid, from: DepositState.OBSERVED, to: DepositState.OBSERVED, reason: HeldReason.Reincluded, detail: { previous: previous(row), block: e.blockNumber }, patch: logFields(e), at });
        }
      }
      await insertDeposits(em, { deposits: fresh.map(newDeposit), at });
      result.stored += fresh.length;
      this.countObserved(fresh, adapter.name);
      await this.cursors.setIn(em, adapter.eid, CursorKind.Head, to, at);
    });
  }

  private countObserved(fresh: readonly LockEvent[], name: string): void {
    const bySource = new Map<number, number>();
    for (const e of fresh) bySource.set(e.srcEid, (bySource.get(e.srcEid) ?? 0) + 1);
    // Every message a chain's scan stores comes from that chain's watched contract: its srcEid is the chain's.
    for (const [eid, n] of bySource) this.metrics.inc('ccr_deposits_observed_total', { chain: name, eid }, n);
  }

  /** The chunk's messages that are ours. `result` (finality scan only) counts and logs the ignored ones once. */
  private async acceptedLocks(adapter: ChainAdapter, from: number, to: number, result: WatchRoundResult | undefined): Promise<LockEvent[]> {
    const destination = this.chains.destination();
    const events = await adapter.fetchMessages(from, to);
    // Config validation guarantees the destination has a receiver.
    // As bytes32, so computeGuid does not re-checksum the address for every lock.
    const receiver = toBytes32(destination.receiver!);
    const accepted = events.filter((e) => this.accept(e, destination.eid, receiver, result !== undefined));
    if (result !== undefined) result.ignored += events.length - accepted.length;
    // One GUID per chunk (a vault nonce appears once in a canonical chain); a repeat would break the bulk writes' counts.
    const seen = new Set<string>();
    return accepted.filter((e) => {
      if (seen.has(e.guid)) {
        this.logger.warn(`lock ${e.guid} appears twice in blocks ${from}–${to} (${e.txHash}:${e.logIndex}); keeping the first`);
        return false;
      }
      seen.add(e.guid);
      return true;
    });
  }

  /**
   * A message is ours when it is addressed along a configured path and its GUID is the one its destination will
   * recompute: a lock or a release result goes to the derivatives chain's receiver; a withdrawal to the vault the
   * config names for its chain. A credit's row gets the receiver it is addressed to.
   */
  private accept(e: LockEvent, dstEid: number, receiver: string, log: boolean): boolean {
    let to: string;
    if (e.kind === MessageKind.Withdrawal) {
      const vault = this.chains.vaultOf(e.dstEid);
      if (vault === undefined || e.receiver !== vault) {
        if (log) this.logger.warn(`ignoring withdrawal ${e.guid} (${e.txHash}): vault ${e.receiver} on eid ${e.dstEid} is not a configured vault`);
        return false;
      }
      to = vault;
    } else {
      if (e.dstEid !== dstEid || (e.receiver !== null && e.receiver !== receiver)) {
        if (log) this.logger.warn(`ignoring ${e.kind} ${e.guid} (${e.txHash}): destination ${e.dstEid}/${e.receiver ?? '?'} is not ours (${dstEid})`);
        return false;
      }
      to = receiver;
    }
    const expected = computeGuid({ nonce: e.nonce, srcEid: e.srcEid, sender: e.srcVault, dstEid: e.dstEid, receiver: to });
    if (expected !== e.guid) {
      if (log) this.logger.warn(`ignoring ${e.kind} ${e.guid} (${e.txHash}): GUID does not match (pointed at another receiver?)`);
      return false;
    }
    e.receiver = to;
    return true;
  }
}
