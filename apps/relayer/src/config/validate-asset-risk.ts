import { type AssetRiskConfig, parseDecimal, RiskError, validateAssetRiskConfig } from '@ccr/risk';
import type { AssetConfig } from './config.schema';

export type RiskIssue = { path: (string | number)[]; message: string };

/** The asset entry as @ccr/risk's AssetRiskConfig (decimal strings → 18-decimal bigints, heartbeat from the feed). */
export function toAssetRiskConfig(asset: AssetConfig): AssetRiskConfig {
  const r = asset.risk;
  return {
    symbol: asset.symbol,
    decimals: asset.decimals,
    haircut: parseDecimal(r.haircut),
    ltv: parseDecimal(r.ltv),
    liquidationThreshold: parseDecimal(r.liquidationThreshold),
    liquidationBonus: parseDecimal(r.liquidationBonus),
    ...(r.volatility === undefined ? {} : { volatility: r.volatility }),
    ...(r.tiers === undefined ? {} : { tiers: r.tiers.map((t) => ({ upTo: t.upTo === null ? null : parseDecimal(t.upTo), weight: parseDecimal(t.weight) })) }),
    oracle: {
      heartbeatSeconds: BigInt(asset.feed.heartbeatSeconds),
      ...(r.maxFutureSkewSeconds === undefined ? {} : { maxFutureSkewSeconds: BigInt(r.maxFutureSkewSeconds) }),
      ...(r.confidenceK === undefined ? {} : { confidenceK: parseDecimal(r.confidenceK) }),
      ...(r.maxConfidenceRatio === undefined ? {} : { maxConfidenceRatio: parseDecimal(r.maxConfidenceRatio) }),
    },
  };
}

/** Runs @ccr/risk's validation; its field path (e.g. `ltv`, `tiers[1].weight`) is returned relative to `risk`. */
export function validateAssetRisk(asset: AssetConfig): RiskIssue[] {
  try {
    validateAssetRiskConfig(toAssetRiskConfig(asset), '');
    return [];
  } catch (error) {
    if (error instanceof RiskError) return [{ path: error.field === undefined || error.field === '' ? [] : [error.field], message: error.shortMessage }];
    throw error;
  }
}
