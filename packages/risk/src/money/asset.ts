import { AssetMismatchError, InvalidInputError } from '../errors';

/** What an amount is an amount of: a symbol and the number of decimals of its base unit (USDC 6, WETH 18, WBTC 8). */
export type Asset = {
  readonly symbol: string;
  readonly decimals: number;
};

/** Largest supported token decimals (a uint256 holds at most 77 decimal digits). */
export const MAX_TOKEN_DECIMALS = 77;

/** Throws InvalidInputError unless `decimals` is an integer in [0, 77]. */
export function validateDecimals(decimals: number, field = 'decimals'): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_TOKEN_DECIMALS)
    throw new InvalidInputError(`decimals must be an integer in [0, ${MAX_TOKEN_DECIMALS}], got ${decimals}`, {
      field,
      details: { decimals },
    });
}

export function sameAsset(a: Asset, b: Asset): boolean {
  return a.symbol === b.symbol && a.decimals === b.decimals;
}

/** Throws AssetMismatchError when `a` and `b` are not the same asset (same symbol and decimals). */
export function assertSameAsset(a: Asset, b: Asset, operation: string): void {
  if (!sameAsset(a, b))
    throw new AssetMismatchError(`cannot ${operation} ${a.symbol}(${a.decimals}) and ${b.symbol}(${b.decimals})`, {
      details: { left: a, right: b, operation },
    });
}
