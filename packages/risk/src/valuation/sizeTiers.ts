import { divRound, type Fixed, ONE, type Rounding } from '../money/fixed';
import type { SizeTier } from './config';

/** How one slice of value was weighted. `to: null` is the open end. */
export type TierSlice = {
  readonly from: Fixed;
  readonly to: Fixed | null;
  readonly weight: Fixed;
  /** USD value in this slice. */
  readonly value: Fixed;
  /** value · weight, rounded down. */
  readonly weightedValue: Fixed;
};

/**
 * Marginal size tiers: Σ slice · weight, exact, at scale 10^36 (Fixed · Fixed). Value above a finite last bound
 * gets weight 0. Without tiers the whole value has weight 1. Used by valuation to round only once.
 */
export function weightedValueScaled(value: Fixed, tiers: readonly SizeTier[] | undefined): bigint {
  if (tiers === undefined) return value * ONE;
  let total = 0n;
  let from = 0n;
  for (const tier of tiers) {
    if (value <= from) break;
    const to = tier.upTo === null || tier.upTo > value ? value : tier.upTo;
    total += (to - from) * tier.weight;
    from = to;
  }
  return total;
}

/** The slices of `value` under `tiers` (for reports and credit-message breakdowns). */
export function tierBreakdown(value: Fixed, tiers: readonly SizeTier[] | undefined): TierSlice[] {
  if (tiers === undefined) return [];
  const slices: TierSlice[] = [];
  let from = 0n;
  for (const tier of tiers) {
    if (value <= from) break;
    const to = tier.upTo === null || tier.upTo > value ? value : tier.upTo;
    slices.push({ from, to: tier.upTo, weight: tier.weight, value: to - from, weightedValue: divRound((to - from) * tier.weight, ONE, 'down') });
    from = to;
  }
  const last = tiers[tiers.length - 1];
  if (last !== undefined && last.upTo !== null && value > last.upTo)
    slices.push({ from: last.upTo, to: null, weight: 0n, value: value - last.upTo, weightedValue: 0n });
  return slices;
}

/** Value after marginal size tiers, rounded as asked (collateral: down). */
export function applySizeTiers(value: Fixed, tiers: readonly SizeTier[] | undefined, rounding: Rounding = 'down'): Fixed {
  return divRound(weightedValueScaled(value, tiers), ONE, rounding);
}
