import { InvalidInputError } from '../errors';
import { ONE, ZERO, div, formatDecimal, max, min, mul, type Fixed } from '../money/fixed';

export type OiScaledImfParameters = {
  /** Base initial-margin fraction, e.g. 0.2. */
  readonly baseImf: Fixed;
  readonly openInterest: Fixed;
  readonly lowerCap: Fixed;
  readonly upperCap: Fixed;
};

/**
 * dYdX v4 open-interest initial-margin scaling (docs/risk-model.md §8):
 *   scale = (OI − lower) / (upper − lower),  imf = min(base + max(scale, 0) · (1 − base), 1).
 * A requirement, so it rounds up. lower = upper = 0 turns scaling off (imf = base); otherwise upper > lower.
 */
export function oiScaledImf({ baseImf, openInterest, lowerCap, upperCap }: OiScaledImfParameters): Fixed {
  if (baseImf < ZERO || baseImf > ONE) throw new InvalidInputError('must be in [0, 1]', { field: 'baseImf', details: { baseImf: formatDecimal(baseImf) } });
  if (openInterest < ZERO) throw new InvalidInputError('must be ≥ 0', { field: 'openInterest', details: { openInterest: formatDecimal(openInterest) } });
  if (lowerCap === ZERO && upperCap === ZERO) return baseImf;
  if (lowerCap < ZERO || upperCap <= lowerCap)
    throw new InvalidInputError('caps must satisfy 0 ≤ lowerCap < upperCap', { field: 'upperCap', details: { lowerCap: formatDecimal(lowerCap), upperCap: formatDecimal(upperCap) } });
  const scale = max(div(openInterest - lowerCap, upperCap - lowerCap, 'up'), ZERO);
  return min(baseImf + mul(scale, ONE - baseImf, 'up'), ONE);
}
