import { DepositState } from '../store/deposit-state';
import { MessageKind } from '../store/message-kind';

/** `releaseStatus` of a RELEASE_RESULT that paid out (the vault's totalLocked fell by its amount). */
export const RELEASED = 1;

/** What the identity reads of one stored message on the path (srcEid, vault) → receiver, for one asset. */
export type PathMessage = {
  kind: MessageKind;
  state: DepositState;
  /** Results: 1 RELEASED, 2 FAILED; null for locks. */
  releaseStatus: number | null;
  nonce: bigint;
  blockNumber: number;
  /** Raw amount, token base units. */
  amount: bigint;
};

/** The chain readings of one round for one (srcEid, vault, asset). */
export type SolvencyReadings = {
  /** The vault's `assets(token).totalLocked` at `vaultBlock`. */
  totalLocked: bigint;
  /** The token's `balanceOf(vault)` at `vaultBlock`. */
  balance: bigint;
  /** B_v: min(latest block of the vault chain, the watcher's cursor there) — every event up to it is stored. */
  vaultBlock: number;
  /** The receiver's `book(srcEid, asset)` at `receiverBlock`. */
  credited: bigint;
  frozen: bigint;
  /** N_r: the receiver's `lastNonce(srcEid, vault)` at `receiverBlock`. */
  lastNonce: bigint;
  /** B_r: the receiver chain's latest block, read after the vault's readings. */
  receiverBlock: number;
};

export type InFlightTerms = {
  /** Σ locks with block ≤ B_v and nonce > N_r − Σ locks with block > B_v and nonce ≤ N_r. */
  inFlightDeposits: bigint;
  /** Σ RELEASED results with block ≤ B_v and nonce > N_r − Σ RELEASED results with block > B_v and nonce ≤ N_r. */
  inFlightReleases: bigint;
};

export type SolvencyTerms = SolvencyReadings &
  InFlightTerms & {
    /** credited + frozen + inFlightDeposits − inFlightReleases: what totalLocked must be. */
    expectedLocked: bigint;
    /** totalLocked − expectedLocked (positive: the vault holds more than the receiver owes plus what is in flight). */
    discrepancy: bigint;
    /** The identity holds to the base unit. */
    ok: boolean;
    /** balance ≥ totalLocked: the tokens the vault's books say it holds are there. */
    balanceCovers: boolean;
  };

/**
 * Does the message move tokens in or out of the vault? A lock (kind credit, voided ones included: the collateral is in
 * the vault until its refund is released) does unless its block left the chain (REORGED); a release result only when
 * it RELEASED (a FAILED payout moves nothing); withdrawals are counted by the results that answer them.
 */
function movement(m: PathMessage): 'lock' | 'release' | undefined {
  if (m.state === DepositState.REORGED) return undefined;
  if (m.kind === MessageKind.Credit) return 'lock';
  if (m.kind === MessageKind.Result && m.releaseStatus === RELEASED) return 'release';
  return undefined;
}

/**
 * What is in flight between the two heights. The vault's totalLocked at B_v counts every lock and release up to B_v;
 * the receiver's book at B_r counts every message up to nonce N_r (one nonce order per path, shared by locks and
 * results). So a message counts as in flight when the vault has it and the receiver does not (block ≤ B_v, nonce > N_r),
 * and is taken back when the receiver has it and the vault reading does not (block > B_v, nonce ≤ N_r: mined after the
 * vault was read and applied before the receiver was).
 */
export function inFlightTerms(messages: readonly PathMessage[], vaultBlock: number, lastNonce: bigint): InFlightTerms {
  const sums = { lock: 0n, release: 0n };
  for (const m of messages) {
    const what = movement(m);
    if (what === undefined) continue;
    const onVault = m.blockNumber <= vaultBlock;
    const onReceiver = m.nonce <= lastNonce;
    if (onVault && !onReceiver) sums[what] += m.amount;
    else if (!onVault && onReceiver) sums[what] -= m.amount;
  }
  return { inFlightDeposits: sums.lock, inFlightReleases: sums.release };
}

/**
 * The solvency identity of one (srcEid, vault, asset), to the base unit:
 *
 *     totalLocked = credited + frozen + inFlightDeposits − inFlightReleases
 *
 * A lock adds to totalLocked and, once applied, to credited (a VOID: to frozen, as its refund); a withdrawal moves
 * credited to frozen; a release lowers totalLocked, and its RELEASED result removes the frozen amount (a FAILED one
 * moves nothing on the vault and gives frozen back to credited, or keeps a refund frozen). Pure: the caller reads the
 * chains and the store.
 */
export function solvencyIdentity(readings: SolvencyReadings, messages: readonly PathMessage[]): SolvencyTerms {
  const inFlight = inFlightTerms(messages, readings.vaultBlock, readings.lastNonce);
  const expectedLocked = readings.credited + readings.frozen + inFlight.inFlightDeposits - inFlight.inFlightReleases;
  const discrepancy = readings.totalLocked - expectedLocked;
  return { ...readings, ...inFlight, expectedLocked, discrepancy, ok: discrepancy === 0n, balanceCovers: readings.balance >= readings.totalLocked };
}
