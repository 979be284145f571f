import { DepositState as S, HeldReason } from '../store/deposit-state';
import { Reconciler } from './reconciler';
import { PosterHarness, SRC_EID, SRC_VAULT } from './testing/poster-harness.fixture';

let h: PosterHarness;
afterEach(async () => h.close());

describe('Reconciler, against a fake destination chain', () => {
  it('turns ready rows at or below the inbound nonce into CONFIRMING (reconciled, with the crediting tx), then CREDITED at finality keeping the reason', async () => {
    h = await PosterHarness.open();
    const guids = await h.valuedCredits(1n, 2n, 3n);
    // Somebody else (or this relayer before a crash) landed nonces 1 and 2.
    const external = h.chain.applyExternally(SRC_EID, SRC_VAULT, 2n, guids.slice(0, 2));
    const reconciler = new Reconciler(h.ctx);
    const finality = await reconciler.finalityBound();
    expect(finality).toBe(-1); // the fake's finalized tag: nothing final yet
    expect(await reconciler.path(SRC_EID, SRC_VAULT, finality)).toEqual({ lastNonce: 2n, reconciled: 2 });
    expect(await h.states(guids)).toEqual([
      [S.CONFIRMING, HeldReason.Reconciled],
      [S.CONFIRMING, HeldReason.Reconciled],
      [S.VALUED, null],
    ]);
    expect((await h.row(guids[0]!)).creditTxHash).toBe(external);
    expect(h.metrics.counter('ccr_credits_reconciled_total')).toBe(2);
    expect(h.logger.matching('reconciled 2 message(s) already applied on dst (inbound nonce 2); tx found for 2')).toHaveLength(1);

    h.chain.finalized = h.chain.head.number;
    expect(await reconciler.path(SRC_EID, SRC_VAULT, await reconciler.finalityBound())).toEqual({ lastNonce: 2n, reconciled: 0 });
    expect(await h.states(guids)).toEqual([
      [S.CREDITED, HeldReason.Reconciled],
      [S.CREDITED, HeldReason.Reconciled],
      [S.VALUED, null],
    ]);
    expect(await h.history(guids[1]!)).toEqual([
      [null, S.OBSERVED, null],
      [S.OBSERVED, S.FINAL, null],
      [S.FINAL, S.VALUED, null],
      [S.VALUED, S.CONFIRMING, HeldReason.Reconciled],
      [S.CONFIRMING, S.CREDITED, HeldReason.Reconciled],
    ]);
  });

  it('reconciles a HELD row too, and leaves the tx hash unknown when the log lookup fails', async () => {
    h = await PosterHarness.open();
    const [g1] = await h.valuedCredits(1n);
    await h.deposits.hold({ guid: g1!, from: S.VALUED, reason: HeldReason.WouldRevert, unitMs: 1000, maxAttempts: 5 });
    h.chain.applyExternally(SRC_EID, SRC_VAULT, 1n, [g1!]);
    h.chain.failNext('creditedLogs');
    expect(await new Reconciler(h.ctx).path(SRC_EID, SRC_VAULT, -1)).toEqual({ lastNonce: 1n, reconciled: 1 });
    expect(await h.row(g1!)).toMatchObject({ state: S.CONFIRMING, reason: HeldReason.Reconciled, creditTxHash: null, nextAttemptAt: null });
    expect(h.logger.matching('cannot look up credit transactions: ChainRpcError: dst: creditedLogs failed: Error: connection refused')).toHaveLength(1);
    expect(h.logger.matching('reconciled 1 message(s) already applied on dst (inbound nonce 1); tx found for 0')).toHaveLength(1);
  });

  it('sends CONFIRMING rows above the latest inbound nonce back to VALUED (dest-reorged) after a destination reorg, and the poster posts them again', async () => {
    h = await PosterHarness.open();
    const guids = await h.valuedCredits(1n, 2n);
    await h.poster.post();
    const [first] = await h.allBatches();
    const block = h.chain.mine();
    await h.poster.post();
    expect(await h.states(guids)).toEqual(guids.map(() => [S.CONFIRMING, null]));

    h.chain.reorg(block.number - 1); // the block that applied them left the destination's chain
    expect(h.chain.inbound(SRC_EID, SRC_VAULT)).toBe(0n);
    expect(await new Reconciler(h.ctx).path(SRC_EID, SRC_VAULT, -1)).toEqual({ lastNonce: 0n, reconciled: 0 });
    for (const g of guids) expect(await h.row(g)).toMatchObject({ state: S.VALUED, reason: HeldReason.DestReorged, batchId: null, creditTxHash: null, deliveredBlock: null });
    expect((await h.history(guids[0]!)).at(-1)).toEqual([S.CONFIRMING, S.VALUED, HeldReason.DestReorged]);
    expect(JSON.parse((await h.deposits.history(guids[0]!)).at(-1)!.detail!)).toEqual({ lastNonce: '0', previousBlock: block.number });
    expect(h.metrics.counter('ccr_dest_reorged_total', { chain: 'dst' })).toBe(2);
    expect(h.logger.matching(`dst: 2 message(s) of path ${SRC_EID}/${SRC_VAULT} were applied and then reorged out (inbound nonce 0): posting them again`)).toHaveLength(1);

    // Posted again, in a new batch with the account's next nonce on the reorged chain (the old tx is gone with its block).
    expect((await h.poster.post()).posted).toBe(2);
    const batches = await h.allBatches();
    expect(batches).toHaveLength(2);
    expect([batches[1]?.txNonce, batches[1]?.txHash === first?.txHash]).toEqual([0, false]);
    expect(await h.states(guids)).toEqual(guids.map(() => [S.SUBMITTED, null]));
  });

  it('with finality `confirmations: 2`, confirms once head − 2 reaches the block; with confirmations 0, in the round that settles', async () => {
    h = await PosterHarness.open({ finality: { mode: 'confirmations', confirmations: 2 } });
    const [g] = await h.valuedCredits(1n);
    await h.poster.post();
    h.chain.mine();
    await h.poster.post();
    h.chain.mine(); // head − 2 = block 0
    await h.poster.post();
    expect((await h.row(g!)).state).toBe(S.CONFIRMING);
    h.chain.mine(); // head − 2 = block 1, the one that applied it
    await h.poster.post();
    expect((await h.row(g!)).state).toBe(S.CREDITED);
    await h.close();

    h = await PosterHarness.open({ finality: { mode: 'confirmations', confirmations: 0 } });
    const [g0] = await h.valuedCredits(1n);
    await h.poster.post();
    h.chain.mine();
    await h.poster.post();
    expect(await h.history(g0!)).toEqual([
      [null, S.OBSERVED, null],
      [S.OBSERVED, S.FINAL, null],
      [S.FINAL, S.VALUED, null],
      [S.VALUED, S.ATTESTED, null],
      [S.ATTESTED, S.SUBMITTED, null],
      [S.SUBMITTED, S.CONFIRMING, null],
      [S.CONFIRMING, S.CREDITED, null],
    ]);
  });
});
