import { BatchState } from '../store/batch.entity';
import { DepositState as S, HeldReason } from '../store/deposit-state';
import { transitionMany } from '../store/transition-many';
import { BatchSettler } from './batch-settler';
import { fakeGas } from './testing/fake-destination.fixture';
import { NOW, PosterHarness, SRC_EID, SRC_VAULT } from './testing/poster-harness.fixture';

let h: PosterHarness;
let settler: BatchSettler;
afterEach(async () => h.close());

/** Opens the harness and posts credits with these nonces in one SUBMITTED batch (broadcast, not mined). */
async function posted(...nonces: bigint[]): Promise<{ guids: string[]; batchId: number; hash: string; raw: string }> {
  h = await PosterHarness.open();
  settler = new BatchSettler(h.ctx);
  const guids = await h.valuedCredits(...nonces);
  expect((await h.poster.post()).posted).toBe(nonces.length);
  const [batch] = await h.allBatches();
  return { guids, batchId: batch!.id, hash: batch!.txHash!, raw: batch!.rawTx! };
}

const SUBMITTED_PATH = [
  [null, S.OBSERVED, null],
  [S.OBSERVED, S.FINAL, null],
  [S.FINAL, S.VALUED, null],
  [S.VALUED, S.ATTESTED, null],
  [S.ATTESTED, S.SUBMITTED, null],
];

