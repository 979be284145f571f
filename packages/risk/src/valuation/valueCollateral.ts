import { InvalidInputError } from '../errors';
import { validateDecimals } from '../money/asset';
import { divRound, type Fixed, formatDecimal, ONE } from '../money/fixed';
import { baseUnitsToUsd, type Usd } from '../money/usd';
import { conservativePrice } from '../oracle/conservativePrice';
import { guardPrice } from '../oracle/guardPrice';
import type { OraclePrice } from '../oracle/price';
import type { AssetRiskConfig } from './config';
import { tierBreakdown, type TierSlice, weightedValueScaled } from './sizeTiers';
import { validateAssetRiskConfig } from './validateAssetRiskConfig';
import { effectiveHaircut } from './volatilityHaircut';

// Module-level copies: hot path, and bundlers' CommonJS interop turns imported constants into getters.
const UNIT: Fixed = ONE;
const UNIT_SQUARED: bigint = ONE * ONE;

/** An asset ready to value positions at one price tick: its price guarded, confidence applied, haircut fixed. */
export type PricedAsset = {
  readonly config: AssetRiskConfig;
  /** The oracle's price as received (after the guard). */
  readonly oraclePrice: OraclePrice;
  /** The price collateral is valued at: oracle price − k · confidence. May be 0 in stress scenarios. */
  readonly valuationPrice: Fixed;
  readonly haircut: Fixed;
  readonly volatilityHaircut: Fixed | undefined;
};

/**
 * Guard the price with the asset's own heartbeat, lower it by k · confidence, compute the haircut.
 * Expects a validated config (see validateAssetRiskConfig). Throws the OracleError that refused the price, naming
 * `${field}.timestamp`, `${field}.price` or `${field}.confidence` when `field` (where the price sits in the input) is given.
 */
export function priceAsset(config: AssetRiskConfig, price: OraclePrice, now: bigint, field?: string): PricedAsset {
  const o = config.oracle;
  const guarded = guardPrice(price, {
    heartbeatSeconds: o.heartbeatSeconds,
    now,
    maxFutureSkewSeconds: o.maxFutureSkewSeconds,
    maxConfidenceRatio: o.maxConfidenceRatio,
    field,
  });
  const valuationPrice = o.confidenceK === undefined ? guarded.price : conservativePrice(guarded, o.confidenceK, field).price;
  return { config, oraclePrice: guarded, valuationPrice, ...effectiveHaircut(config) };
}

/** The same asset at another price (stress scenarios): no guard, the haircut unchanged. */
export function repriceAsset(priced: PricedAsset, valuationPrice: Fixed): PricedAsset {
  if (valuationPrice < 0n) throw new InvalidInputError('price must not be negative', { details: { valuationPrice: formatDecimal(valuationPrice) } });
  return { ...priced, valuationPrice };
}

export type CollateralValuation = {
  readonly asset: string;
  /** Base units, with `decimals`. */
  readonly amount: bigint;
  readonly decimals: number;
  /** amount · price / 10^decimals, rounded down. */
  readonly grossValue: Usd;
  /** floor(gross · tiers · (1 − haircut)): what a credit message carries. */
  readonly haircutValue: Usd;
  /** The price used (after confidence). */
  readonly price: Fixed;
  /** The oracle's own price and its timestamp. */
  readonly oraclePrice: Fixed;
  readonly priceTimestamp: bigint;
  /** The haircut applied: max(static, volatility). */
  readonly haircut: Fixed;
  readonly staticHaircut: Fixed;
  readonly volatilityHaircut: Fixed | undefined;
  /** Average tier weight: value after tiers / value before tiers, rounded down (1 without tiers or at 0). */
  readonly sizeWeight: Fixed;
  readonly tiers: readonly TierSlice[];
};

/** floor(gross · tiers · (1 − haircut)) for a gross USD value of the priced asset. */
function haircutValueOfGross(priced: PricedAsset, gross: Usd): Usd {
  const tiers = priced.config.tiers;
  if (tiers === undefined) return divRound(gross * (UNIT - priced.haircut), UNIT, 'down');
  return divRound(weightedValueScaled(gross, tiers) * (UNIT - priced.haircut), UNIT_SQUARED, 'down'); // weighted: scale 10^36
}

/** Only the credited value (haircutValue of valuePosition), without the report: the hot path of health checks. */
export function collateralValue(priced: PricedAsset, amount: bigint, decimals: number): Usd {
  if (amount < 0n) throw new InvalidInputError('amount must not be negative', { field: 'amount', details: { amount } });
  return haircutValueOfGross(priced, baseUnitsToUsd(amount, decimals, priced.valuationPrice, 'down'));
}

/** Value `amount` base units (with `decimals`) of a priced asset. Amounts must be ≥ 0. */
export function valuePosition(priced: PricedAsset, amount: bigint, decimals: number, withBreakdown = true): CollateralValuation {
  if (amount < 0n) throw new InvalidInputError('amount must not be negative', { field: 'amount', details: { amount } });
  const gross = baseUnitsToUsd(amount, decimals, priced.valuationPrice, 'down');
  const tiers = priced.config.tiers;
  const sizeWeight = tiers === undefined || gross === 0n ? UNIT : divRound(weightedValueScaled(gross, tiers), gross, 'down');
  return {
    asset: priced.config.symbol,
    amount,
    decimals,
    grossValue: gross,
    haircutValue: haircutValueOfGross(priced, gross),
    price: priced.valuationPrice,
    oraclePrice: priced.oraclePrice.price,
    priceTimestamp: priced.oraclePrice.timestamp,
    haircut: priced.haircut,
    staticHaircut: priced.config.haircut,
    volatilityHaircut: priced.volatilityHaircut,
    sizeWeight,
    tiers: withBreakdown ? tierBreakdown(gross, tiers) : [],
  };
}

export type ValueCollateralParameters = {
  /** Base units of the token on its chain. */
  amount: bigint;
  /** The token's decimals on its chain (USDC: 6 on Ethereum, 18 on BSC). */
  decimals: number;
  price: OraclePrice;
  config: AssetRiskConfig;
  /** Unix seconds now, for the heartbeat check. */
  now: bigint;
  /**
   * Where the price sits in the caller's input, for the field a price refusal names: default `price`
   * (`price.timestamp` when stale); '' when the price and its timestamp are top-level fields.
   */
  priceField?: string | undefined;
};

/**
 * Value one collateral deposit, as the relayer puts it in a credit message:
 * haircutValue = floor(amount · price / 10^decimals · tiers · (1 − max(static, volatility haircut))),
 * with price = oracle price − k · confidence after the oracle guard.
 */
export function valueCollateral(parameters: ValueCollateralParameters): CollateralValuation {
  validateAssetRiskConfig(parameters.config, 'config');
  validateDecimals(parameters.decimals);
  const priced = priceAsset(parameters.config, parameters.price, parameters.now, parameters.priceField ?? 'price');
  return valuePosition(priced, parameters.amount, parameters.decimals);
}
