import { array, float, object, required, string } from '../cli/input';
import { InvalidInputError } from '../errors';
import { PARAM_SETS, TEST_PARAMS, type ParamSetName, type Scenario, type ScenarioPmParams } from './params';
import { validateParams } from './validateParams';

/**
 * The `params` field of the margin input (docs/risk-model.md §9): absent → "test", a built-in set's name, or an
 * object with every group of docs/risk-model.md §7 (`scenarios`, `basis`, `contingency`, `margin`, `volShock`; numbers as JSON
 * numbers or decimal strings; `volShock.dteFloor` in seconds). Errors name the field.
 */
export function parseParams(value: unknown, field = 'params'): ScenarioPmParams {
  if (value === undefined || value === null) return TEST_PARAMS;
  if (typeof value === 'string') {
    if (!Object.hasOwn(PARAM_SETS, value))
      throw new InvalidInputError(`unknown parameter set "${value}"`, { field, details: { known: Object.keys(PARAM_SETS) } });
    return PARAM_SETS[value as ParamSetName]; // membership checked just above
  }
  const o = object(value, field);
  const group = (name: string): Record<string, unknown> => required(o, name, object, field);
  const num = (g: Record<string, unknown>, groupName: string, key: string): number => required(g, key, float, `${field}.${groupName}`);
  const basis = group('basis');
  const contingency = group('contingency');
  const margin = group('margin');
  const volShock = group('volShock');
  const scenarios = required(o, 'scenarios', array, field).map((item, i): Scenario => {
    const path = `${field}.scenarios[${i}]`;
    const s = object(item, path);
    const vol = required(s, 'vol', string, path);
    if (vol !== 'up' && vol !== 'none' && vol !== 'down')
      throw new InvalidInputError('must be "up", "none" or "down"', { field: `${path}.vol`, details: { value: vol } });
    return { spotShock: required(s, 'spotShock', float, path), vol };
  });
  return validateParams(
    {
      scenarios,
      basis: {
        spotUp: num(basis, 'basis', 'spotUp'),
        spotDown: num(basis, 'basis', 'spotDown'),
        addFactor: num(basis, 'basis', 'addFactor'),
        multFactor: num(basis, 'basis', 'multFactor'),
      },
      contingency: {
        pegLossThreshold: num(contingency, 'contingency', 'pegLossThreshold'),
        pegLossFactor: num(contingency, 'contingency', 'pegLossFactor'),
        confThreshold: num(contingency, 'contingency', 'confThreshold'),
        confMargin: num(contingency, 'contingency', 'confMargin'),
        basePercent: num(contingency, 'contingency', 'basePercent'),
        perpPercent: num(contingency, 'contingency', 'perpPercent'),
        optionPercent: num(contingency, 'contingency', 'optionPercent'),
      },
      margin: {
        imFactor: num(margin, 'margin', 'imFactor'),
        baseStaticDiscount: num(margin, 'margin', 'baseStaticDiscount'),
        rateMultScale: num(margin, 'margin', 'rateMultScale'),
        rateAddScale: num(margin, 'margin', 'rateAddScale'),
      },
      volShock: {
        volRangeUp: num(volShock, 'volShock', 'volRangeUp'),
        volRangeDown: num(volShock, 'volShock', 'volRangeDown'),
        shortTermPower: num(volShock, 'volShock', 'shortTermPower'),
        longTermPower: num(volShock, 'volShock', 'longTermPower'),
        dteFloor: num(volShock, 'volShock', 'dteFloor'),
      },
    },
    field,
  );
}
