import { fixed, object, optional, required, string } from '../cli/input';
import { integer } from '../money/readJson';
import type { OraclePrice } from './price';

/** `{ "price": "2000", "timestamp": 1700000000, "confidence"?: "1.5", "source"?: "pyth" }` → OraclePrice. */
export function readOraclePrice(value: unknown, field: string): OraclePrice {
  const o = object(value, field);
  const price = required(o, 'price', fixed, field);
  const timestamp = required(o, 'timestamp', integer, field);
  const confidence = optional(o, 'confidence', fixed, field);
  const source = optional(o, 'source', string, field);
  return { price, timestamp, ...(confidence === undefined ? {} : { confidence }), ...(source === undefined ? {} : { source }) };
}
