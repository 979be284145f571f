import { DepositState } from '../store/deposit-state';
import { MessageKind } from '../store/message-kind';
import { haltedRun, isReady, type RunRow, selectRun } from './select-run';

const S = DepositState;
const row = (nonce: number, state: DepositState, kind = MessageKind.Credit, voidReason: number | null = null): RunRow => ({ guid: `g${nonce}`, kind, nonce: BigInt(nonce), state, voidReason });
const guids = (rows: RunRow[]): string[] => rows.map((r) => r.guid);

describe('selectRun', () => {
  it('takes the contiguous ready run after lastNonce, across kinds on one path', () => {
    const rows = [row(5, S.VALUED), row(6, S.FINAL, MessageKind.Result), row(7, S.VOIDING, MessageKind.Credit, 1), row(8, S.VALUED)];
    expect(guids(selectRun(rows, 4n))).toEqual(['g5', 'g6', 'g7', 'g8']);
  });

  it('stops at a row that is not ready (a HELD deposit blocks its path) and at a gap', () => {
    expect(guids(selectRun([row(1, S.VALUED), row(2, S.HELD), row(3, S.VALUED)], 0n))).toEqual(['g1']);
    expect(guids(selectRun([row(1, S.VALUED), row(3, S.VALUED)], 0n))).toEqual(['g1']);
    expect(guids(selectRun([row(2, S.VALUED)], 0n))).toEqual([]);
    // A credit that is FINAL is not valued yet; a result that is VALUED does not exist; a voided credit posts only as VOIDING.
    expect(guids(selectRun([row(1, S.FINAL)], 0n))).toEqual([]);
    expect(guids(selectRun([row(1, S.VALUED, MessageKind.Credit, 1)], 0n))).toEqual([]);
  });

  it('continues after the SUBMITTED rows at its head, never around one in the middle', () => {
    expect(guids(selectRun([row(1, S.SUBMITTED), row(2, S.SUBMITTED), row(3, S.VALUED)], 0n))).toEqual(['g3']);
    expect(guids(selectRun([row(1, S.VALUED), row(2, S.SUBMITTED), row(3, S.VALUED)], 0n))).toEqual(['g1']);
  });

  it('skips what the destination already applied (nonce ≤ lastNonce)', () => {
    expect(guids(selectRun([row(3, S.VALUED), row(4, S.VALUED), row(5, S.VALUED)], 4n))).toEqual(['g5']);
  });

  it('isReady names each kind’s ready state', () => {
    expect(isReady(row(1, S.VALUED))).toBe(true);
    expect(isReady(row(1, S.VOIDING, MessageKind.Credit, 3))).toBe(true);
    expect(isReady(row(1, S.FINAL, MessageKind.Withdrawal))).toBe(true);
    expect(isReady(row(1, S.VALUED, MessageKind.Withdrawal))).toBe(false);
    expect(isReady(row(1, S.CONFIRMING))).toBe(false);
  });
});

describe('haltedRun (a pathway halted by the solvency job)', () => {
  it('cuts the run at its first credit or void; release results before it still go', () => {
    const run = selectRun([row(5, S.FINAL, MessageKind.Result), row(6, S.FINAL, MessageKind.Result), row(7, S.VALUED), row(8, S.FINAL, MessageKind.Result)], 4n);
    expect(guids(haltedRun(run))).toEqual(['g5', 'g6']);
    expect(guids(haltedRun(selectRun([row(1, S.VOIDING, MessageKind.Credit, 2), row(2, S.FINAL, MessageKind.Result)], 0n)))).toEqual([]);
    expect(guids(haltedRun(selectRun([row(1, S.VALUED), row(2, S.VALUED)], 0n)))).toEqual([]);
    expect(guids(haltedRun([row(3, S.FINAL, MessageKind.Result)]))).toEqual(['g3']);
  });
});
