import { array, join, object, required } from '../input';
import type { CliCommand } from '../command';
import { formatDecimal } from '../../money/fixed';
import { formatHealthFactor } from '../../health/formatHealthFactor';
import { readAccount } from '../../health/readAccount';
import { readScenario } from '../../stress/readScenario';
import { stressBook } from '../../stress/stressBook';
import { priceMarket } from '../../valuation/priceMarket';
import { readMarket } from '../../valuation/readMarket';
import { requirePrices } from './requirePrices';

const usd = (x: bigint) => formatDecimal(x, 18, 6);

/**
 * Stress a book of accounts under named scenarios (each applied on its own to the current prices).
 * Input: { "configs", "prices", "now"? (as for `health`), "accounts": [ <account> ], "scenarios": [ <scenario> ] }
 */
export const command: CliCommand = {
  name: 'stress',
  description: 'Stress a book: stablecoin-depeg, oracle-failure, spot-shock (with dampened followers), combined',
  run(input: unknown) {
    const o = object(input, '');
    const market = priceMarket(readMarket(o));
    const accounts = required(o, 'accounts', array, '').map((a, i) => readAccount(a, join('accounts', i), `account-${i}`));
    accounts.forEach((account, i) => requirePrices(account, market, join('accounts', i)));
    const scenarios = required(o, 'scenarios', array, '').map((s, i) => readScenario(s, `scenarios[${i}]`));
    return {
      scenarios: stressBook(accounts, market, scenarios).map((r) => ({
        scenario: r.scenario,
        kind: r.kind,
        prices: r.prices.map((p) => ({ asset: p.asset, before: p.before === undefined ? null : usd(p.before), after: usd(p.after) })),
        totals: {
          accounts: r.totals.accounts,
          valueBefore: usd(r.totals.valueBefore),
          valueAfter: usd(r.totals.valueAfter),
          loss: usd(r.totals.loss),
          debt: usd(r.totals.debt),
          accountsBelowMaintenance: r.totals.accountsBelowMaintenance,
          newlyBelowMaintenance: r.totals.newlyBelowMaintenance,
          shortfall: usd(r.totals.shortfall),
          uncoveredDebt: usd(r.totals.uncoveredDebt),
        },
        accounts: r.accounts.map((a) => ({
          id: a.id,
          valueBefore: usd(a.valueBefore),
          valueAfter: usd(a.valueAfter),
          loss: usd(a.loss),
          debt: usd(a.debt),
          healthFactorBefore: formatHealthFactor(a.healthFactorBefore),
          healthFactorAfter: formatHealthFactor(a.healthFactorAfter),
          belowMaintenance: a.belowMaintenance,
          newlyBelowMaintenance: a.newlyBelowMaintenance,
          shortfall: usd(a.shortfall),
          uncoveredDebt: usd(a.uncoveredDebt),
        })),
      })),
    };
  },
};
