import { InvalidInputError } from '../../errors';
import { join } from '../../fieldPath';
import type { Account } from '../../health/account';
import { MissingPriceError } from '../../oracle/errors';
import type { PricedMarket } from '../../valuation/priceMarket';

/**
 * Before valuing an account read from `field` (`account`, `accounts[3]`), check that every asset it holds has a
 * config and a usable price, so the error names the input's own path: `account.positions[1].asset` for an asset
 * without a config or a price, the price's field (`prices.ETH.timestamp`) for a price the oracle guard refused.
 * `accountHealth` alone would name `positions[1].asset`, relative to the account.
 */
export function requirePrices(account: Account, market: PricedMarket, field: string): void {
  account.positions.forEach((p, k) => {
    const at = join(join(join(field, 'positions'), k), 'asset');
    if (!market.configs.has(p.asset))
      throw new InvalidInputError(`no config for ${p.asset}`, { field: at, details: { asset: p.asset, known: [...market.configs.keys()] } });
    const refused = market.refused.get(p.asset);
    if (refused !== undefined) throw refused;
    if (!market.assets.has(p.asset)) throw new MissingPriceError({ asset: p.asset }, { field: at });
  });
}
