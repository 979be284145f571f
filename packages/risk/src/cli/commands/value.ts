import { fixed, object, optional, required } from '../input';
import type { CliCommand } from '../command';
import { formatDecimal } from '../../money/fixed';
import { naturalNumber, tokenDecimals, integer } from '../../money/readJson';
import { readOraclePrice } from '../../oracle/readOraclePrice';
import type { OraclePrice } from '../../oracle/price';
import { readAssetRiskConfig } from '../../valuation/readAssetRiskConfig';
import { wallClockSeconds } from '../../valuation/readMarket';
import { type CollateralValuation, valueCollateral } from '../../valuation/valueCollateral';

const usd = (x: bigint) => formatDecimal(x, 18, 6);

/**
 * Value one collateral deposit as a credit message carries it.
 * Input: { "config": <asset config>, "amount": "<base units>", "decimals"?: <token decimals, default config's>,
 *          "price": { "price": "20000", "timestamp": 1700000000, "confidence"?: "5" } | "20000",
 *          "timestamp"?: <when price is a decimal>, "now"?: <unix s, default: clock> }
 */
export const command: CliCommand = {
  name: 'value',
  description: 'Value a collateral deposit: oracle guard, haircut (static / volatility), size tiers → credited USD value',
  run(input: unknown) {
    const o = object(input, '');
    const config = required(o, 'config', readAssetRiskConfig, '');
    const priceObject = typeof o['price'] === 'object' && o['price'] !== null;
    const price: OraclePrice = priceObject
      ? required(o, 'price', readOraclePrice, '')
      : { price: required(o, 'price', fixed, ''), timestamp: required(o, 'timestamp', integer, '') };
    const valuation = valueCollateral({
      amount: required(o, 'amount', naturalNumber, ''),
      decimals: optional(o, 'decimals', tokenDecimals, '') ?? config.decimals,
      price,
      config,
      now: optional(o, 'now', integer, '') ?? wallClockSeconds(),
      priceField: priceObject ? 'price' : '', // a stale price names `price.timestamp`, or the top-level `timestamp`
    });
    return valuationToJson(valuation);
  },
};

export function valuationToJson(v: CollateralValuation): Record<string, unknown> {
  return {
    asset: v.asset,
    amount: v.amount.toString(),
    decimals: v.decimals,
    grossValue: usd(v.grossValue),
    haircutValue: usd(v.haircutValue),
    price: usd(v.price),
    oraclePrice: usd(v.oraclePrice),
    priceTimestamp: Number(v.priceTimestamp),
    haircut: usd(v.haircut),
    staticHaircut: usd(v.staticHaircut),
    volatilityHaircut: v.volatilityHaircut === undefined ? null : usd(v.volatilityHaircut),
    sizeWeight: usd(v.sizeWeight),
    tiers: v.tiers.map((t) => ({ from: usd(t.from), to: t.to === null ? null : usd(t.to), weight: usd(t.weight), value: usd(t.value), weightedValue: usd(t.weightedValue) })),
  };
}
