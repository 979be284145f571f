import { InvalidInputError } from '../errors';
import { type Fixed, fromFloat, max, min, ONE } from '../money/fixed';
import type { AssetRiskConfig, VolatilityHaircutConfig } from './config';

export const DAYS_PER_YEAR = 365;

/**
 * h_vol = 1 − exp(−z · σ · √(horizonDays / 365)), computed in floats and rounded UP to 18 dp (a haircut is a
 * requirement). Always in [0, 1].
 */
export function volatilityHaircut(v: VolatilityHaircutConfig): Fixed {
  const exponent = v.z * v.annualVol * Math.sqrt(v.horizonDays / DAYS_PER_YEAR);
  if (!Number.isFinite(exponent) || exponent < 0)
    throw new InvalidInputError('z · σ · √h must be a finite number ≥ 0', { field: 'volatility', details: { ...v } });
  // −expm1(−x) = 1 − e^(−x) without cancellation for small x.
  const h = fromFloat(-Math.expm1(-exponent), 'up');
  return min(max(h, 0n), ONE);
}

/** The haircut applied: max(static, volatility-scaled). */
export function effectiveHaircut(config: AssetRiskConfig): { haircut: Fixed; volatilityHaircut: Fixed | undefined } {
  const vol = config.volatility === undefined ? undefined : volatilityHaircut(config.volatility);
  return { haircut: vol === undefined ? config.haircut : max(config.haircut, vol), volatilityHaircut: vol };
}
