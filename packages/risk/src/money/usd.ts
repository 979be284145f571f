import { InvalidInputError } from '../errors';
import type { Amount } from './amount';
import { validateDecimals } from './asset';
import { type Fixed, formatDecimal, mulDiv, ONE, pow10, type Rounding } from './fixed';

/** A USD value: 18-decimal Fixed. */
export type Usd = Fixed;

/**
 * Token base units at a USD price (Fixed, per whole token) → USD (Fixed): amount · price / 10^decimals.
 * Collateral values pass `'down'`, requirements `'up'`.
 */
export function baseUnitsToUsd(amount: bigint, decimals: number, price: Fixed, rounding: Rounding): Usd {
  validateDecimals(decimals);
  return mulDiv(amount, price, pow10(decimals), rounding);
}

/** An Amount at a USD price → USD (Fixed). */
export function amountToUsd(amount: Amount, price: Fixed, rounding: Rounding): Usd {
  return baseUnitsToUsd(amount.raw, amount.asset.decimals, price, rounding);
}

/**
 * USD (Fixed) at a price → token base units: usd · 10^decimals / price. A positive price is required.
 * A withdrawable amount rounds `'down'`; an amount a user must add rounds `'up'`.
 */
export function usdToBaseUnits(usd: Usd, decimals: number, price: Fixed, rounding: Rounding): bigint {
  validateDecimals(decimals);
  if (price <= 0n) throw new InvalidInputError('price must be positive to convert USD to token units', { details: { price: formatDecimal(price) } });
  return mulDiv(usd, pow10(decimals), price, rounding);
}

/** value · weight (weight a Fixed in [0, 1] such as 1 − haircut or an ltv), rounded as asked. */
export function applyWeight(value: Usd, weight: Fixed, rounding: Rounding): Usd {
  return mulDiv(value, weight, ONE, rounding);
}
