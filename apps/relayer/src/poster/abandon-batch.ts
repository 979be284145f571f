import type { Batch, BatchState } from '../store/batch.entity';
import { DepositState, type HeldReason } from '../store/deposit-state';
import { readyState } from '../store/message-kind';
import { transitionMany } from '../store/transition-many';
import { groupBy } from './group-by';
import type { PosterContext } from './poster-context';

/**
 * The batch will not land: it ends in `state` (ABANDONED, REVERTED, PREEMPTED) with `error`, and its messages still
 * SUBMITTED or ATTESTED go back to their ready state with `reason` (states re-read in the write); the next round's
 * inbound-nonce check decides what is already applied.
 */
export async function abandonBatch(ctx: PosterContext, batch: Batch, state: BatchState, reason: HeldReason, error: string, gasUsed?: bigint): Promise<void> {
  const guids = JSON.parse(batch.guids) as string[]; // written by postBatch as a JSON string array
  const rows = await ctx.deposits.getMany(guids);
  await ctx.db.write(async (em) => {
    const at = ctx.clock.now();
    await ctx.batches.updateIn(em, batch.id, { state, error, ...(gasUsed === undefined ? {} : { gasUsed: gasUsed.toString() }) }, at);
    const current = await ctx.deposits.statesIn(em, guids);
    for (const from of [DepositState.SUBMITTED, DepositState.ATTESTED])
      for (const [to, group] of groupBy(
        rows.filter((d) => current.get(d.guid) === from),
        (d) => readyState(d.kind, d.voidReason !== null),
      ))
        await transitionMany(em, { from, to, reason, detail: { batchId: batch.id, error }, patch: { batchId: null }, items: group.map((d) => ({ guid: d.guid })), at });
  });
}