describe('BatchSettler, against a fake destination chain', () => {
  it('settles a SUBMITTED batch from its receipt: CONFIRMED with gasUsed, messages CONFIRMING with deliveredBlock and the tx hash', async () => {
    const { guids, batchId, hash } = await posted(1n, 2n);
    expect(await settler.settleSubmitted()).toBe(0); // pending: no receipt yet
    expect(await h.states(guids)).toEqual(guids.map(() => [S.SUBMITTED, null]));
    const block = h.chain.mine();
    expect(await settler.settleSubmitted()).toBe(2);
    for (const g of guids) expect(await h.row(g)).toMatchObject({ state: S.CONFIRMING, reason: null, deliveredBlock: block.number, creditTxHash: hash, batchId });
    expect(await h.history(guids[1]!)).toEqual([...SUBMITTED_PATH, [S.SUBMITTED, S.CONFIRMING, null]]);
    expect(JSON.parse((await h.deposits.history(guids[1]!)).at(-1)!.detail!)).toEqual({ batchId, txHash: hash, block: block.number });
    expect((await h.allBatches()).map((b) => [b.state, b.gasUsed, b.txHash])).toEqual([[BatchState.CONFIRMED, String(fakeGas(2)), hash]]);
    expect(h.metrics.counter('ccr_credits_confirmed_total')).toBe(2);
    expect(h.logger.matching(`batch ${batchId}: 2 applied on dst in block ${block.number}`)).toHaveLength(1);
  });

  it('re-broadcasts the very same signed bytes when the node lost the transaction, and settles it once mined', async () => {
    const { guids, batchId, hash, raw } = await posted(1n);
    h.chain.drop(hash);
    const before = h.chain.broadcasts.length;
    await settler.settleSubmitted();
    expect(h.chain.broadcasts.slice(before)).toEqual([raw]);
    expect(h.chain.mempool.get(hash)?.raw).toBe(raw);
    expect(h.logger.matching(`batch ${batchId}: re-broadcast tx ${hash} (sent)`)).toHaveLength(1);
    expect(await h.states(guids)).toEqual([[S.SUBMITTED, null]]);
    h.chain.mine();
    expect(await settler.settleSubmitted()).toBe(1);
    expect(await h.states(guids)).toEqual([[S.CONFIRMING, null]]);
  });

  it('abandons the batch when its account nonce went to another transaction: messages back to VALUED (tx-dropped), posted again with the next nonce', async () => {
    const { guids, batchId, hash } = await posted(1n, 2n);
    h.chain.useNonceElsewhere(); // an operator's transaction took nonce 0; ours left the pool
    expect(h.chain.mempool.has(hash)).toBe(false);
    await settler.settleSubmitted();
    expect((await h.allBatches()).map((b) => [b.id, b.state, b.error])).toEqual([[batchId, BatchState.ABANDONED, 'account nonce used by another transaction']]);
    for (const g of guids) expect(await h.row(g)).toMatchObject({ state: S.VALUED, reason: HeldReason.TxDropped, batchId: null });
    expect(await h.history(guids[0]!)).toEqual([...SUBMITTED_PATH, [S.SUBMITTED, S.VALUED, HeldReason.TxDropped]]);
    expect(h.logger.matching('re-broadcast')).toHaveLength(0);

    expect((await h.poster.post()).posted).toBe(2);
    expect((await h.allBatches()).map((b) => [b.state, b.txNonce])).toEqual([
      [BatchState.ABANDONED, 0],
      [BatchState.SUBMITTED, 1],
    ]);
  });

  it('never re-broadcasts a lost transaction whose validUntil passed: abandoned, its messages attested again', async () => {
    const { guids, batchId, hash } = await posted(1n);
    const [batch] = await h.allBatches();
    expect(batch?.validUntil).toBe(String(NOW + 600));
    h.chain.drop(hash);
    h.chain.blockTime = 601n;
    h.chain.mine(); // an empty block past validUntil
    const before = h.chain.broadcasts.length;
    await settler.settleSubmitted();
    expect(h.chain.broadcasts.length).toBe(before);
    expect((await h.allBatches()).map((b) => [b.state, b.error])).toEqual([[BatchState.ABANDONED, `attestation expired (validUntil ${NOW + 600}) before the transaction was mined: attesting again`]]);
    expect(await h.states(guids)).toEqual([[S.VALUED, HeldReason.TxDropped]]);
    expect(h.logger.matching(`batch ${batchId}: re-broadcast`)).toHaveLength(0);
  });

  it('a reverted receipt whose messages somebody else applied first is PREEMPTED (reconciled, not counted as reverted)', async () => {
    const { guids, batchId, hash } = await posted(1n, 2n);
    const external = h.chain.applyExternally(SRC_EID, SRC_VAULT, 2n, guids); // the same attested packets, landed by another account
    h.chain.mine(); // ours: UnexpectedNonce on chain
    expect((await h.chain.receipt(hash))?.status).toBe(0);
    expect(await settler.settleSubmitted()).toBe(0);
    expect((await h.allBatches()).map((b) => [b.state, b.error, b.gasUsed])).toEqual([[BatchState.PREEMPTED, `tx ${hash} reverted: already applied by another transaction`, '30000']]);
    expect(await h.states(guids)).toEqual(guids.map(() => [S.VALUED, HeldReason.Reconciled]));
    expect(h.metrics.counter('ccr_posts_preempted_total', { chain: 'dst' })).toBe(1);
    expect(h.metrics.counter('ccr_posts_reverted_total')).toBe(0);
    expect(h.logger.matching(`batch ${batchId}: tx ${hash} reverted because its messages were already applied on dst by another transaction; reconciling them`)).toHaveLength(1);
    expect(h.logger.lines.filter((l) => l.level === 'error')).toEqual([]);

    // The next round reconciles them from the inbound nonce, with the other transaction's hash.
    expect((await h.poster.post()).reconciled).toBe(2);
    for (const g of guids) expect(await h.row(g)).toMatchObject({ state: S.CONFIRMING, reason: HeldReason.Reconciled, creditTxHash: external });
  });

  it('a reverted receipt nobody else explains is REVERTED (tx-reverted, counted, logged as an error)', async () => {
    const { guids, batchId, hash } = await posted(1n);
    h.chain.revertNext(hash);
    h.chain.mine();
    await settler.settleSubmitted();
    expect((await h.allBatches()).map((b) => [b.state, b.error])).toEqual([[BatchState.REVERTED, `tx ${hash} reverted`]]);
    expect(await h.states(guids)).toEqual([[S.VALUED, HeldReason.TxReverted]]);
    expect(h.metrics.counter('ccr_posts_reverted_total')).toBe(1);
    expect(h.metrics.counter('ccr_posts_preempted_total', { chain: 'dst' })).toBe(0);
    expect(h.logger.matching(`batch ${batchId}: tx ${hash} REVERTED on chain (it was simulated first)`)).toHaveLength(1);
  });

  it('keeps a batch SUBMITTED when the chain cannot be asked ("cannot settle yet"), and settles it on a later pass', async () => {
    const { guids, batchId, hash } = await posted(1n);
    h.chain.drop(hash);
    h.chain.failNext('broadcast');
    await settler.settleSubmitted();
    expect(h.logger.matching(`batch ${batchId}: cannot settle yet: ChainRpcError: dst: broadcast failed: Error: connection refused`)).toHaveLength(1);
    expect((await h.allBatches()).map((b) => b.state)).toEqual([BatchState.SUBMITTED]);
    await settler.settleSubmitted(); // re-broadcast this time
    h.chain.mine();
    await settler.settleSubmitted();
    expect(await h.states(guids)).toEqual([[S.CONFIRMING, null]]);
  });

  it('releases a batch a crash left ATTESTED (never signed): ABANDONED, messages back to VALUED', async () => {
    h = await PosterHarness.open();
    settler = new BatchSettler(h.ctx);
    const guids = await h.valuedCredits(1n, 2n);
    const id = await h.db.write(async (em) => {
      const at = h.clock.now();
      const batchId = await h.batches.createIn(em, { dstEid: 40200, guids: JSON.stringify(guids), digest: '0xdigest', state: BatchState.ATTESTED }, at);
      await transitionMany(em, { from: S.VALUED, to: S.ATTESTED, at, patch: { batchId }, items: guids.map((guid) => ({ guid })) });
      return batchId;
    });
    await settler.abandonAttested();
    expect((await h.allBatches()).map((b) => [b.state, b.error])).toEqual([[BatchState.ABANDONED, 'never broadcast']]);
    for (const g of guids) expect(await h.row(g)).toMatchObject({ state: S.VALUED, reason: HeldReason.TxDropped, batchId: null });
    expect(h.logger.matching(`batch ${id} was attested but never signed/sent (crash?): releasing its deposits`)).toHaveLength(1);
  });
});
