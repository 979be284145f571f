import { DepositState } from '../store/deposit-state';
import { withdrawalOutcome } from './withdrawal-view';

const S = DepositState;
const w = (state: DepositState, voidedNonce: string | null = null) => ({ state, voidedNonce });
const r = (state: DepositState, releaseStatus: number) => ({ state, releaseStatus });

describe('withdrawalOutcome', () => {
  it('follows a withdrawal from its request to its finish', () => {
    expect(withdrawalOutcome(w(S.OBSERVED), null)).toBe('requested');
    for (const state of [S.FINAL, S.ATTESTED, S.SUBMITTED, S.CONFIRMING, S.DELIVERED]) expect(withdrawalOutcome(w(state), null)).toBe('releasing');
    expect(withdrawalOutcome(w(S.DELIVERED), r(S.OBSERVED, 1))).toBe('released');
    expect(withdrawalOutcome(w(S.DELIVERED), r(S.CONFIRMING, 2))).toBe('release-failed');
    expect(withdrawalOutcome(w(S.DELIVERED), r(S.DELIVERED, 1))).toBe('finished');
    expect(withdrawalOutcome(w(S.DELIVERED), r(S.DELIVERED, 2))).toBe('unfrozen');
  });

  it('names a refund of a voided deposit by its own outcomes', () => {
    expect(withdrawalOutcome(w(S.DELIVERED, '7'), r(S.DELIVERED, 1))).toBe('refunded');
    expect(withdrawalOutcome(w(S.DELIVERED, '7'), r(S.DELIVERED, 2))).toBe('refund-failed');
    expect(withdrawalOutcome(w(S.DELIVERED, '7'), r(S.FINAL, 1))).toBe('released');
  });

  it('is held when either message is HELD or FAILED', () => {
    expect(withdrawalOutcome(w(S.HELD), null)).toBe('held');
    expect(withdrawalOutcome(w(S.FAILED), null)).toBe('held');
    expect(withdrawalOutcome(w(S.DELIVERED), r(S.HELD, 1))).toBe('held');
  });
});
