import { Injectable, Logger } from '@nestjs/common';
import { computeGuid } from '@ccr/messages';
import type { LockEvent } from '../chains/chain-adapter';
import { ChainRegistry } from '../chains/chain-registry';
import { Clock } from '../common/clock';
import type { ChainConfig } from '../config/config.schema';
import { CursorKind } from '../store/chain-cursor.entity';
import { CursorRepository } from '../store/cursor.repository';
import { Database } from '../store/database';
import { DepositState } from '../store/deposit-state';
import { Deposit } from '../store/deposit.entity';
import { insertObserved, transition } from '../store/transition';

export type WatchRoundResult = { eid: number; head: number; finalized: number; cursor: number; stored: number; ignored: number };

/** Chunks scanned per round per chain, so one far-behind chain cannot starve the others. */
const MAX_CHUNKS_PER_ROUND = 50;

/**
 * Per source chain: scans the vault's `Locked` logs from the persisted cursor up to the finality bound in
 * bounded chunks. Each chunk's new deposits (OBSERVED → FINAL in the history) and the advanced cursor are written
 * in ONE transaction, so a restart resumes exactly after the last stored chunk: no gap, no duplicate
 * (the GUID is the primary key and inserts are idempotent).
 *
 * Design choice: only finalized blocks are read, so a deposit is never stored from a block that can still be
 * reorged away; REORGED stays in the state enum for a future head-scanning mode.
 */
@Injectable()
export class WatcherService {
  private readonly logger = new Logger(WatcherService.name);

  constructor(
    private readonly chains: ChainRegistry,
    private readonly cursors: CursorRepository,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async watch(chain: ChainConfig): Promise<WatchRoundResult> {
    const adapter = this.chains.get(chain.eid);
    const destination = this.chains.destination();
    const [head, finalized] = await Promise.all([adapter.head(), adapter.finalizedCursor()]);
    await this.cursors.set(chain.eid, CursorKind.Head, head, this.clock.now());
    let cursor = (await this.cursors.get(chain.eid, CursorKind.Final)) ?? chain.startBlock - 1;
    let stored = 0;
    let ignored = 0;
    for (let i = 0; i < MAX_CHUNKS_PER_ROUND && cursor < finalized; i++) {
      const from = cursor + 1;
      const to = Math.min(finalized, from + chain.logChunkSize - 1);
      const events = await adapter.fetchLocks(from, to);
      const accepted = events.filter((e) => this.accept(e, destination.eid, destination.receiver!));
      ignored += events.length - accepted.length;
      stored += await this.db.write(async (em) => {
        let n = 0;
        const at = this.clock.now();
        for (const e of accepted) {
          const inserted = await insertObserved(em, { ...e, amount: e.amount.toString() }, at);
          const row = await em.findOneOrFail(Deposit, { where: { guid: e.guid }, select: { guid: true, state: true } });
          if (row.state === DepositState.OBSERVED) {
            await transition(em, { guid: e.guid, from: DepositState.OBSERVED, to: DepositState.FINAL, at, detail: { block: e.blockNumber, finalized } });
          }
          if (inserted) n++;
        }
        await this.cursors.setIn(em, chain.eid, CursorKind.Final, to, at);
        return n;
      });
      cursor = to;
    }
    if (stored > 0) this.logger.log(`${chain.name}: stored ${stored} deposit(s), cursor ${cursor}/${finalized} (head ${head})`);
    return { eid: chain.eid, head, finalized, cursor, stored, ignored };
  }

  /** A lock is ours when it targets our destination and its GUID is the one the receiver will recompute. */
  private accept(e: LockEvent, dstEid: number, receiver: string): boolean {
    if (e.dstEid !== dstEid) {
      this.logger.warn(`ignoring lock ${e.guid} (${e.txHash}): dstEid ${e.dstEid} is not ours (${dstEid})`);
      return false;
    }
    const expected = computeGuid({ nonce: e.nonce, srcEid: e.srcEid, sender: e.srcVault, dstEid, receiver });
    if (expected !== e.guid) {
      this.logger.warn(`ignoring lock ${e.guid} (${e.txHash}): GUID does not match (vault points at another receiver?)`);
      return false;
    }
    return true;
  }
}
