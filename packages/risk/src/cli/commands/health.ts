import { fixed, join, object, optional, required, string } from '../input';
import { InvalidInputError } from '../../errors';
import type { CliCommand } from '../command';
import { formatDecimal } from '../../money/fixed';
import { accountHealth } from '../../health/accountHealth';
import { formatHealthFactor } from '../../health/formatHealthFactor';
import { maxWithdrawable } from '../../health/maxWithdrawable';
import { readAccount } from '../../health/readAccount';
import type { WeightKind } from '../../valuation/config';
import { priceMarket } from '../../valuation/priceMarket';
import { readMarket } from '../../valuation/readMarket';
import { requirePrices } from './requirePrices';

const usd = (x: bigint) => formatDecimal(x, 18, 6);

/**
 * Health of one account over (asset, chain) positions.
 * Input: { "configs": { "<symbol>": <asset config> }, "prices": { "<symbol>": { "price", "timestamp", "confidence"? } },
 *          "now"?: <unix s>, "account": { "id"?, "positions": [{ "asset", "chain", "amount", "decimals"? }], "debt" },
 *          "maxWithdrawable"?: { "asset", "chain"?, "minHealth"?: "1", "weight"?: "maintenance" | "initial" } }
 */
export const command: CliCommand = {
  name: 'health',
  description: 'Account health: HF = Σ(value·lt)/debt, free margin, liquidatable, optional max withdrawable amount',
  run(input: unknown) {
    const o = object(input, '');
    const market = priceMarket(readMarket(o));
    const account = required(o, 'account', readAccount, '');
    requirePrices(account, market, 'account');
    const h = accountHealth(account, market);
    const result: Record<string, unknown> = {
      id: h.id,
      healthFactor: formatHealthFactor(h.healthFactor),
      collateralValue: usd(h.collateralValue),
      maintenanceValue: usd(h.maintenanceValue),
      initialValue: usd(h.initialValue),
      debt: usd(h.debt),
      freeMargin: usd(h.freeMargin),
      liquidatable: h.liquidatable,
      holdings: h.holdings.map((x) => ({
        asset: x.asset,
        chains: x.positions.map((p) => p.chain),
        amount: x.valuation.amount.toString(),
        decimals: x.valuation.decimals,
        price: usd(x.valuation.price),
        grossValue: usd(x.valuation.grossValue),
        haircut: usd(x.valuation.haircut),
        sizeWeight: usd(x.valuation.sizeWeight),
        value: usd(x.valuation.haircutValue),
        maintenanceValue: usd(x.maintenanceValue),
        initialValue: usd(x.initialValue),
      })),
    };
    const q = optional(o, 'maxWithdrawable', object, '');
    if (q !== undefined) {
      const f = 'maxWithdrawable';
      const asset = required(q, 'asset', string, f);
      if (!market.configs.has(asset))
        throw new InvalidInputError(`no config for ${asset}`, { field: join(f, 'asset'), details: { asset, known: [...market.configs.keys()] } });
      const chain = optional(q, 'chain', string, f);
      const weight = optional(q, 'weight', weightKind, f);
      const amount = maxWithdrawable(account, market, { asset, chain, minHealth: optional(q, 'minHealth', fixed, f) ?? 10n ** 18n, weight });
      const config = market.configs.get(asset);
      const decimals = chain === undefined ? config?.decimals : (account.positions.find((p) => p.asset === asset && p.chain === chain)?.decimals ?? config?.decimals);
      result['maxWithdrawable'] = { asset, chain: chain ?? null, amount: amount.toString(), decimals: decimals ?? null };
    }
    return result;
  },
};

function weightKind(value: unknown, field: string): WeightKind {
  if (value === 'initial' || value === 'maintenance') return value;
  throw new InvalidInputError(`expected "initial" or "maintenance", got ${JSON.stringify(value)}`, { field });
}
