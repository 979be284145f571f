import type { EntityManager } from 'typeorm';
import { DepositState } from './deposit-state';
import { DepositTransition } from './deposit-transition.entity';
import { Deposit } from './deposit.entity';
import { transitionMany } from './transition-many';
import { MessageKind } from './message-kind';

/** Fields a transition may set besides the state (valuation, batch, tx hashes, retry bookkeeping). */
export type DepositPatch = Partial<
  Pick<
    Deposit,
    | 'reasonDetail'
    | 'symbol'
    | 'assetDecimals'
    | 'price'
    | 'priceTimestamp'
    | 'haircut'
    | 'sizeWeight'
    | 'haircutValue'
    | 'valuedAt'
    | 'batchId'
    | 'creditTxHash'
    | 'attempts'
    | 'nextAttemptAt'
    | 'creditedAt'
    | 'blockNumber'
    | 'blockHash'
    | 'txHash'
    | 'logIndex'
    | 'depositor'
    | 'account'
    | 'token'
    | 'amount'
    | 'deliveredBlock'
    | 'voidReason'
  >
>;

export type TransitionParameters = {
  guid: string;
  /** The state the caller believes the deposit is in; the update is refused if it moved meanwhile. */
  from: DepositState;
  to: DepositState;
  reason?: string | null | undefined;
  detail?: Record<string, unknown> | undefined;
  patch?: DepositPatch | undefined;
  at: Date;
};

/**
 * THE way a deposit changes state. Checks the transition is legal, updates the row only if it is still in
 * `from` (compare-and-set), and appends the history row — all inside the caller's transaction `em`.
 * (One item of `transitionMany`, store/transition-many.ts, which moves many deposits in a few statements.)
 */
export async function transition(em: EntityManager, p: TransitionParameters): Promise<void> {
  await transitionMany(em, { from: p.from, to: p.to, reason: p.reason, at: p.at, items: [{ guid: p.guid, detail: p.detail, patch: p.patch }] });
}

/** A new deposit: the row and its first history row (`null → OBSERVED`). Idempotent: returns false if the GUID exists. */
export type NewDeposit = Pick<
  Deposit,
  'guid' | 'srcEid' | 'srcVault' | 'dstEid' | 'nonce' | 'depositor' | 'account' | 'token' | 'amount' | 'blockNumber' | 'blockHash' | 'txHash' | 'logIndex'
> &
  Partial<Pick<Deposit, 'kind' | 'receiver' | 'recipient' | 'voidedNonce' | 'withdrawalGuid' | 'withdrawalNonce' | 'releaseStatus'>>;

export async function insertObserved(em: EntityManager, deposit: NewDeposit, at: Date): Promise<boolean> {
  const existing = await em.findOne(Deposit, { where: { guid: deposit.guid }, select: { guid: true } });
  if (existing !== null) return false;
  await em.insert(Deposit, { kind: MessageKind.Credit, ...deposit, state: DepositState.OBSERVED, reason: null, reasonDetail: null, attempts: 0, createdAt: at, updatedAt: at });
  await em.insert(DepositTransition, { guid: deposit.guid, from: null, to: DepositState.OBSERVED, reason: null, at, detail: null });
  return true;
}
