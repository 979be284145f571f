import { type Fixed, max } from '../money/fixed';
import type { Usd } from '../money/usd';
import type { Account } from '../health/account';
import { accountHealth } from '../health/accountHealth';
import type { PricedMarket } from '../valuation/priceMarket';
import { applyScenario } from './applyScenario';
import { scenarioName, type StressScenario } from './scenario';

export type AccountStressResult = {
  readonly id: string;
  /** Σ collateral value (after haircuts and tiers) before and after the scenario. */
  readonly valueBefore: Usd;
  readonly valueAfter: Usd;
  /** valueBefore − valueAfter (negative: a gain). */
  readonly loss: Usd;
  readonly debt: Usd;
  readonly healthFactorBefore: Fixed;
  readonly healthFactorAfter: Fixed;
  /** HF after < 1. */
  readonly belowMaintenance: boolean;
  /** Below maintenance after the scenario but not before. */
  readonly newlyBelowMaintenance: boolean;
  /** max(0, debt − Σ value · lt) after: the weighted collateral missing to get back to HF 1. */
  readonly shortfall: Usd;
  /** max(0, debt − Σ value) after: debt the collateral no longer covers at all. */
  readonly uncoveredDebt: Usd;
};

export type BookStressTotals = {
  readonly accounts: number;
  readonly valueBefore: Usd;
  readonly valueAfter: Usd;
  readonly loss: Usd;
  readonly debt: Usd;
  readonly accountsBelowMaintenance: number;
  readonly newlyBelowMaintenance: number;
  readonly shortfall: Usd;
  readonly uncoveredDebt: Usd;
};

export type ScenarioResult = {
  readonly scenario: string;
  readonly kind: StressScenario['kind'];
  /** Valuation prices that changed: before → after. */
  readonly prices: readonly { readonly asset: string; readonly before: Fixed | undefined; readonly after: Fixed }[];
  readonly accounts: readonly AccountStressResult[];
  readonly totals: BookStressTotals;
};

/** One account under one (already applied) scenario market. */
export function stressAccount(account: Account, before: PricedMarket, after: PricedMarket): AccountStressResult {
  const b = accountHealth(account, before, false);
  const a = accountHealth(account, after, false);
  return {
    id: account.id,
    valueBefore: b.collateralValue,
    valueAfter: a.collateralValue,
    loss: b.collateralValue - a.collateralValue,
    debt: account.debt,
    healthFactorBefore: b.healthFactor,
    healthFactorAfter: a.healthFactor,
    belowMaintenance: a.liquidatable,
    newlyBelowMaintenance: a.liquidatable && !b.liquidatable,
    shortfall: max(0n, account.debt - a.maintenanceValue),
    uncoveredDebt: max(0n, account.debt - a.collateralValue),
  };
}

/**
 * Apply each scenario, independently, to every account of a book valued as in `accountHealth`; per account value
 * before/after, loss, HF after, below maintenance; book totals per scenario.
 */
export function stressBook(accounts: readonly Account[], market: PricedMarket, scenarios: readonly StressScenario[]): ScenarioResult[] {
  return scenarios.map((scenario, i) => {
    const after = applyScenario(market, scenario, `scenarios[${i}]`);
    const results = accounts.map((account) => stressAccount(account, market, after));
    const prices = [...after.assets]
      .filter(([asset, p]) => market.assets.get(asset)?.valuationPrice !== p.valuationPrice)
      .map(([asset, p]) => ({ asset, before: market.assets.get(asset)?.valuationPrice, after: p.valuationPrice }));
    return { scenario: scenarioName(scenario), kind: scenario.kind, prices, accounts: results, totals: totalsOf(results) };
  });
}

function totalsOf(results: readonly AccountStressResult[]): BookStressTotals {
  const t = { accounts: results.length, valueBefore: 0n, valueAfter: 0n, loss: 0n, debt: 0n, accountsBelowMaintenance: 0, newlyBelowMaintenance: 0, shortfall: 0n, uncoveredDebt: 0n };
  for (const r of results) {
    t.valueBefore += r.valueBefore;
    t.valueAfter += r.valueAfter;
    t.loss += r.loss;
    t.debt += r.debt;
    t.shortfall += r.shortfall;
    t.uncoveredDebt += r.uncoveredDebt;
    if (r.belowMaintenance) t.accountsBelowMaintenance++;
    if (r.newlyBelowMaintenance) t.newlyBelowMaintenance++;
  }
  return t;
}
