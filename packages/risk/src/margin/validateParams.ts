import { InvalidInputError } from '../errors';
import { VOL_SCENARIOS, type Scenario, type ScenarioPmParams } from './params';

type Rule = { test: (x: number) => boolean; text: string };
const FINITE: Rule = { test: (x) => Number.isFinite(x), text: 'a finite number' };
const NON_NEGATIVE: Rule = { test: (x) => Number.isFinite(x) && x >= 0, text: 'finite and ≥ 0' };
const POSITIVE: Rule = { test: (x) => Number.isFinite(x) && x > 0, text: 'finite and > 0' };
const UNIT: Rule = { test: (x) => Number.isFinite(x) && x >= 0 && x <= 1, text: 'in [0, 1]' };
const AT_LEAST_ONE: Rule = { test: (x) => Number.isFinite(x) && x >= 1, text: 'finite and ≥ 1 (so that IM ≤ MM)' };

/**
 * Checks a parameter set against the rules the model relies on; throws InvalidInputError naming the field
 * (`params.contingency.confMargin`, `params.scenarios[3].spotShock`, …). Returns the same object.
 * Rules: at least one scenario, spot shocks > 0, vol direction up|none|down; every factor and percent ≥ 0;
 * confThreshold and baseStaticDiscount in [0, 1]; imFactor ≥ 1; dteFloor > 0 seconds; rate scales finite.
 */
export function validateParams(params: ScenarioPmParams, field = 'params'): ScenarioPmParams {
  const check = (value: number, rule: Rule, path: string): void => {
    if (typeof value !== 'number' || !rule.test(value))
      throw new InvalidInputError(`must be ${rule.text}`, { field: `${field}.${path}`, details: { value: String(value) } });
  };
  if (!Array.isArray(params.scenarios) || params.scenarios.length === 0)
    throw new InvalidInputError('needs at least one scenario', { field: `${field}.scenarios` });
  // Array.isArray narrows the readonly array to any[]; its elements are still Scenarios.
  params.scenarios.forEach((s: Scenario, i) => {
    check(s.spotShock, POSITIVE, `scenarios[${i}].spotShock`);
    if (!VOL_SCENARIOS.includes(s.vol))
      throw new InvalidInputError('must be "up", "none" or "down"', { field: `${field}.scenarios[${i}].vol`, details: { value: s.vol } });
  });
  const { basis, contingency, margin, volShock } = params;
  check(basis.spotUp, POSITIVE, 'basis.spotUp');
  check(basis.spotDown, POSITIVE, 'basis.spotDown');
  check(basis.addFactor, NON_NEGATIVE, 'basis.addFactor');
  check(basis.multFactor, NON_NEGATIVE, 'basis.multFactor');
  check(contingency.pegLossThreshold, NON_NEGATIVE, 'contingency.pegLossThreshold');
  check(contingency.pegLossFactor, NON_NEGATIVE, 'contingency.pegLossFactor');
  check(contingency.confThreshold, UNIT, 'contingency.confThreshold');
  check(contingency.confMargin, NON_NEGATIVE, 'contingency.confMargin');
  check(contingency.basePercent, NON_NEGATIVE, 'contingency.basePercent');
  check(contingency.perpPercent, NON_NEGATIVE, 'contingency.perpPercent');
  check(contingency.optionPercent, NON_NEGATIVE, 'contingency.optionPercent');
  check(margin.imFactor, AT_LEAST_ONE, 'margin.imFactor');
  check(margin.baseStaticDiscount, UNIT, 'margin.baseStaticDiscount');
  check(margin.rateMultScale, FINITE, 'margin.rateMultScale');
  check(margin.rateAddScale, FINITE, 'margin.rateAddScale');
  check(volShock.volRangeUp, NON_NEGATIVE, 'volShock.volRangeUp');
  check(volShock.volRangeDown, NON_NEGATIVE, 'volShock.volRangeDown');
  check(volShock.shortTermPower, FINITE, 'volShock.shortTermPower');
  check(volShock.longTermPower, FINITE, 'volShock.longTermPower');
  check(volShock.dteFloor, POSITIVE, 'volShock.dteFloor');
  return params;
}
