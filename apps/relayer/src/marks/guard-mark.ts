import { OracleError, type OracleRefusalReason, priceAsset, RiskError } from '@ccr/risk';
import type { FeedReading } from '../chains/chain-adapter';
import type { KnownAsset } from '../valuation/asset-registry';
import { feedToOraclePrice, guardNow } from '../valuation/feed-price';
import type { MarkCandidate } from './decide-mark';

/** Largest price the receiver stores (uint112; InvalidMark reason 1 above it). */
export const MAX_MARK_PRICE = (1n << 112n) - 1n;

/**
 * Why the marker posts nothing for an asset this round (`ccr_marks_skipped_total{asset,reason}`): an oracle refusal of
 * @ccr/risk (the same reasons a deposit is HELD with), a risk refusal, an RPC failure reading the feed or the mark, a
 * price the receiver cannot store, an asset the receiver does not know, a mark nonce at the receiver's limit, a price
 * older than the mark, or a mark the receiver's simulation refused.
 */
export type MarkSkipReason =
  | OracleRefusalReason
  | 'risk-refused'
  | 'rpc-error'
  | 'price-out-of-bounds'
  | 'unregistered-asset'
  | 'nonce-exhausted'
  | 'older-than-mark'
  | 'would-revert';

export type MarkRefusal = { reason: MarkSkipReason; detail: string };

export type GuardMarkReturnType = { candidate: MarkCandidate } | { refused: MarkRefusal };

/**
 * The mark the relayer would post for `asset` from this feed reading, computed exactly as the valuation stage prices a
 * deposit: the feed answer at 18 decimals (feedToOraclePrice), guarded at the same "now" (guardNow: the later of the
 * wall clock and the feed chain's block time) with the feed's own heartbeat, lowered by k · confidence, and the
 * effective haircut max(static, volatility) — `priceAsset` of @ccr/risk, which valueCollateral applies to deposits.
 * The price posted is the valuation price (after confidence); its timestamp the oracle's `updatedAt`. Any refusal
 * of the guard or the risk model is returned, never thrown: that asset posts nothing.
 */
export function guardMark(asset: KnownAsset, reading: FeedReading, wallNow: Date): GuardMarkReturnType {
  const { symbol, feed } = asset.config;
  try {
    const priced = priceAsset(asset.risk, feedToOraclePrice(reading, `${symbol}/USD@${feed.address}`), guardNow(reading, wallNow));
    if (priced.valuationPrice > MAX_MARK_PRICE) return { refused: { reason: 'price-out-of-bounds', detail: `price ${priced.valuationPrice} is above the receiver's uint112` } };
    return { candidate: { price: priced.valuationPrice, haircut: priced.haircut, priceTimestamp: priced.oraclePrice.timestamp } };
  } catch (error) {
    if (error instanceof OracleError) return { refused: { reason: error.reason, detail: error.shortMessage } };
    if (error instanceof RiskError) return { refused: { reason: 'risk-refused', detail: error.shortMessage } };
    throw error;
  }
}
