import { describeError } from '../common/relayer-error';
import { DepositState, HeldReason } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { deliveredState, readyState } from '../store/message-kind';
import { transitionMany } from '../store/transition-many';
import { groupBy } from './group-by';
import type { PosterContext } from './poster-context';

/** States reconciliation may turn into CONFIRMING when the destination's inbound nonce is past them (SUBMITTED is settled from its receipt). */
export const RECONCILABLE = new Set<DepositState>([DepositState.OBSERVED, DepositState.FINAL, DepositState.VALUED, DepositState.HELD, DepositState.FAILED, DepositState.VOIDING]);

/** How far back (in log chunks of the destination) reconciliation looks for the `Credited` event of a GUID. */
const CREDIT_LOOKUP_MAX_CHUNKS = 50;
/** GUIDs per `eth_getLogs` topic list. */
const CREDIT_LOOKUP_GUIDS_PER_CALL = 100;

/** The destination's finality bound: 'latest' when it is the head itself (confirmations 0), else a block number. */
export type FinalityBound = number | 'latest';

/**
 * One destination's view of what it has applied, from its inbound nonce per path (never from our own bookkeeping):
 *  - ready rows at or below the latest inbound nonce → CONFIRMING ('reconciled': applied by us before a crash, or by
 *    anyone else; never re-posted), with the crediting transaction when its `Credited` event is found;
 *  - CONFIRMING rows at or below the inbound nonce read at the finality bound → CREDITED / VOIDED / DELIVERED;
 *  - CONFIRMING rows above the latest inbound nonce → back to their ready state ('dest-reorged').
 */
export class Reconciler {
  constructor(private readonly ctx: PosterContext) {}

  /** The destination's finality bound: 'latest' when it is the head itself (confirmations 0), else a block number. */
  async finalityBound(): Promise<FinalityBound> {
    const f = this.ctx.destination.finality;
    if (f.mode === 'confirmations' && f.confirmations === 0) return 'latest';
    if (f.mode === 'confirmations') return Math.max(0, (await this.ctx.submitter.blockNumber()) - f.confirmations);
    return this.ctx.submitter.finalizedBlock();
  }

  /**
   * One path of the round: reads the inbound nonce at the latest block and at `finality`, reconciles the ready rows at
   * or below the latest one, then confirms / un-confirms the CONFIRMING rows. Returns the latest inbound nonce (the
   * run to post starts after it) and how many rows were reconciled.
   */
  async path(srcEid: number, srcVault: string, finality: FinalityBound): Promise<{ lastNonce: bigint; reconciled: number }> {
    const { submitter, deposits, destination } = this.ctx;
    const [lastNonce, finalNonce] = await Promise.all([submitter.lastNonce(srcEid, srcVault), finality === 'latest' ? undefined : submitter.lastNonce(srcEid, srcVault, finality)]);
    const reconciled = await this.reconcile(await deposits.pathwayUpTo(srcEid, srcVault, destination.eid, lastNonce, [...RECONCILABLE]), lastNonce);
    await this.confirm(srcEid, srcVault, lastNonce, finalNonce ?? lastNonce);
    return { lastNonce, reconciled };
  }

  /**
   * CONFIRMING rows of one path against the destination's inbound nonce: at or below `finalNonce` (read at the finality
   * bound) → CREDITED / VOIDED / DELIVERED; above `lastNonce` (read at the latest block) → back to their ready state
   * ('dest-reorged'): the transaction that applied them left the destination's chain, they are posted again.
   */
  private async confirm(srcEid: number, srcVault: string, lastNonce: bigint, finalNonce: bigint): Promise<void> {
    const { deposits, destination, db, clock, metrics, logger } = this.ctx;
    const rows = await deposits.pathwayInState(srcEid, srcVault, destination.eid, DepositState.CONFIRMING);
    if (rows.length === 0) return;
    const final = rows.filter((d) => d.nonce <= finalNonce);
    const dropped = rows.filter((d) => d.nonce > lastNonce);
    if (final.length === 0 && dropped.length === 0) return;
    await db.write(async (em) => {
      const at = clock.now();
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
      metrics.inc('ccr_dest_reorged_total', { chain: destination.name }, dropped.length);
      logger.warn(`${destination.name}: ${dropped.length} message(s) of path ${srcEid}/${srcVault} were applied and then reorged out (inbound nonce ${lastNonce}): posting them again`);
    }
  }

  /** Marks CONFIRMING ('reconciled') what the destination's inbound nonce shows as applied; states re-read in the write. */
  private async reconcile(rows: Deposit[], lastNonce: bigint): Promise<number> {
    if (rows.length === 0) return 0;
    const { deposits, destination, db, clock, metrics, logger } = this.ctx;
    const creditTx = await this.findCreditTxs(rows.map((d) => d.guid));
    const done = await db.write(async (em) => {
      const at = clock.now();
      const current = await deposits.statesIn(em, rows.map((d) => d.guid));
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
    metrics.inc('ccr_credits_reconciled_total', {}, done);
    logger.log(`reconciled ${done} message(s) already applied on ${destination.name} (inbound nonce ${lastNonce}); tx found for ${creditTx.size}`);
    return done;
  }

  /**
   * The transaction that credited each GUID, from the receiver's `Credited` events (guid is indexed), searched
   * backwards from the head in log chunks down to the destination's startBlock (at most CREDIT_LOOKUP_MAX_CHUNKS
   * chunks). Best effort: a GUID not found, or an RPC failure, leaves the hash unknown rather than blocking.
   */
  private async findCreditTxs(guids: readonly string[]): Promise<Map<string, string>> {
    const { submitter, destination, logger } = this.ctx;
    const found = new Map<string, string>();
    try {
      let to = await submitter.blockNumber();
      for (let i = 0; i < CREDIT_LOOKUP_MAX_CHUNKS && to >= destination.startBlock && found.size < guids.length; i++) {
        const from = Math.max(destination.startBlock, to - destination.logChunkSize + 1);
        const wanted = guids.filter((g) => !found.has(g));
        for (let j = 0; j < wanted.length; j += CREDIT_LOOKUP_GUIDS_PER_CALL)
          for (const log of await submitter.creditedLogs(wanted.slice(j, j + CREDIT_LOOKUP_GUIDS_PER_CALL), from, to)) found.set(log.guid, log.txHash);
        to = from - 1;
      }
    } catch (error) {
      logger.warn(`cannot look up credit transactions: ${describeError(error)}`);
    }
    return found;
  }
}
