import { InvalidInputError } from '../errors';
import { join } from '../fieldPath';
import { type Fixed, mulDiv, ONE } from '../money/fixed';
import type { PricedMarket } from '../valuation/priceMarket';
import { withPrices } from '../valuation/priceMarket';
import { type PricedAsset, repriceAsset } from '../valuation/valueCollateral';
import { effectiveHaircut } from '../valuation/volatilityHaircut';
import type { StressScenario } from './scenario';

/**
 * The market after a scenario: the affected assets re-priced (valuation price; haircuts unchanged; no oracle
 * guard, so 0 is allowed). Bad scenario input throws InvalidInputError naming the field under `field`.
 */
export function applyScenario(market: PricedMarket, scenario: StressScenario, field = 'scenario'): PricedMarket {
  const overrides = new Map<string, PricedAsset>();
  collect(market, scenario, field, overrides);
  return withPrices(market, overrides);
}

function collect(market: PricedMarket, s: StressScenario, field: string, out: Map<string, PricedAsset>): void {
  // Later steps of a combined scenario see the prices set by earlier ones.
  const current = (asset: string, assetField: string): PricedAsset => {
    const priced = out.get(asset) ?? market.assets.get(asset);
    if (priced !== undefined) return priced;
    const refused = market.refused.get(asset);
    if (refused !== undefined) throw refused;
    throw new InvalidInputError(`no price for ${asset}`, { field: assetField });
  };
  switch (s.kind) {
    case 'stablecoin-depeg':
      nonNegative(s.price, join(field, 'price'));
      out.set(s.asset, repriceAsset(current(s.asset, join(field, 'asset')), s.price));
      return;
    case 'oracle-failure': {
      if (s.mode === 'zero' || s.mode === 'refused') {
        // A priced market has no staleness: a refused price counts as nothing, like zero.
        out.set(s.asset, atPrice(market, s.asset, 0n, join(field, 'asset'), out));
        return;
      }
      if (s.penalty < 0n || s.penalty > ONE) throw new InvalidInputError('penalty must be in [0, 1]', { field: join(field, 'penalty') });
      const last = s.lastGoodPrice ?? current(s.asset, join(field, 'lastGoodPrice')).valuationPrice;
      nonNegative(last, join(field, 'lastGoodPrice'));
      out.set(s.asset, atPrice(market, s.asset, mulDiv(last, ONE - s.penalty, ONE, 'down'), join(field, 'asset'), out));
      return;
    }
    case 'spot-shock': {
      const primary = new Map<string, Fixed>();
      s.shocks.forEach((x, i) => {
        const f = join(join(field, 'shocks'), i);
        if (x.shock < -ONE) throw new InvalidInputError('a shock below −1 would make the price negative', { field: join(f, 'shock') });
        primary.set(x.asset, x.shock);
      });
      const moves = new Map(primary);
      (s.followers ?? []).forEach((x, i) => {
        const f = join(join(field, 'followers'), i);
        const driverShock = primary.get(x.driver);
        if (driverShock === undefined) throw new InvalidInputError(`driver ${x.driver} has no shock`, { field: join(f, 'driver') });
        if (x.dampening < 0n || x.dampening > ONE) throw new InvalidInputError('dampening must be in [0, 1]', { field: join(f, 'dampening') });
        if (primary.has(x.asset)) throw new InvalidInputError(`${x.asset} is shocked directly`, { field: join(f, 'asset') });
        moves.set(x.asset, mulDiv(driverShock, x.dampening, ONE, 'down')); // towards −∞: a fall gets no smaller
      });
      for (const [asset, shock] of moves) {
        const priced = current(asset, join(field, 'shocks'));
        out.set(asset, repriceAsset(priced, mulDiv(priced.valuationPrice, ONE + shock, ONE, 'down')));
      }
      return;
    }
    case 'combined':
      s.steps.forEach((step, i) => collect(market, step, join(join(field, 'steps'), i), out));
      return;
  }
}

/** The asset at `price`, also when its live price was refused or missing (an oracle failure needs no live price). */
function atPrice(market: PricedMarket, asset: string, price: Fixed, field: string, out: Map<string, PricedAsset>): PricedAsset {
  const priced = out.get(asset) ?? market.assets.get(asset);
  if (priced !== undefined) return repriceAsset(priced, price);
  const config = market.configs.get(asset);
  if (config === undefined) throw new InvalidInputError(`no config for ${asset}`, { field });
  return { config, oraclePrice: { price, timestamp: market.now }, valuationPrice: price, ...effectiveHaircut(config) };
}

function nonNegative(x: Fixed, field: string): void {
  if (x < 0n) throw new InvalidInputError('price must not be negative', { field });
}
