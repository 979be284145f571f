import { InvalidInputError } from '../errors';
import { validateDecimals } from '../money/asset';
import { divRound, type Fixed, formatDecimal, ONE, pow10 } from '../money/fixed';
import type { Usd } from '../money/usd';
import { MissingPriceError } from '../oracle/errors';
import type { PricedMarket } from '../valuation/priceMarket';
import type { CollateralValuation, PricedAsset } from '../valuation/valueCollateral';
import { valuePosition } from '../valuation/valueCollateral';
import { type CollateralKernel, collateralKernel, kernelValue } from '../valuation/collateralKernel';
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

// Module-level copies for the hot path: under CommonJS interop, imported bindings can be getters.
const UNIT: Fixed = ONE;
const valueOf = kernelValue;

/** Accounts with up to this many positions take the allocation-free path (a pairwise check for repeated assets). */
const QUICK_MAX_POSITIONS = 8;

type Group = { priced: PricedAsset; decimals: number; amount: bigint; positions: CollateralPosition[] };

/**
 * Aave-style health of an account over (asset, chain) positions: HF = Σ(valueᵢ · ltᵢ) / debt where valueᵢ is the
 * asset's valued collateral (after haircut and size tiers, summed over chains). Throws the OracleError that
 * refused a held asset's price, MissingPriceError when a held asset has no price.
 * Without the breakdown (the per-tick re-valuation of a whole book), values come from the precomputed
 * per-asset kernels (`collateralKernel`): the same figures, bit for bit, with fewer divisions.
 */
export function accountHealth(account: Account, market: PricedMarket, withBreakdown = true): AccountHealth {
  if (account.debt < 0n) throw new InvalidInputError('debt must not be negative', { field: 'debt', details: { debt: formatDecimal(account.debt) } });
  if (!withBreakdown) {
    const quick = account.positions.length <= QUICK_MAX_POSITIONS ? quickHealth(account, market) : undefined;
    return quick ?? groupedHealth(account, market);
  }
  const groups = groupPositions(account, market);
  let collateral = 0n;
  let maintenanceScaled = 0n; // scale 10^36
  let initialScaled = 0n;
  const holdings: AssetHolding[] = [];
  for (const [asset, g] of groups) {
    const valuation = valuePosition(g.priced, g.amount, g.decimals);
    const value = valuation.haircutValue;
    const m = value * g.priced.config.liquidationThreshold;
    const i = value * g.priced.config.ltv;
    collateral += value;
    maintenanceScaled += m;
    initialScaled += i;
    holdings.push({ asset, positions: g.positions, valuation, maintenanceValue: divRound(m, UNIT, 'down'), initialValue: divRound(i, UNIT, 'down') });
  }
  return summarize(account, collateral, maintenanceScaled, initialScaled, holdings);
}

/**
 * The totals of an account: every sum is ≥ 0 and the debt > 0 where it divides, so bigint `/` (truncation) is the
 * documented rounding down. HF < 1 ⇔ Σ(valueᵢ · ltᵢ) < debt ⇔ floor(Σ(valueᵢ · ltᵢ) / debt) < 1.
 */
function summarize(account: Account, collateral: Usd, maintenanceScaled: bigint, initialScaled: bigint, holdings: AssetHolding[]): AccountHealth {
  const debt = account.debt;
  const initialValue = initialScaled / UNIT;
  const healthFactor = debt === 0n ? INFINITE_HEALTH_FACTOR : maintenanceScaled / debt;
  return {
    id: account.id,
    collateralValue: collateral,
    maintenanceValue: maintenanceScaled / UNIT,
    initialValue,
    debt,
    healthFactor,
    freeMargin: initialValue - debt,
    liquidatable: healthFactor < UNIT,
    holdings,
  };
}

/**
 * The common case without allocations per position: every position a different asset at its config's decimals.
 * Returns undefined as soon as a position breaks that (a repeated asset, other decimals) so that `groupedHealth`
 * starts over; the checks run position by position in `groupPositions`'s order, so the same error is thrown first.
 */
function quickHealth(account: Account, market: PricedMarket): AccountHealth | undefined {
  const positions = account.positions;
  const table = kernelTable(market);
  let collateral = 0n;
  let maintenanceScaled = 0n; // scale 10^36
  let initialScaled = 0n;
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k]!; // k < length
    const asset = p.asset;
    for (let j = 0; j < k; j++) if (positions[j]!.asset === asset) return undefined; // j < k < length
    if (p.amount < 0n) throw negativeAmount(p.amount, k);
    const kernel = table.get(asset) ?? resolveKernel(table, market, asset, k);
    if (p.decimals !== undefined && p.decimals !== kernel.decimals) return undefined;
    const value = valueOf(kernel, p.amount);
    collateral += value;
    maintenanceScaled += value * kernel.liquidationThreshold;
    initialScaled += value * kernel.ltv;
  }
  return summarize(account, collateral, maintenanceScaled, initialScaled, []);
}

/** Any account: positions grouped per asset (summed over chains, one decimals), each group valued by its kernel. */
function groupedHealth(account: Account, market: PricedMarket): AccountHealth {
  let collateral = 0n;
  let maintenanceScaled = 0n;
  let initialScaled = 0n;
  for (const g of groupPositions(account, market).values()) {
    const kernel = collateralKernel(g.priced, g.decimals);
    const value = valueOf(kernel, g.amount);
    collateral += value;
    maintenanceScaled += value * kernel.liquidationThreshold;
    initialScaled += value * kernel.ltv;
  }
  return summarize(account, collateral, maintenanceScaled, initialScaled, []);
}

/**
 * Kernels at the config's decimals, per market and asset (a market is one tick: it is never changed). The last
 * market is also kept directly (one lookup less per account); it stays reachable until the next market is used.
 */
const kernelTables = new WeakMap<PricedMarket, Map<string, CollateralKernel>>();
let lastMarket: PricedMarket | undefined;
let lastTable = new Map<string, CollateralKernel>();

function kernelTable(market: PricedMarket): Map<string, CollateralKernel> {
  if (market === lastMarket) return lastTable;
  let table = kernelTables.get(market);
  if (table === undefined) {
    table = new Map();
    kernelTables.set(market, table);
  }
  lastMarket = market;
  lastTable = table;
  return table;
}

/** As `groupPositions` does for a new asset: its refusal first, then its price; the kernel is kept for the tick. */
function resolveKernel(table: Map<string, CollateralKernel>, market: PricedMarket, asset: string, k: number): CollateralKernel {
  const refused = market.refused.get(asset);
  if (refused !== undefined) throw refused;
  const priced = market.assets.get(asset);
  if (priced === undefined) throw new MissingPriceError({ asset }, { field: `positions[${k}].asset` });
  const kernel = collateralKernel(priced, priced.config.decimals);
  table.set(asset, kernel);
  return kernel;
}

function negativeAmount(amount: bigint, k: number): InvalidInputError {
  return new InvalidInputError('amount must not be negative', { field: `positions[${k}].amount`, details: { amount } });
}

/** HF < 1. */
export function isLiquidatable(account: Account, market: PricedMarket): boolean {
  return accountHealth(account, market, false).liquidatable;
}

/** Positions grouped by asset, amounts brought to one decimals per asset (exact: scaled up only). */
export function groupPositions(account: Account, market: PricedMarket): Map<string, Group> {
  const groups = new Map<string, Group>();
  account.positions.forEach((p, k) => {
    if (p.amount < 0n) throw negativeAmount(p.amount, k);
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
