import { InvalidInputError } from '../errors';
import { validateDecimals } from '../money/asset';
import { type Fixed, formatDecimal, mulDiv, ONE } from '../money/fixed';
import { join } from '../fieldPath';
import type { AssetRiskConfig } from './config';

/**
 * Throws InvalidInputError naming the offending field (`${field}.ltv`, `${field}.tiers[2].weight`, …) unless:
 * haircut ∈ [0,1]; 0 ≤ ltv ≤ liquidationThreshold ≤ 1; liquidationBonus ≥ 0 and lt·(1+bonus) ≤ 1;
 * tiers non-empty, bounds strictly ascending and positive, only the last open, weights in [0,1] and non-increasing;
 * annualVol ≥ 0, horizonDays > 0, z ≥ 0 (finite); heartbeat > 0, skew ≥ 0, k ≥ 0, ratios ≥ 0.
 * Details show values as written: Fixed as decimals ("0.8"), seconds as whole numbers.
 */
export function validateAssetRiskConfig(config: AssetRiskConfig, field = ''): AssetRiskConfig {
  const at = (key: string) => join(field, key);
  if (config.symbol.length === 0) throw new InvalidInputError('symbol must not be empty', { field: at('symbol') });
  validateDecimals(config.decimals, at('decimals'));
  unitInterval(config.haircut, at('haircut'));
  unitInterval(config.ltv, at('ltv'));
  unitInterval(config.liquidationThreshold, at('liquidationThreshold'));
  if (config.ltv > config.liquidationThreshold)
    throw new InvalidInputError('ltv must not exceed liquidationThreshold', {
      field: at('ltv'),
      details: { ltv: dec(config.ltv), liquidationThreshold: dec(config.liquidationThreshold) },
    });
  if (config.liquidationBonus < 0n)
    throw new InvalidInputError('liquidationBonus must not be negative', { field: at('liquidationBonus'), details: { value: dec(config.liquidationBonus) } });
  if (mulDiv(config.liquidationThreshold, ONE + config.liquidationBonus, ONE, 'up') > ONE)
    throw new InvalidInputError('liquidationThreshold · (1 + liquidationBonus) must not exceed 1', {
      field: at('liquidationBonus'),
      details: { liquidationThreshold: dec(config.liquidationThreshold), liquidationBonus: dec(config.liquidationBonus) },
    });

  if (config.tiers !== undefined) {
    const tiersField = at('tiers');
    if (config.tiers.length === 0) throw new InvalidInputError('tiers must not be empty when given', { field: tiersField });
    let previousBound: Fixed = 0n;
    let previousWeight: Fixed = ONE;
    config.tiers.forEach((tier, i) => {
      const tierField = join(tiersField, i);
      unitInterval(tier.weight, join(tierField, 'weight'));
      if (tier.weight > previousWeight)
        throw new InvalidInputError('tier weights must not increase with size', {
          field: join(tierField, 'weight'),
          details: { weight: dec(tier.weight), previous: dec(previousWeight) },
        });
      if (tier.upTo === null) {
        if (i !== config.tiers!.length - 1) throw new InvalidInputError('only the last tier may be open (upTo null)', { field: join(tierField, 'upTo') });
      } else if (tier.upTo <= previousBound) {
        throw new InvalidInputError('tier bounds must be positive and strictly ascending', {
          field: join(tierField, 'upTo'),
          details: { upTo: dec(tier.upTo), previous: dec(previousBound) },
        });
      } else {
        previousBound = tier.upTo;
      }
      previousWeight = tier.weight;
    });
  }

  if (config.volatility !== undefined) {
    const v = config.volatility;
    const volField = at('volatility');
    finiteAtLeast(v.annualVol, 0, join(volField, 'annualVol'));
    finiteAtLeast(v.z, 0, join(volField, 'z'));
    finiteAtLeast(v.horizonDays, 0, join(volField, 'horizonDays'));
    if (v.horizonDays === 0) throw new InvalidInputError('horizonDays must be positive', { field: join(volField, 'horizonDays') });
  }

  const o = config.oracle;
  const oracleField = at('oracle');
  if (o.heartbeatSeconds <= 0n)
    throw new InvalidInputError('heartbeatSeconds must be positive', { field: join(oracleField, 'heartbeatSeconds'), details: { value: o.heartbeatSeconds } });
  nonNegative(o.maxFutureSkewSeconds, join(oracleField, 'maxFutureSkewSeconds'), String);
  nonNegative(o.confidenceK, join(oracleField, 'confidenceK'), dec);
  nonNegative(o.maxConfidenceRatio, join(oracleField, 'maxConfidenceRatio'), dec);
  nonNegative(o.maxDeviation, join(oracleField, 'maxDeviation'), dec);
  return config;
}

/** A Fixed as the decimal the user wrote: 800000000000000000n → "0.8". */
function dec(value: Fixed): string {
  return formatDecimal(value);
}

function unitInterval(value: Fixed, field: string): void {
  if (value < 0n || value > ONE) throw new InvalidInputError('must be in [0, 1]', { field, details: { value: dec(value) } });
}

/** `show` renders the value in its unit: `dec` for a Fixed, `String` for whole seconds. */
function nonNegative(value: bigint | undefined, field: string, show: (value: bigint) => string): void {
  if (value !== undefined && value < 0n) throw new InvalidInputError('must not be negative', { field, details: { value: show(value) } });
}

function finiteAtLeast(value: number, min: number, field: string): void {
  if (!Number.isFinite(value) || value < min) throw new InvalidInputError(`must be a finite number ≥ ${min}`, { field, details: { value } });
}
