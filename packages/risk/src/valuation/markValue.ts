import { divRound, type Fixed, ONE } from '../money/fixed';
import { baseUnitsToUsd, type Usd } from '../money/usd';
import type { SizeTier } from './config';
import { weightedValueScaled } from './sizeTiers';

const UNIT_SQUARED: bigint = ONE * ONE;

/** One asset's mark as the receiver keeps it: the valuation price (USD per whole token) and the haircut, 18 decimals. */
export type MarkValuation = {
  readonly decimals: number;
  readonly price: Fixed;
  readonly haircut: Fixed;
  /** Marginal size tiers on the gross USD value; undefined or empty: weight 1 throughout. */
  readonly tiers?: readonly SizeTier[] | undefined;
};

/**
 * The value of `rawAmount` base units at a mark, as the MarginCreditReceiver computes it on read
 * (`valueOf`, each `positions()` entry): floor(tiers(floor(raw · price / 10^decimals)) · (1 − haircut)), the tiers
 * exact at scale 10^36 and one floor at the end — the same as `collateralValue` of a priced asset at that price and
 * haircut (a property test checks it bit for bit). Inputs are trusted (see stressLiveBook for the checks).
 */
export function markValue(rawAmount: bigint, mark: MarkValuation): Usd {
  const gross = baseUnitsToUsd(rawAmount, mark.decimals, mark.price, 'down');
  const tiers = mark.tiers === undefined || mark.tiers.length === 0 ? undefined : mark.tiers;
  return divRound(weightedValueScaled(gross, tiers) * (ONE - mark.haircut), UNIT_SQUARED, 'down');
}
