import { BatchState } from '../store/batch.entity';
import { DepositState as S, HeldReason } from '../store/deposit-state';
import { BatchSettler } from './batch-settler';
import { PosterHarness } from './testing/poster-harness.fixture';

let h: PosterHarness;
let settler: BatchSettler;
afterEach(async () => h.close());

/** One SUBMITTED batch of credit 1, pending, with the fake's fees (2 gwei max, 1 gwei priority). */
async function pendingBatch(): Promise<{ guid: string; hash: string }> {
  h = await PosterHarness.open({ pipeline: { feeBumpAfterMs: 60_000 } });
  settler = new BatchSettler(h.ctx);
  const [guid] = await h.valuedCredits(1n);
  await h.poster.post();
  const [batch] = await h.allBatches();
  expect([batch?.maxFeePerGas, batch?.maxPriorityFeePerGas]).toEqual(['2000000000', '1000000000']);
  return { guid: guid!, hash: batch!.txHash! };
}

describe('replaceStuckTx (through the settler), against a fake destination chain', () => {
  it('replaces a transaction pending feeBumpAfterMs with fees × 1.10 (same nonce), persisted before broadcast, and settles the replacement', async () => {
    const { guid, hash } = await pendingBatch();
    h.clock.advance(59_999);
    await settler.settleSubmitted();
    expect((await h.allBatches())[0]?.txHash).toBe(hash); // not yet
    h.clock.advance(1);
    await settler.settleSubmitted();
    const [batch] = await h.allBatches();
    expect(batch).toMatchObject({
      state: BatchState.SUBMITTED,
      txNonce: 0,
      maxFeePerGas: '2200000000',
      maxPriorityFeePerGas: '1100000000',
      estimateMaxFeePerGas: '2000000000',
      estimateMaxPriorityFeePerGas: '1000000000',
      replacedTxHashes: JSON.stringify([hash]),
      broadcastAt: h.clock.now(),
    });
    const replacement = batch!.txHash!;
    expect(replacement).not.toBe(hash);
    expect(h.chain.parse(batch!.rawTx!)).toMatchObject({ hash: replacement, nonce: 0, maxFeePerGas: 2_200_000_000n, maxPriorityFeePerGas: 1_100_000_000n });
    expect([h.chain.mempool.has(hash), h.chain.mempool.has(replacement)]).toEqual([false, true]);
    expect((await h.history(guid)).at(-1)).toEqual([S.SUBMITTED, S.SUBMITTED, HeldReason.FeeBumped]);
    expect(h.metrics.counter('ccr_tx_replacements_total')).toBe(1);
    expect(h.logger.matching(`batch ${batch!.id}: tx ${hash} stuck; replaced by ${replacement} (nonce 0, maxFeePerGas 2200000000, sent)`)).toHaveLength(1);

    h.chain.mine();
    expect(await settler.settleSubmitted()).toBe(1);
    expect(await h.row(guid)).toMatchObject({ state: S.CONFIRMING, creditTxHash: replacement });
  });

  it('stops at 3× the estimate: waits at the fee cap (logged once, in the status)', async () => {
    const { hash } = await pendingBatch();
    const fees: string[] = [];
    for (let i = 0; i < 14; i++) {
      h.clock.advance(60_000);
      await settler.settleSubmitted();
      const [batch] = await h.allBatches();
      if (fees.at(-1) !== batch!.maxFeePerGas) fees.push(batch!.maxFeePerGas!);
    }
    // 2 gwei × 1.1ⁿ (rounded up) while ≤ 6 gwei: 11 replacements.
    expect(fees).toEqual(['2200000000', '2420000000', '2662000000', '2928200000', '3221020000', '3543122000', '3897434200', '4287177620', '4715895382', '5187484921', '5706233414']);
    expect(h.metrics.counter('ccr_tx_replacements_total')).toBe(11);
    const [batch] = await h.allBatches();
    expect(JSON.parse(batch!.replacedTxHashes!)).toHaveLength(11);
    expect((JSON.parse(batch!.replacedTxHashes!) as string[])[0]).toBe(hash); // replaceStuckTx writes a JSON array of the replaced hashes
    expect(h.ctx.status.lastFeeCap).toMatchObject({ batchId: batch!.id, txHash: batch!.txHash, maxFeePerGas: '5706233414' });
    expect(h.logger.matching('still pending at the fee cap (3× the estimate); waiting')).toHaveLength(1);
  });

  it('settles from the receipt of a hash the batch had before a replacement', async () => {
    const { guid, hash } = await pendingBatch();
    const original = (await h.allBatches())[0]!.rawTx!;
    h.clock.advance(60_000);
    await settler.settleSubmitted();
    const replacement = (await h.allBatches())[0]!.txHash!;
    // The node drops the replacement and the original is mined after all.
    h.chain.drop(replacement);
    expect(await h.chain.broadcast(original)).toBe('sent');
    h.chain.mine();
    expect(await settler.settleSubmitted()).toBe(1);
    expect(await h.row(guid)).toMatchObject({ state: S.CONFIRMING, creditTxHash: hash });
    expect((await h.allBatches()).map((b) => [b.state, b.txHash])).toEqual([[BatchState.CONFIRMED, hash]]);
  });
});
