import type { Fixed } from '../money/fixed';
import type { OptionKind } from './blackScholes';
import type { VolScenario } from './params';

/**
 * Inputs and result of the scenario portfolio margin. Money-like quantities (amounts, prices, strikes) are
 * 18-decimal `Fixed`; model quantities (vols, rates, confidences, seconds) are floats. Everything is in units
 * of the stablecoin the cash is held in, except `base` and option/perp amounts (units of the underlying).
 */
export type OptionPosition = {
  /** Label matching one `Market.expiries[].expiry`. */
  readonly expiry: string;
  readonly strike: Fixed;
  readonly kind: OptionKind;
  /** Signed: negative is short. */
  readonly amount: Fixed;
  /** Overrides the expiry's vol. */
  readonly vol?: number | undefined;
  /** Overrides the expiry's vol confidence. */
  readonly volConfidence?: number | undefined;
};

export type PerpPosition = { readonly amount: Fixed; readonly entryPrice: Fixed };

export type Portfolio = {
  readonly cash?: Fixed | undefined;
  /** Long-only amount of the underlying. */
  readonly base?: Fixed | undefined;
  readonly perp?: PerpPosition | undefined;
  readonly options?: readonly OptionPosition[] | undefined;
};

export type ExpiryMarket = {
  readonly expiry: string;
  readonly secondsToExpiry: number;
  readonly forward: Fixed;
  readonly forwardConfidence?: number | undefined;
  readonly rate: number;
  readonly rateConfidence?: number | undefined;
  readonly vol: number;
  readonly volConfidence?: number | undefined;
};

/** Confidences are in [0, 1] and default to 1 when absent. */
export type Market = {
  readonly spot: Fixed;
  readonly spotConfidence?: number | undefined;
  readonly stablePrice: Fixed;
  /** Required when the portfolio holds a perp. */
  readonly perpPrice?: Fixed | undefined;
  readonly perpConfidence?: number | undefined;
  readonly expiries?: readonly ExpiryMarket[] | undefined;
};

export type ExpiryBreakdown = {
  readonly expiry: string;
  readonly secondsToExpiry: number;
  /** mₑ, rounded down. */
  readonly mtm: Fixed;
  /** bₑ ≤ 0, rounded down. */
  readonly basisContingency: Fixed;
  readonly volShockUp: number;
  readonly volShockDown: number;
  readonly staticDiscount: number;
  /** Exact, from the Fixed amounts. */
  readonly nakedShorts: Fixed;
  /** nakedShorts · optionPercent · S, rounded up. */
  readonly optionContingency: Fixed;
  /** cₑ. */
  readonly confidence: number;
};

export type WorstScenario = {
  readonly spotShock: number;
  readonly vol: VolScenario;
  /** Scenario loss (before static contingency), rounded down. */
  readonly loss: Fixed;
};

export type ScenarioMarginResult = {
  /** Initial margin: collateral minus requirement; rounded down (towards −∞). Negative: that much collateral is missing. */
  readonly im: Fixed;
  /** Maintenance margin, rounded down. IM ≤ MM. */
  readonly mm: Fixed;
  /** totalMtM = cash + base value + perp value + Σ mₑ, rounded down. */
  readonly mtm: Fixed;
  /** min(Σ bₑ, worst scenario loss) − static contingency, rounded down. */
  readonly worst: Fixed;
  /** The scenario with the lowest loss (first in parameter order on ties). */
  readonly worstScenario: WorstScenario;
  /** Σ bₑ, rounded down. */
  readonly basisContingency: Fixed;
  /** Rounded up. */
  readonly staticContingency: Fixed;
  /** Rounded up. */
  readonly confidenceContingency: Fixed;
  /** f = imFactor + max(0, pegLossThreshold − stablePrice) · pegLossFactor. */
  readonly imFactor: number;
  readonly expiries: readonly ExpiryBreakdown[];
};
