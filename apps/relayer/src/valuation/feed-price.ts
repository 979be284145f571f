import type { OraclePrice } from '@ccr/risk';
import type { FeedReading } from '../chains/chain-adapter';

/** A feed answer with `decimals` → an 18-decimal USD price (exact for ≤ 18 decimals, rounded down above). */
export function feedToOraclePrice(reading: FeedReading, source: string): OraclePrice {
  const price = reading.decimals <= 18 ? reading.answer * 10n ** BigInt(18 - reading.decimals) : reading.answer / 10n ** BigInt(reading.decimals - 18);
  return { price, timestamp: reading.updatedAt, source };
}
