import { array, fixed, join, object, optional, required, string } from '../cli/input';
import { naturalNumber, tokenDecimals } from '../money/readJson';
import type { Account, CollateralPosition } from './account';

/**
 * `{ "id"?: "acct-1", "positions": [{ "asset": "ETH", "chain": "ethereum", "amount": "5000000000000000000",
 *    "decimals"?: 18 }], "debt": "6000" }` → Account (amounts in base units, debt in USD).
 */
export function readAccount(value: unknown, field: string, defaultId = 'account'): Account {
  const o = object(value, field);
  const positions = required(o, 'positions', array, field).map((p, i) => readPosition(p, join(join(field, 'positions'), i)));
  return { id: optional(o, 'id', string, field) ?? defaultId, positions, debt: optional(o, 'debt', fixed, field) ?? 0n };
}

function readPosition(value: unknown, field: string): CollateralPosition {
  const o = object(value, field);
  const decimals = optional(o, 'decimals', tokenDecimals, field);
  return {
    asset: required(o, 'asset', string, field),
    chain: required(o, 'chain', string, field),
    amount: required(o, 'amount', naturalNumber, field),
    ...(decimals === undefined ? {} : { decimals }),
  };
}
