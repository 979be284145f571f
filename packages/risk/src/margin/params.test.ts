import { catchError } from '../../test-utils/catchError';
import { InvalidInputError } from '../errors';
import { MAINNET_PARAMS, TEST_PARAMS, type ScenarioPmParams } from './params';
import { parseParams } from './parseParams';
import { validateParams } from './validateParams';

/** The parameter set as the CLI JSON would carry it: every number as a decimal string. */
function asJson(p: ScenarioPmParams): unknown {
  return JSON.parse(JSON.stringify(p, (_k, v: unknown) => (typeof v === 'number' ? String(v) : v)));
}

describe('parameter sets', () => {
  it('"test" has 7 spot shocks × up/none/down = 21 scenarios from 1.15 down to 0.85', () => {
    expect(TEST_PARAMS.scenarios).toHaveLength(21);
    expect([...new Set(TEST_PARAMS.scenarios.map((s) => s.spotShock))]).toEqual([1.15, 1.1, 1.05, 1, 0.95, 0.9, 0.85]);
    expect(TEST_PARAMS.scenarios.slice(0, 3).map((s) => s.vol)).toEqual(['up', 'none', 'down']);
  });

  it('"mainnet" has 23 scenarios: 1.20 up, the 21-grid, 0.80 up', () => {
    expect(MAINNET_PARAMS.scenarios).toHaveLength(23);
    expect(MAINNET_PARAMS.scenarios[0]).toEqual({ spotShock: 1.2, vol: 'up' });
    expect(MAINNET_PARAMS.scenarios[22]).toEqual({ spotShock: 0.8, vol: 'up' });
  });

  it('both built-in sets pass the validator', () => {
    expect(validateParams(TEST_PARAMS)).toBe(TEST_PARAMS);
    expect(validateParams(MAINNET_PARAMS)).toBe(MAINNET_PARAMS);
  });
});

describe('parseParams', () => {
  it('takes a name, defaults to "test", and refuses unknown names', () => {
    expect(parseParams('mainnet')).toBe(MAINNET_PARAMS);
    expect(parseParams(undefined)).toBe(TEST_PARAMS);
    expect(catchError(() => parseParams('nope'))).toEqual(expect.objectContaining({ field: 'params', name: 'InvalidInputError' }));
    expect(() => parseParams('toString')).toThrow(InvalidInputError);
  });

  it('reads the object form (numbers as strings) back to the same set', () => {
    expect(parseParams(asJson(TEST_PARAMS))).toEqual(TEST_PARAMS);
    expect(parseParams(asJson(MAINNET_PARAMS))).toEqual(MAINNET_PARAMS);
  });

  it.each([
    ['basis', 'spotUp', undefined, 'params.basis.spotUp'],
    ['basis', 'spotUp', 'abc', 'params.basis.spotUp'],
    ['contingency', 'confThreshold', '1.5', 'params.contingency.confThreshold'],
    ['contingency', 'optionPercent', '-0.01', 'params.contingency.optionPercent'],
    ['margin', 'imFactor', '0.9', 'params.margin.imFactor'],
    ['margin', 'baseStaticDiscount', '1.01', 'params.margin.baseStaticDiscount'],
    ['volShock', 'dteFloor', '0', 'params.volShock.dteFloor'],
  ])('names the field: %s.%s = %p → %s', (group, key, value, field) => {
    const json = asJson(TEST_PARAMS) as Record<string, Record<string, unknown>>; // plain JSON object built above
    json[group]![key] = value;
    expect(catchError(() => parseParams(json))).toEqual(expect.objectContaining({ field }));
  });

  it('names bad scenarios and missing groups', () => {
    const json = asJson(TEST_PARAMS) as Record<string, unknown>; // plain JSON object built above
    expect(catchError(() => parseParams({ ...json, scenarios: [] }))).toEqual(expect.objectContaining({ field: 'params.scenarios' }));
    expect(catchError(() => parseParams({ ...json, scenarios: [{ spotShock: '1', vol: 'sideways' }] }))).toEqual(
      expect.objectContaining({ field: 'params.scenarios[0].vol' }),
    );
    expect(catchError(() => parseParams({ ...json, scenarios: [{ spotShock: '0', vol: 'up' }] }))).toEqual(
      expect.objectContaining({ field: 'params.scenarios[0].spotShock' }),
    );
     
    const { margin: _margin, ...noMargin } = json;
    expect(catchError(() => parseParams(noMargin))).toEqual(expect.objectContaining({ field: 'params.margin' }));
  });
});
