import { ApiProperty } from '@nestjs/swagger';
import { DepositState } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import { TransitionView } from './deposit-view';

/**
 * Where a withdrawal is, as one word (the two messages it takes — WITHDRAWAL to the vault, RELEASE_RESULT back —
 * each have their own state and history below):
 *  - `requested`: seen on the derivatives chain (amount frozen), not final there yet;
 *  - `releasing`: final; the release is being attested / posted to the vault / confirmed there;
 *  - `released` | `release-failed`: the vault paid out (or could not); the result is on its way back;
 *  - `finished` | `unfrozen`: the result landed on the derivatives chain at finality (frozen amount removed / back to
 *    credited); for the refund of a voided deposit: `refunded` | `refund-failed`;
 *  - `held`: one of the two messages is HELD or FAILED (see its reason).
 */
export type WithdrawalOutcome = 'requested' | 'releasing' | 'released' | 'release-failed' | 'finished' | 'unfrozen' | 'refunded' | 'refund-failed' | 'held';

export class MessageLegView {
  @ApiProperty() guid!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) reasonDetail!: string | null;
  @ApiProperty() srcEid!: number;
  @ApiProperty() dstEid!: number;
  @ApiProperty({ description: 'uint64 as a decimal string' }) nonce!: string;
  @ApiProperty({ description: 'transaction that emitted it, on srcEid' }) txHash!: string;
  @ApiProperty() blockNumber!: number;
  @ApiProperty({ nullable: true, type: String, description: 'transaction that applied it, on dstEid' }) deliveryTxHash!: string | null;
  @ApiProperty({ nullable: true, type: Number }) batchId!: number | null;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: [TransitionView] }) history!: TransitionView[];
}

export class WithdrawalView {
  @ApiProperty() guid!: string;
  @ApiProperty() outcome!: WithdrawalOutcome;
  @ApiProperty({ description: 'bytes32' }) account!: string;
  @ApiProperty({ description: 'the source chain paying out' }) vaultEid!: number;
  @ApiProperty({ description: 'bytes32' }) vault!: string;
  @ApiProperty({ description: 'bytes32' }) token!: string;
  @ApiProperty({ description: 'bytes32' }) recipient!: string;
  @ApiProperty({ description: 'token base units, decimal string' }) amount!: string;
  @ApiProperty({ nullable: true, type: String, description: 'the voided deposit nonce this refunds (null: a withdrawal)' }) voidedNonce!: string | null;
  @ApiProperty({ description: 'the WITHDRAWAL message (derivatives chain → vault)' }) request!: MessageLegView;
  @ApiProperty({ nullable: true, type: MessageLegView, description: 'the RELEASE_RESULT message (vault → derivatives chain), once the vault acted' }) result!: MessageLegView | null;
  @ApiProperty({ nullable: true, type: String, description: '1 released, 2 failed' }) releaseStatus!: string | null;
}

const STUCK = new Set<string>([DepositState.HELD, DepositState.FAILED]);

export function withdrawalOutcome(w: Pick<Deposit, 'state' | 'voidedNonce'>, result: Pick<Deposit, 'state' | 'releaseStatus'> | null): WithdrawalOutcome {
  if (STUCK.has(w.state) || (result !== null && STUCK.has(result.state))) return 'held';
  const refund = w.voidedNonce !== null;
  if (result === null) return w.state === DepositState.OBSERVED ? 'requested' : 'releasing';
  const released = result.releaseStatus === 1;
  if (result.state !== DepositState.DELIVERED) return released ? 'released' : 'release-failed';
  if (refund) return released ? 'refunded' : 'refund-failed';
  return released ? 'finished' : 'unfrozen';
}

export function toLegView(d: Deposit, history: TransitionView[]): MessageLegView {
  return {
    guid: d.guid,
    state: d.state,
    reason: d.reason,
    reasonDetail: d.reasonDetail,
    srcEid: d.srcEid,
    dstEid: d.dstEid,
    nonce: d.nonce.toString(),
    txHash: d.txHash,
    blockNumber: d.blockNumber,
    deliveryTxHash: d.creditTxHash,
    batchId: d.batchId,
    attempts: d.attempts,
    history,
  };
}

export function toWithdrawalView(w: Deposit, wHistory: TransitionView[], result: Deposit | null, rHistory: TransitionView[]): WithdrawalView {
  return {
    guid: w.guid,
    outcome: withdrawalOutcome(w, result),
    account: w.account,
    vaultEid: w.dstEid,
    vault: w.receiver ?? '',
    token: w.token,
    recipient: w.recipient ?? '',
    amount: w.amount,
    voidedNonce: w.voidedNonce,
    request: toLegView(w, wHistory),
    result: result === null ? null : toLegView(result, rHistory),
    releaseStatus: result?.releaseStatus === null || result === null ? null : String(result.releaseStatus),
  };
}
