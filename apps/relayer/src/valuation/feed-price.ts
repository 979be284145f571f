import type { OraclePrice } from '@ccr/risk';
import type { FeedReading } from '../chains/chain-adapter';
import { FeedCallError, FeedMissingError } from '../chains/chain-errors';
import { HeldReason } from '../store/deposit-state';

/** A feed answer with `decimals` → an 18-decimal USD price (exact for ≤ 18 decimals, rounded down above). */
export function feedToOraclePrice(reading: FeedReading, source: string): OraclePrice {
  const price = reading.decimals <= 18 ? reading.answer * 10n ** BigInt(18 - reading.decimals) : reading.answer / 10n ** BigInt(reading.decimals - 18);
  return { price, timestamp: reading.updatedAt, source };
}

/**
 * The "now" a feed reading is guarded at (heartbeat, future skew): the later of the wall clock and the feed chain's
 * block time. Staleness still advances with the wall clock if the chain halts, and a devnet whose blocks run ahead of
 * the wall clock does not look like a future-dated price. The valuation stage and the marker both use it.
 */
export function guardNow(reading: FeedReading, wallNow: Date): bigint {
  const wall = BigInt(Math.floor(wallNow.getTime() / 1000));
  return wall > reading.blockTimestamp ? wall : reading.blockTimestamp;
}

/**
 * Why a feed could not be read, as a deposit is held: `feed-missing` (no code at the feed's address), `feed-error`
 * (it reverted or answered nothing decodable), else `rpc-error` (every endpoint faulted: the endpoints' problem).
 */
export function feedHoldReason(error: unknown): HeldReason {
  if (error instanceof FeedMissingError) return HeldReason.FeedMissing;
  if (error instanceof FeedCallError) return HeldReason.FeedError;
  return HeldReason.RpcError;
}
