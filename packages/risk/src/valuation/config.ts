import type { Fixed } from '../money/fixed';

/**
 * One slice of a marginal size-tier table (like income-tax brackets): USD value from the previous tier's
 * `upTo` (or 0) up to this `upTo` counts at `weight`. `upTo: null` is an open last tier. Value above a finite
 * last bound counts at weight 0.
 */
export type SizeTier = {
  readonly upTo: Fixed | null;
  readonly weight: Fixed;
};

/** Volatility-scaled haircut h_vol = 1 − exp(−z · σ · √(horizonDays / 365)). */
export type VolatilityHaircutConfig = {
  /** Annualised volatility σ (0.8 = 80%). */
  readonly annualVol: number;
  /** Liquidation horizon in days. */
  readonly horizonDays: number;
  /** One-sided quantile, e.g. 2.326 for 99% (see inverseNormalCdf). */
  readonly z: number;
};

/** The asset's own price feed rules: every feed has its own heartbeat. */
export type AssetOracleConfig = {
  readonly heartbeatSeconds: bigint;
  /** Allowed clock skew for future-dated prices. Default 5 s. */
  readonly maxFutureSkewSeconds?: bigint;
  /** Value collateral at price − k · confidence. Default 0 (price as is). */
  readonly confidenceK?: Fixed;
  /** Refuse prices whose confidence / price is above this. Default: no limit. */
  readonly maxConfidenceRatio?: Fixed;
  /** Largest deviation of a source from the median of several sources. */
  readonly maxDeviation?: Fixed;
};

/**
 * Risk parameters of one collateral asset. All ratios are 18-decimal Fixed in [0, 1].
 * - `haircut`: static haircut; the haircut applied is max(haircut, volatility haircut).
 * - `ltv` (initial weight) ≤ `liquidationThreshold` (maintenance weight) ≤ 1, and
 *   liquidationThreshold · (1 + liquidationBonus) ≤ 1 (a liquidator's bonus must be covered by the collateral).
 */
export type AssetRiskConfig = {
  readonly symbol: string;
  /** Decimals of the asset's canonical token (a position may carry its own chain's decimals). */
  readonly decimals: number;
  readonly haircut: Fixed;
  readonly ltv: Fixed;
  readonly liquidationThreshold: Fixed;
  readonly liquidationBonus: Fixed;
  readonly volatility?: VolatilityHaircutConfig;
  readonly tiers?: readonly SizeTier[];
  readonly oracle: AssetOracleConfig;
};

/** Initial weight (ltv: opening, withdrawing) or maintenance weight (liquidation threshold: liquidation). */
export type WeightKind = 'initial' | 'maintenance';

export function collateralWeight(config: AssetRiskConfig, kind: WeightKind): Fixed {
  return kind === 'initial' ? config.ltv : config.liquidationThreshold;
}
