import { InvalidInputError } from '../errors';
import { array, fixed, float, join, object, optional, required, string } from '../cli/input';
import { naturalNumber, tokenDecimals } from '../money/readJson';
import { inverseNormalCdf } from '../var/inverseNormalCdf';
import type { AssetOracleConfig, AssetRiskConfig, SizeTier, VolatilityHaircutConfig } from './config';
import { validateAssetRiskConfig } from './validateAssetRiskConfig';

/**
 * JSON → validated AssetRiskConfig (errors name the field):
 * { "symbol": "ETH", "decimals": 18, "haircut": "0.2", "ltv": "0.8", "liquidationThreshold": "0.83",
 *   "liquidationBonus": "0.05",
 *   "volatility"?: { "annualVol": 0.8, "horizonDays": 1, "z": 2.33 } (or "confidence": 0.99 instead of "z"),
 *   "tiers"?: [{ "upTo": "100000000", "weight": "1" }, { "upTo": null, "weight": "0.9" }],
 *   "oracle": { "heartbeatSeconds": 3600, "maxFutureSkewSeconds"?: 5, "confidenceK"?: "1",
 *               "maxConfidenceRatio"?: "0.02", "maxDeviation"?: "0.01" } }
 * `symbol` defaults to `defaultSymbol` (the key of a configs map).
 */
export function readAssetRiskConfig(value: unknown, field: string, defaultSymbol?: string): AssetRiskConfig {
  const o = object(value, field);
  const symbol = optional(o, 'symbol', string, field) ?? defaultSymbol;
  if (symbol === undefined) throw new InvalidInputError('is required', { field: join(field, 'symbol') });
  const volatility = optional(o, 'volatility', readVolatility, field);
  const tiers = optional(o, 'tiers', readTiers, field);
  const config: AssetRiskConfig = {
    symbol,
    decimals: required(o, 'decimals', tokenDecimals, field),
    haircut: optional(o, 'haircut', fixed, field) ?? 0n,
    ltv: required(o, 'ltv', fixed, field),
    liquidationThreshold: required(o, 'liquidationThreshold', fixed, field),
    liquidationBonus: optional(o, 'liquidationBonus', fixed, field) ?? 0n,
    oracle: required(o, 'oracle', readOracleConfig, field),
    ...(volatility === undefined ? {} : { volatility }),
    ...(tiers === undefined ? {} : { tiers }),
  };
  return validateAssetRiskConfig(config, field);
}

/** `{ "ETH": {...}, "USDC": {...} }` → configs keyed by symbol. */
export function readAssetRiskConfigs(value: unknown, field: string): Record<string, AssetRiskConfig> {
  const o = object(value, field);
  const out: Record<string, AssetRiskConfig> = {};
  for (const [key, v] of Object.entries(o)) out[key] = readAssetRiskConfig(v, join(field, key), key);
  return out;
}

function readVolatility(value: unknown, field: string): VolatilityHaircutConfig {
  const o = object(value, field);
  const z = optional(o, 'z', float, field);
  const confidence = optional(o, 'confidence', float, field);
  if ((z === undefined) === (confidence === undefined)) throw new InvalidInputError('give exactly one of z and confidence', { field });
  return {
    annualVol: required(o, 'annualVol', float, field),
    horizonDays: required(o, 'horizonDays', float, field),
    z: z ?? inverseNormalCdfAt(confidence!, join(field, 'confidence')),
  };
}

function inverseNormalCdfAt(p: number, field: string): number {
  try {
    return inverseNormalCdf(p);
  } catch (cause) {
    throw new InvalidInputError(`confidence must be in (0, 1), got ${p}`, { field, cause });
  }
}

function readTiers(value: unknown, field: string): SizeTier[] {
  return array(value, field).map((t, i) => {
    const f = join(field, i);
    const o = object(t, f);
    return { upTo: optional(o, 'upTo', fixed, f) ?? null, weight: required(o, 'weight', fixed, f) };
  });
}

function readOracleConfig(value: unknown, field: string): AssetOracleConfig {
  const o = object(value, field);
  const maxFutureSkewSeconds = optional(o, 'maxFutureSkewSeconds', naturalNumber, field);
  const confidenceK = optional(o, 'confidenceK', fixed, field);
  const maxConfidenceRatio = optional(o, 'maxConfidenceRatio', fixed, field);
  const maxDeviation = optional(o, 'maxDeviation', fixed, field);
  return {
    heartbeatSeconds: required(o, 'heartbeatSeconds', naturalNumber, field),
    ...(maxFutureSkewSeconds === undefined ? {} : { maxFutureSkewSeconds }),
    ...(confidenceK === undefined ? {} : { confidenceK }),
    ...(maxConfidenceRatio === undefined ? {} : { maxConfidenceRatio }),
    ...(maxDeviation === undefined ? {} : { maxDeviation }),
  };
}
