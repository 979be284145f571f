import { array, fixed, join, object, optional, required, string } from '../cli/input';
import { InvalidInputError } from '../errors';
import { formatDecimal } from '../money/fixed';
import { naturalNumber, tokenDecimals } from '../money/readJson';
import type { Account, CollateralPosition } from './account';

/**
 * `{ "id"?: "acct-1", "positions": [{ "asset": "ETH", "chain": "ethereum", "amount": "5000000000000000000",
 *    "decimals"?: 18 }], "debt": "6000" }` → Account (amounts in base units, debt in USD).
 */
export function readAccount(value: unknown, field: string, defaultId = 'account'): Account {
  const o = object(value, field);
  const positions = required(o, 'positions', array, field).map((p, i) => readPosition(p, join(join(field, 'positions'), i)));
  return { id: optional(o, 'id', string, field) ?? defaultId, positions, debt: optional(o, 'debt', nonNegativeUsd, field) ?? 0n };
}

function nonNegativeUsd(value: unknown, field: string): bigint {
  const usd = fixed(value, field);
  if (usd < 0n) throw new InvalidInputError(`must not be negative, got ${formatDecimal(usd)}`, { field });
  return usd;
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
