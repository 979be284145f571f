import { DepositState } from '../store/deposit-state';
import { MessageKind, readyState } from '../store/message-kind';

/** What run selection reads of a row. */
export type RunRow = { guid: string; kind: MessageKind; nonce: bigint; state: DepositState; voidReason: number | null };

/** True when the row waits only for its turn on the path: VALUED (a credit), VOIDING (a voided one), FINAL (the rest). */
export function isReady(row: Pick<RunRow, 'kind' | 'state' | 'voidReason'>): boolean {
  return row.state === readyState(row.kind, row.voidReason !== null);
}

/**
 * The ordered channel: the destination applies nonce `lastNonce + 1` next, so what can be posted on one path is the
 * contiguous run of ready rows from there, after the ones already on their way (SUBMITTED: in a signed transaction).
 * A row that is neither ends the run (a HELD deposit holds the later nonces of its path behind it); so does a gap
 * (a nonce not stored yet). A SUBMITTED row after the run has started ends it too: a batch abandoned in front of an
 * in-flight one must go first, on its own. `rows` are the path's rows above `lastNonce`, by nonce.
 */
export function selectRun<T extends RunRow>(rows: readonly T[], lastNonce: bigint): T[] {
  const run: T[] = [];
  let expected = lastNonce + 1n;
  for (const row of rows) {
    if (row.nonce < expected) continue;
    if (row.nonce !== expected) break;
    if (row.state === DepositState.SUBMITTED && run.length === 0) {
      expected++;
      continue;
    }
    if (!isReady(row)) break;
    run.push(row);
    expected++;
  }
  return run;
}

/**
 * A pathway the solvency job halted (solvency/): its CREDIT and VOID messages are not posted. The run is cut at its
 * first credit-kind row; release results before it still go (they never add to what the receiver owes), and nothing
 * after it can (the destination applies the path in nonce order).
 */
export function haltedRun<T extends RunRow>(run: readonly T[]): T[] {
  const firstCredit = run.findIndex((r) => r.kind === MessageKind.Credit);
  return firstCredit < 0 ? [...run] : run.slice(0, firstCredit);
}

/** Which pathways are halted, as `srcEid:vault` (bytes32, lowercase) keys: read once per poster round. */
export type PathwayHalts = { haltedPathways(): Promise<ReadonlySet<string>> };
