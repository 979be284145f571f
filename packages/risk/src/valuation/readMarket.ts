import { InvalidInputError } from '../errors';
import { join, object, optional, required } from '../cli/input';
import { integer } from '../money/readJson';
import { readOraclePrice } from '../oracle/readOraclePrice';
import type { OraclePrice } from '../oracle/price';
import type { PriceMarketParameters } from './priceMarket';
import { readAssetRiskConfigs } from './readAssetRiskConfig';

/**
 * `configs` (symbol → asset config), `prices` (symbol → { price, timestamp, confidence? }) and `now` (unix seconds;
 * default: this machine's clock) from a CLI input object.
 */
export function readMarket(o: Record<string, unknown>, field = ''): PriceMarketParameters {
  const configs = required(o, 'configs', readAssetRiskConfigs, field);
  const pricesObject = required(o, 'prices', object, field);
  const prices: Record<string, OraclePrice> = {};
  for (const [symbol, p] of Object.entries(pricesObject)) {
    if (configs[symbol] === undefined) throw new InvalidInputError(`no config for ${symbol}`, { field: join(join(field, 'prices'), symbol) });
    prices[symbol] = readOraclePrice(p, join(join(field, 'prices'), symbol));
  }
  return { configs, prices, now: optional(o, 'now', integer, field) ?? wallClockSeconds() };
}

export function wallClockSeconds(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}
