import { InvalidInputError } from '../errors';
import { validateDecimals } from '../money/asset';
import { divRound, type Fixed, ONE, pow10 } from '../money/fixed';
import type { Usd } from '../money/usd';
import { MissingPriceError } from '../oracle/errors';
import type { PricedMarket } from '../valuation/priceMarket';
import type { CollateralValuation, PricedAsset } from '../valuation/valueCollateral';
import { collateralValue, valuePosition } from '../valuation/valueCollateral';
import type { Account, CollateralPosition } from './account';

/** The health factor of an account without debt: explicit, like Aave's type(uint256).max. Never Infinity. */
export const INFINITE_HEALTH_FACTOR: Fixed = 2n ** 256n - 1n;

/** One asset's holding summed over chains (size tiers apply to the whole holding: splitting cannot dodge them). */
export type AssetHolding = {
  readonly asset: string;
  readonly positions: readonly CollateralPosition[];
  /** Total amount with `valuation.decimals` (the largest decimals among the positions and the config). */
  readonly valuation: CollateralValuation;
  /** haircutValue · liquidationThreshold and · ltv, rounded down. */
  readonly maintenanceValue: Usd;
  readonly initialValue: Usd;
};

export type AccountHealth = {
  readonly id: string;
  /** Σ haircut values (what credit messages carry). */
  readonly collateralValue: Usd;
  /** Σ valueᵢ · ltᵢ (rounded down). */
  readonly maintenanceValue: Usd;
  /** Σ valueᵢ · ltvᵢ (rounded down). */
  readonly initialValue: Usd;
  readonly debt: Usd;
  /** Σ(valueᵢ · ltᵢ) / debt, rounded down; INFINITE_HEALTH_FACTOR when debt is 0. */
  readonly healthFactor: Fixed;
  /** Σ valueᵢ · ltvᵢ − debt, rounded down (negative: over-used). */
  readonly freeMargin: Usd;
  /** HF < 1: Σ(valueᵢ · ltᵢ) < debt. */
  readonly liquidatable: boolean;
  readonly holdings: readonly AssetHolding[];
};

const UNIT: Fixed = ONE; // module-level copy for the hot path (imported constants can be getters under CJS interop)

type Group = { priced: PricedAsset; decimals: number; amount: bigint; positions: CollateralPosition[] };

/**
 * Aave-style health of an account over (asset, chain) positions: HF = Σ(valueᵢ · ltᵢ) / debt where valueᵢ is the
 * asset's valued collateral (after haircut and size tiers, summed over chains). Throws the OracleError that
 * refused a held asset's price, MissingPriceError when a held asset has no price.
 */
export function accountHealth(account: Account, market: PricedMarket, withBreakdown = true): AccountHealth {
  if (account.debt < 0n) throw new InvalidInputError('debt must not be negative', { field: 'debt', details: { debt: account.debt } });
  const groups = groupPositions(account, market);
  let collateral = 0n;
  let maintenanceScaled = 0n; // scale 10^36
  let initialScaled = 0n;
  const holdings: AssetHolding[] = [];
  for (const [asset, g] of groups) {
    const valuation = withBreakdown ? valuePosition(g.priced, g.amount, g.decimals) : undefined;
    const value = valuation?.haircutValue ?? collateralValue(g.priced, g.amount, g.decimals);
    const m = value * g.priced.config.liquidationThreshold;
    const i = value * g.priced.config.ltv;
    collateral += value;
    maintenanceScaled += m;
    initialScaled += i;
    if (valuation !== undefined)
      holdings.push({ asset, positions: g.positions, valuation, maintenanceValue: divRound(m, UNIT, 'down'), initialValue: divRound(i, UNIT, 'down') });
  }
  const debt = account.debt;
  const initialValue = divRound(initialScaled, UNIT, 'down');
  return {
    id: account.id,
    collateralValue: collateral,
    maintenanceValue: divRound(maintenanceScaled, UNIT, 'down'),
    initialValue,
    debt,
    healthFactor: debt === 0n ? INFINITE_HEALTH_FACTOR : divRound(maintenanceScaled, debt, 'down'),
    freeMargin: initialValue - debt,
    liquidatable: maintenanceScaled < debt * UNIT,
    holdings,
  };
}

/** HF < 1. */
export function isLiquidatable(account: Account, market: PricedMarket): boolean {
  return accountHealth(account, market, false).liquidatable;
}

/** Positions grouped by asset, amounts brought to one decimals per asset (exact: scaled up only). */
export function groupPositions(account: Account, market: PricedMarket): Map<string, Group> {
  const groups = new Map<string, Group>();
  account.positions.forEach((p, k) => {
    if (p.amount < 0n) throw new InvalidInputError('amount must not be negative', { field: `positions[${k}].amount`, details: { amount: p.amount } });
    let g = groups.get(p.asset);
    if (g === undefined) {
      const refused = market.refused.get(p.asset);
      if (refused !== undefined) throw refused;
      const priced = market.assets.get(p.asset);
      if (priced === undefined) throw new MissingPriceError({ asset: p.asset }, { field: `positions[${k}].asset` });
      g = { priced, decimals: priced.config.decimals, amount: 0n, positions: [] };
      groups.set(p.asset, g);
    }
    const decimals = p.decimals ?? g.priced.config.decimals;
    if (p.decimals !== undefined) validateDecimals(p.decimals, `positions[${k}].decimals`);
    if (decimals > g.decimals) {
      g.amount *= pow10(decimals - g.decimals);
      g.decimals = decimals;
    }
    g.amount += decimals === g.decimals ? p.amount : p.amount * pow10(g.decimals - decimals);
    g.positions.push(p);
  });
  return groups;
}
