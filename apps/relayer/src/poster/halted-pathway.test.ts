import { DepositState as S, HeldReason } from '../store/deposit-state';
import { BatchPreparer } from './batch-preparer';
import { DestinationPoster } from './destination-poster';
import { PosterHarness, SRC_EID, SRC_VAULT } from './testing/poster-harness.fixture';

let h: PosterHarness;
let preparer: BatchPreparer;
afterEach(async () => {
  await preparer?.close();
  await h?.close();
});

describe('the posters and pathways halted by the solvency job', () => {
  it('posts no credit of a halted pathway but still reconciles it, and posts again once it is resumed', async () => {
    h = await PosterHarness.open();
    preparer = new BatchPreparer(h.config.attesterKeys.map((k) => k.reveal()), h.logger);
    let halted = new Set([`${SRC_EID}:${SRC_VAULT}`]);
    const poster = new DestinationPoster({ ...h.ctx, chain: h.ctx.destination, attestation: preparer, halts: { haltedPathways: () => Promise.resolve(halted) } });
    const guids = await h.valuedCredits(1n, 2n, 3n);

    expect(await poster.post()).toEqual({ reconciled: 0, posted: 0, credited: 0, held: 0, waiting: 0 });
    expect(await h.states(guids)).toEqual(guids.map(() => [S.VALUED, null]));
    expect(h.chain.broadcasts).toEqual([]);

    // Somebody else applied nonce 1 (the receiver shows it): reconciled as usual while halted; 2 and 3 still wait.
    h.chain.applyExternally(SRC_EID, SRC_VAULT, 1n, [guids[0]!]);
    expect(await poster.post()).toMatchObject({ reconciled: 1, posted: 0 });
    expect(await h.states(guids)).toEqual([[S.CONFIRMING, HeldReason.Reconciled], [S.VALUED, null], [S.VALUED, null]]);

    halted = new Set();
    expect(await poster.post()).toMatchObject({ posted: 2 });
    expect(await h.states(guids.slice(1))).toEqual([[S.SUBMITTED, null], [S.SUBMITTED, null]]);
  });

  it('leaves other pathways alone', async () => {
    h = await PosterHarness.open();
    preparer = new BatchPreparer(h.config.attesterKeys.map((k) => k.reveal()), h.logger);
    const poster = new DestinationPoster({ ...h.ctx, chain: h.ctx.destination, attestation: preparer, halts: { haltedPathways: () => Promise.resolve(new Set([`40102:${SRC_VAULT}`])) } });
    await h.valuedCredits(1n, 2n);
    expect(await poster.post()).toMatchObject({ posted: 2 });
  });

  it('posts no withdrawal to the vault of a halted pathway (a forged credit is not paid out), and posts again once it is resumed', async () => {
    h = await PosterHarness.open({ role: 'vault' });
    preparer = new BatchPreparer(h.config.attesterKeys.map((k) => k.reveal()), h.logger);
    let halted = new Set([`${SRC_EID}:${SRC_VAULT}`]); // the vault chain's eid and this vault: the pathway the vault serves
    const poster = new DestinationPoster({ ...h.ctx, chain: h.ctx.destination, attestation: preparer, halts: { haltedPathways: () => Promise.resolve(halted) } });
    const guids = await h.finalWithdrawals(1n, 2n);

    expect(await poster.post()).toEqual({ reconciled: 0, posted: 0, credited: 0, held: 0, waiting: 0 });
    expect(await h.states(guids)).toEqual(guids.map(() => [S.FINAL, null]));
    expect(h.chain.broadcasts).toEqual([]);

    halted = new Set([`40102:${SRC_VAULT}`]); // another pathway halted: this vault's withdrawals go
    expect(await poster.post()).toMatchObject({ posted: 2 });
    expect(await h.states(guids)).toEqual(guids.map(() => [S.SUBMITTED, null]));
  });
});
