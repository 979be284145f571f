import { InvalidInputError } from '../errors';
import type { Fixed } from '../money/fixed';
import type { PricedMarket } from '../valuation/priceMarket';
import { collateralValue } from '../valuation/valueCollateral';
import type { WeightKind } from '../valuation/config';
import { collateralWeight } from '../valuation/config';
import type { Account } from './account';
import { groupPositions } from './accountHealth';

export type MaxWithdrawableParameters = {
  readonly asset: string;
  /** Withdraw from this chain's position (amount in its decimals); default: from the whole holding, in the config's decimals. */
  readonly chain?: string | undefined;
  /** The health factor that must remain (Fixed, e.g. 1.0 or 1.1). */
  readonly minHealth: Fixed;
  /** Weights for the health check: maintenance (lt, default) or initial (ltv). */
  readonly weight?: WeightKind | undefined;
};

/**
 * The largest amount of `asset` (base units, rounded down) that can be withdrawn while Σ(valueᵢ · weightᵢ) ≥
 * minHealth · debt. All of it without debt; 0 when the account is already below minHealth. Valuation is
 * monotone in the amount (tier weights are ≥ 0), so a binary search over the amount is exact.
 */
export function maxWithdrawable(account: Account, market: PricedMarket, parameters: MaxWithdrawableParameters): bigint {
  const { asset, chain, minHealth } = parameters;
  const weightKind = parameters.weight ?? 'maintenance';
  if (minHealth < 0n) throw new InvalidInputError('minHealth must not be negative', { field: 'minHealth' });
  const groups = groupPositions(account, market);
  const target = groups.get(asset);
  if (target === undefined) return 0n;

  // Held amount and how one unit of it maps onto the group's common decimals.
  let held: bigint;
  let unitScale: bigint;
  if (chain !== undefined) {
    held = 0n;
    let decimals = target.priced.config.decimals;
    for (const p of target.positions)
      if (p.chain === chain) {
        held += p.amount;
        decimals = p.decimals ?? target.priced.config.decimals;
      }
    unitScale = 10n ** BigInt(target.decimals - decimals);
  } else {
    unitScale = 10n ** BigInt(target.decimals - target.priced.config.decimals);
    held = target.amount / unitScale;
  }
  if (account.debt === 0n) return held;

  let others = 0n; // Σ value · weight of the other assets, scale 10^36
  for (const [symbol, g] of groups) {
    if (symbol === asset) continue;
    others += collateralValue(g.priced, g.amount, g.decimals) * collateralWeight(g.priced.config, weightKind);
  }
  const required = minHealth * account.debt; // scale 10^36
  const weight = collateralWeight(target.priced.config, weightKind);
  const ok = (w: bigint) => others + collateralValue(target.priced, target.amount - w * unitScale, target.decimals) * weight >= required;

  if (!ok(0n)) return 0n;
  if (ok(held)) return held;
  let lo = 0n; // ok
  let hi = held; // not ok
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
