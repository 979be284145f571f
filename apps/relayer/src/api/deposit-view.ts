import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { formatUnits } from 'ethers';
import type { DepositTransition } from '../store/deposit-transition.entity';
import type { Deposit } from '../store/deposit.entity';
import { DepositState } from '../store/deposit-state';

export class TransitionView {
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty() to!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ description: 'ISO time' }) at!: string;
  @ApiPropertyOptional({ type: Object, nullable: true }) detail!: unknown;
}

/** A deposit as the API shows it. Integers that may exceed 2^53 are decimal strings. */
export class DepositView {
  @ApiProperty() guid!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) reasonDetail!: string | null;
  @ApiProperty() srcEid!: number;
  @ApiProperty({ description: 'bytes32' }) srcVault!: string;
  @ApiProperty() dstEid!: number;
  @ApiProperty({ description: 'uint64 as a decimal string' }) nonce!: string;
  @ApiProperty({ description: 'bytes32' }) depositor!: string;
  @ApiProperty({ description: 'bytes32' }) account!: string;
  @ApiProperty({ description: 'bytes32' }) token!: string;
  @ApiProperty({ nullable: true, type: String }) symbol!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the raw amount in whole tokens ("1500.25"), exact; null when the asset is not configured' }) amountDecimal!: string | null;
  @ApiProperty({ description: 'token base units, decimal string' }) amount!: string;
  @ApiProperty({ nullable: true, type: Number }) assetDecimals!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'USD per token, 18 decimals' }) price!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'unix seconds' }) priceTimestamp!: number | null;
  @ApiProperty({ nullable: true, type: String, description: '18-decimal fraction' }) haircut!: string | null;
  @ApiProperty({ nullable: true, type: String, description: '18-decimal fraction' }) sizeWeight!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'USD, 18 decimals' }) haircutValue!: string | null;
  @ApiProperty({ nullable: true, type: String }) valuedAt!: string | null;
  @ApiProperty() blockNumber!: number;
  @ApiProperty() blockHash!: string;
  @ApiProperty({ description: 'source lock transaction' }) txHash!: string;
  @ApiProperty() logIndex!: number;
  @ApiProperty({ nullable: true, type: Number }) batchId!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'destination transaction that credited it' }) creditTxHash!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'GUID of the HELD/FAILED deposit with a lower nonce on the same pathway that blocks this one' })
  blockedBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) creditedAt!: string | null;
}

export class DepositDetailView extends DepositView {
  @ApiProperty({ nullable: true, type: Number, description: "blocks from the deposit's block to the source chain's head, inclusive (null: REORGED, or the chain not read yet)" })
  confirmations!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'blocks the finality bound must still advance to reach the deposit (0 once FINAL; null: REORGED, or the chain not read yet)' })
  blocksToFinality!: number | null;
  @ApiProperty({ type: [TransitionView] }) history!: TransitionView[];
}

/** Confirmations and distance to finality of a deposit, from its chain's last watcher round. */
export function finalityView(d: Pick<Deposit, 'state' | 'blockNumber'>, chain: { head: number; finalized: number } | undefined): Pick<DepositDetailView, 'confirmations' | 'blocksToFinality'> {
  if (chain === undefined || d.state === DepositState.REORGED) return { confirmations: null, blocksToFinality: null };
  return {
    confirmations: Math.max(0, chain.head - d.blockNumber + 1),
    blocksToFinality: d.state === DepositState.OBSERVED ? Math.max(0, d.blockNumber - chain.finalized) : 0,
  };
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** What the config says of a deposit's asset (symbol and decimals are known before it is valued). */
export type AssetLabel = { symbol: string; decimals: number };

export function toDepositView(d: Deposit, blockedBy: string | null, asset?: AssetLabel): DepositView {
  const decimals = d.assetDecimals ?? asset?.decimals ?? null;
  return {
    guid: d.guid,
    state: d.state,
    reason: d.reason,
    reasonDetail: d.reasonDetail,
    srcEid: d.srcEid,
    srcVault: d.srcVault,
    dstEid: d.dstEid,
    nonce: d.nonce.toString(),
    depositor: d.depositor,
    account: d.account,
    token: d.token,
    symbol: d.symbol ?? asset?.symbol ?? null,
    amount: d.amount,
    amountDecimal: decimals === null ? null : formatUnits(BigInt(d.amount), decimals),
    assetDecimals: decimals,
    price: d.price,
    priceTimestamp: d.priceTimestamp,
    haircut: d.haircut,
    sizeWeight: d.sizeWeight,
    haircutValue: d.haircutValue,
    valuedAt: iso(d.valuedAt),
    blockNumber: d.blockNumber,
    blockHash: d.blockHash,
    txHash: d.txHash,
    logIndex: d.logIndex,
    batchId: d.batchId,
    creditTxHash: d.creditTxHash,
    attempts: d.attempts,
    nextAttemptAt: iso(d.nextAttemptAt),
    blockedBy,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    creditedAt: iso(d.creditedAt),
  };
}

export function toTransitionView(t: DepositTransition): TransitionView {
  return { from: t.from, to: t.to, reason: t.reason, at: t.at.toISOString(), detail: t.detail === null ? null : JSON.parse(t.detail) };
}
