import { BatchState } from '../store/batch.entity';
import { DepositState as S, HeldReason } from '../store/deposit-state';
import { fakeGas } from './testing/fake-destination.fixture';
import { DST_EID, NOW, PosterHarness, RECEIVER_BYTES32, SRC_EID, SRC_VAULT } from './testing/poster-harness.fixture';

let h: PosterHarness;
afterEach(async () => h.close());

describe('DestinationPoster round, against a fake destination chain', () => {
  it('posts the ready run in one batch, settles it from the receipt (CONFIRMING), then CREDITED at the finality bound', async () => {
    h = await PosterHarness.open();
    const guids = await h.valuedCredits(1n, 2n, 3n);
    expect(await h.poster.post()).toEqual({ reconciled: 0, posted: 3, credited: 0, held: 0, waiting: 0 });
    const [batch] = await h.allBatches();
    expect([batch?.state, batch?.txNonce, batch?.validUntil, JSON.parse(batch?.guids ?? '[]')]).toEqual([BatchState.SUBMITTED, 0, String(NOW + 600), guids]);
    expect(await h.states(guids)).toEqual(guids.map(() => [S.SUBMITTED, null]));
    expect(h.chain.mempool.has(batch!.txHash!)).toBe(true);
    expect(h.logger.matching(`batch ${batch!.id}: 3 message(s) to dst in tx ${batch!.txHash} (nonce 0, sent)`)).toHaveLength(1);

    const block = h.chain.mine();
    expect(h.chain.inbound(SRC_EID, SRC_VAULT)).toBe(3n);
    expect(await h.poster.post()).toEqual({ reconciled: 0, posted: 0, credited: 3, held: 0, waiting: 0 });
    for (const g of guids) expect(await h.row(g)).toMatchObject({ state: S.CONFIRMING, deliveredBlock: block.number, creditTxHash: batch!.txHash });
    expect(h.logger.matching(`batch ${batch!.id}: 3 applied on dst in block ${block.number} (gas ${fakeGas(3)})`)).toHaveLength(1);

    // Not final yet (finalized tag still below the block): stays CONFIRMING.
    await h.poster.post();
    expect(await h.states(guids)).toEqual(guids.map(() => [S.CONFIRMING, null]));
    h.chain.finalized = block.number;
    await h.poster.post();
    expect(await h.states(guids)).toEqual(guids.map(() => [S.CREDITED, null]));
    expect(await h.history(guids[0]!)).toEqual([
      [null, S.OBSERVED, null],
      [S.OBSERVED, S.FINAL, null],
      [S.FINAL, S.VALUED, null],
      [S.VALUED, S.ATTESTED, null],
      [S.ATTESTED, S.SUBMITTED, null],
      [S.SUBMITTED, S.CONFIRMING, null],
      [S.CONFIRMING, S.CREDITED, null],
    ]);
    expect((await h.allBatches()).map((b) => [b.state, b.gasUsed])).toEqual([[BatchState.CONFIRMED, String(fakeGas(3))]]);
  });

  it('cuts the run into batches of maxSize, each with the next account nonce, simulated after the ones pending before it', async () => {
    h = await PosterHarness.open({ batch: { maxSize: 2 } });
    const guids = await h.valuedCredits(1n, 2n, 3n, 4n, 5n);
    expect(await h.poster.post()).toEqual({ reconciled: 0, posted: 5, credited: 0, held: 0, waiting: 0 });
    expect((await h.allBatches()).map((b): unknown[] => [b.txNonce, JSON.parse(b.guids)])).toEqual([
      [0, guids.slice(0, 2)],
      [1, guids.slice(2, 4)],
      [2, guids.slice(4)],
    ]);
    h.chain.mine(); // all three, in nonce order
    expect(h.chain.inbound(SRC_EID, SRC_VAULT)).toBe(5n);
    expect((await h.poster.post()).credited).toBe(5);
    expect(await h.states(guids)).toEqual(guids.map(() => [S.CONFIRMING, null]));
  });

  it('keeps a partial batch waiting batch.maxWaitMs after its oldest message, and posts at most pipeline.maxInFlight batches', async () => {
    h = await PosterHarness.open({ batch: { maxSize: 2, maxWaitMs: 5_000 }, pipeline: { maxInFlight: 1 } });
    const guids = await h.valuedCredits(1n);
    expect(await h.poster.post()).toEqual({ reconciled: 0, posted: 0, credited: 0, held: 0, waiting: 1 });
    h.clock.advance(5_000);
    await h.valuedCredits(2n, 3n, 4n);
    expect((await h.poster.post()).posted).toBe(2); // one full batch: the only in-flight slot
    expect((await h.allBatches()).map((b): unknown => JSON.parse(b.guids))).toEqual([[guids[0], h.guid(2n)]]);
    expect((await h.poster.post()).posted).toBe(0); // slot taken, receipt not there: nothing more
    h.chain.mine();
    expect(await h.poster.post()).toMatchObject({ posted: 2, credited: 2 });
  });

  it('holds the message a simulation refuses (would-revert) and sends what precedes it; the later nonces wait behind it', async () => {
    h = await PosterHarness.open();
    const guids = await h.valuedCredits(1n, 2n, 3n);
    h.chain.refuse(guids[1]!, 'InvalidMessage');
    expect(await h.poster.post()).toEqual({ reconciled: 0, posted: 1, credited: 0, held: 1, waiting: 0 });
    expect(await h.states(guids)).toEqual([
      [S.SUBMITTED, null],
      [S.HELD, HeldReason.WouldRevert],
      [S.VALUED, null],
    ]);
    expect((await h.row(guids[1]!)).reasonDetail).toBe('InvalidMessage(index=1)');
    expect(h.metrics.counter('ccr_would_revert_total', { error: 'InvalidMessage' })).toBe(1);
    expect(h.poster.status.lastRevert).toMatchObject({ name: 'InvalidMessage', detail: 'InvalidMessage(index=1)', batchSize: 3 });
    expect(h.logger.matching(`credit ${guids[1]} would revert the batch: InvalidMessage(index=1); holding it`)).toHaveLength(1);
    h.chain.mine();
    await h.poster.post();
    expect(await h.states(guids)).toEqual([
      [S.CONFIRMING, null],
      [S.HELD, HeldReason.WouldRevert],
      [S.VALUED, null],
    ]);
  });

  it('reports a failing round in its status and rethrows', async () => {
    h = await PosterHarness.open();
    await h.valuedCredits(1n);
    h.chain.failNext('lastNonce');
    await expect(h.poster.post()).rejects.toThrow('dst: lastNonce failed');
    expect(h.poster.status.lastError).toBe('ChainRpcError: dst: lastNonce failed: Error: connection refused');
    expect(h.poster.status.lastRoundAt).toBe(h.clock.now().toISOString());
    expect(h.poster.posterAddress()).toBe(h.chain.posterAddress);
  });

  it('as a vault poster: withdrawals FINAL → SUBMITTED → CONFIRMING → DELIVERED; a vault-chain reorg sends them back to FINAL (dest-reorged)', async () => {
    h = await PosterHarness.open({ role: 'vault' });
    expect(h.poster.role).toBe('vault');
    const guids = await h.finalWithdrawals(1n, 2n);
    expect((await h.poster.post()).posted).toBe(2);
    const block = h.chain.mine();
    expect(h.chain.inbound(DST_EID, RECEIVER_BYTES32)).toBe(2n);
    expect((await h.poster.post()).credited).toBe(2);
    expect(await h.states(guids)).toEqual(guids.map(() => [S.CONFIRMING, null]));
    h.chain.reorg(block.number - 1);
    await h.poster.post(); // back to FINAL, and posted again in the same round
    expect(await h.history(guids[0]!)).toEqual([
      [null, S.OBSERVED, null],
      [S.OBSERVED, S.FINAL, null],
      [S.FINAL, S.ATTESTED, null],
      [S.ATTESTED, S.SUBMITTED, null],
      [S.SUBMITTED, S.CONFIRMING, null],
      [S.CONFIRMING, S.FINAL, HeldReason.DestReorged],
      [S.FINAL, S.ATTESTED, null],
      [S.ATTESTED, S.SUBMITTED, null],
    ]);
    const again = h.chain.mine();
    await h.poster.post();
    h.chain.finalized = again.number;
    await h.poster.post();
    expect(await h.states(guids)).toEqual(guids.map(() => [S.DELIVERED, null]));
  });
});
