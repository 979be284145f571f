import { DepositState as S } from '../store/deposit-state';
import { MessageKind } from '../store/message-kind';
import { inFlightTerms, type PathMessage, type SolvencyReadings, solvencyIdentity } from './solvency-identity';

const lock = (nonce: number, blockNumber: number, amount: bigint, state: S = S.CREDITED): PathMessage => ({ kind: MessageKind.Credit, state, releaseStatus: null, nonce: BigInt(nonce), blockNumber, amount });
const result = (nonce: number, blockNumber: number, amount: bigint, releaseStatus: 1 | 2, state: S = S.DELIVERED): PathMessage => ({ kind: MessageKind.Result, state, releaseStatus, nonce: BigInt(nonce), blockNumber, amount });
const withdrawal = (nonce: number, blockNumber: number, amount: bigint): PathMessage => ({ kind: MessageKind.Withdrawal, state: S.DELIVERED, releaseStatus: null, nonce: BigInt(nonce), blockNumber, amount });

/** Readings at B_v = 100, B_r = 50 (another chain), with everything else given. */
const readings = (r: Partial<SolvencyReadings>): SolvencyReadings => ({ totalLocked: 0n, balance: r.totalLocked ?? 0n, vaultBlock: 100, credited: 0n, frozen: 0n, lastNonce: 0n, receiverBlock: 50, ...r });

describe('solvencyIdentity: totalLocked = credited + frozen + inFlightDeposits − inFlightReleases', () => {
  it('holds when every lock is applied', () => {
    const t = solvencyIdentity(readings({ totalLocked: 600n, credited: 600n, lastNonce: 3n }), [lock(1, 10, 100n), lock(2, 20, 200n), lock(3, 30, 300n)]);
    expect(t).toMatchObject({ inFlightDeposits: 0n, inFlightReleases: 0n, expectedLocked: 600n, discrepancy: 0n, ok: true, balanceCovers: true });
  });

  it('counts a lock the vault has (block ≤ B_v) and the receiver not yet (nonce > N_r) as in flight', () => {
    const t = solvencyIdentity(readings({ totalLocked: 600n, credited: 300n, lastNonce: 2n }), [lock(1, 10, 100n), lock(2, 20, 200n), lock(3, 100, 300n, S.VALUED)]);
    expect(t).toMatchObject({ inFlightDeposits: 300n, expectedLocked: 600n, discrepancy: 0n, ok: true });
  });

  it('takes back a lock mined after B_v that the receiver applied before B_r (cross-height correction)', () => {
    // totalLocked read at 100 does not have nonce 3 (block 101); the receiver, read later, credited it.
    const t = solvencyIdentity(readings({ totalLocked: 300n, credited: 600n, lastNonce: 3n }), [lock(1, 10, 100n), lock(2, 20, 200n), lock(3, 101, 300n, S.CONFIRMING)]);
    expect(t).toMatchObject({ inFlightDeposits: -300n, expectedLocked: 300n, discrepancy: 0n, ok: true });
  });

  it('ignores a lock neither side has (mined after B_v, not applied)', () => {
    expect(inFlightTerms([lock(4, 101, 999n, S.OBSERVED)], 100, 3n)).toEqual({ inFlightDeposits: 0n, inFlightReleases: 0n });
  });

  it('counts a RELEASED result the vault paid (block ≤ B_v) before the receiver removed its frozen amount (nonce > N_r)', () => {
    // lock 1 000 (nonce 1), withdrawal of 400 frozen on the receiver, paid by the vault in block 90 (result nonce 2).
    const t = solvencyIdentity(readings({ totalLocked: 600n, credited: 600n, frozen: 400n, lastNonce: 1n }), [lock(1, 10, 1000n), withdrawal(1, 5, 400n), result(2, 90, 400n, 1, S.FINAL)]);
    expect(t).toMatchObject({ inFlightDeposits: 0n, inFlightReleases: 400n, expectedLocked: 600n, discrepancy: 0n, ok: true });
  });

  it('takes back a RELEASED result paid after B_v and already applied on the receiver (cross-height correction)', () => {
    // The vault reading (block 100) still holds the 400; the receiver, read later, finished the withdrawal (frozen 0).
    const t = solvencyIdentity(readings({ totalLocked: 1000n, credited: 600n, frozen: 0n, lastNonce: 2n }), [lock(1, 10, 1000n), result(2, 105, 400n, 1, S.CONFIRMING)]);
    expect(t).toMatchObject({ inFlightReleases: -400n, expectedLocked: 1000n, discrepancy: 0n, ok: true });
  });

  it('moves nothing for a FAILED result, wherever it is', () => {
    // The payout failed: totalLocked unchanged; on the receiver frozen went back to credited (or not yet).
    for (const [n, block] of [[2, 90], [2, 105], [1, 90]] as const)
      expect(inFlightTerms([result(n, block, 400n, 2)], 100, 1n)).toEqual({ inFlightDeposits: 0n, inFlightReleases: 0n });
    const t = solvencyIdentity(readings({ totalLocked: 1000n, credited: 600n, frozen: 400n, lastNonce: 1n }), [lock(1, 10, 1000n), result(2, 90, 400n, 2, S.FINAL)]);
    expect(t).toMatchObject({ expectedLocked: 1000n, discrepancy: 0n, ok: true });
  });

  it('never counts a REORGED lock (its block left the chain: nothing locked)', () => {
    const t = solvencyIdentity(readings({ totalLocked: 100n, credited: 100n, lastNonce: 1n }), [lock(1, 10, 100n), lock(2, 50, 700n, S.REORGED)]);
    expect(t).toMatchObject({ inFlightDeposits: 0n, discrepancy: 0n, ok: true });
    // …but once REORGED → FINAL (the nonce was used again and mined) it counts with the new lock's amount.
    expect(inFlightTerms([lock(2, 60, 800n, S.FINAL)], 100, 1n).inFlightDeposits).toBe(800n);
    expect(inFlightTerms([result(2, 50, 700n, 1, S.REORGED)], 100, 1n).inFlightReleases).toBe(0n);
  });

  it('holds for a voided deposit: its VOID freezes the amount as a refund on the receiver', () => {
    const t = solvencyIdentity(readings({ totalLocked: 300n, credited: 100n, frozen: 200n, lastNonce: 2n }), [lock(1, 10, 100n), lock(2, 20, 200n, S.VOIDED)]);
    expect(t).toMatchObject({ discrepancy: 0n, ok: true });
  });

  it('names the exact difference of a credit with no lock behind it (a forged CREDIT)', () => {
    const t = solvencyIdentity(readings({ totalLocked: 600n, credited: 600n + 1_234_567n, lastNonce: 4n }), [lock(1, 10, 100n), lock(2, 20, 200n), lock(3, 30, 300n)]);
    expect(t).toMatchObject({ expectedLocked: 1_235_167n, discrepancy: -1_234_567n, ok: false });
  });

  it('reports a vault whose token balance is below its totalLocked', () => {
    const t = solvencyIdentity(readings({ totalLocked: 600n, balance: 599n, credited: 600n, lastNonce: 1n }), [lock(1, 10, 600n)]);
    expect(t).toMatchObject({ ok: true, balanceCovers: false });
    expect(solvencyIdentity(readings({ totalLocked: 600n, balance: 601n, credited: 600n, lastNonce: 1n }), [lock(1, 10, 600n)]).balanceCovers).toBe(true);
  });

  it('adds both corrections in one round (locks and releases on both sides of the heights)', () => {
    // Vault at B_v = 100: locks 1 (1 000), 2 (500), release 3 (300) → totalLocked 1 200; lock 5 (70) in block 101.
    // Receiver at N_r = 5: has 1, 2, 3 (frozen 300 removed), 4 = a release in block 101 (200 removed), 5.
    const messages = [lock(1, 10, 1000n), lock(2, 20, 500n), result(3, 30, 300n, 1), result(4, 101, 200n, 1, S.CONFIRMING), lock(5, 101, 70n, S.CONFIRMING)];
    // credited + frozen at the receiver = 1 000 + 500 − 300 − 200 + 70 = 1 070.
    const t = solvencyIdentity(readings({ totalLocked: 1200n, credited: 870n, frozen: 200n, lastNonce: 5n }), messages);
    expect(t).toMatchObject({ inFlightDeposits: -70n, inFlightReleases: -200n, expectedLocked: 1200n, discrepancy: 0n, ok: true });
  });
});
