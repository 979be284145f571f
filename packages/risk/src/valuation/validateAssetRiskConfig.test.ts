import { InvalidInputError } from '../errors';
import { parseDecimal as d } from '../money/fixed';
import type { AssetRiskConfig } from './config';
import { validateAssetRiskConfig } from './validateAssetRiskConfig';

// WETH as typically configured (docs/risk-model.md §3): ltv 0.825, lt 0.86, bonus 5%.
const weth: AssetRiskConfig = {
  symbol: 'WETH',
  decimals: 18,
  haircut: d('0.2'),
  ltv: d('0.825'),
  liquidationThreshold: d('0.86'),
  liquidationBonus: d('0.05'),
  volatility: { annualVol: 0.8, horizonDays: 1, z: 2.33 },
  tiers: [
    { upTo: d('1000000'), weight: d('1') },
    { upTo: null, weight: d('0.9') },
  ],
  oracle: { heartbeatSeconds: 3600n, confidenceK: d('1') },
};

function fieldOf(config: AssetRiskConfig): string | undefined {
  try {
    validateAssetRiskConfig(config, 'assets.WETH');
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return (e as InvalidInputError).field; // checked just above
  }
  return undefined;
}

describe('validateAssetRiskConfig', () => {
  it('accepts typical WETH, WBTC and USDC parameters', () => {
    expect(validateAssetRiskConfig(weth)).toBe(weth);
    expect(fieldOf({ ...weth, ltv: d('0.73'), liquidationThreshold: d('0.78') })).toBeUndefined();
    expect(fieldOf({ ...weth, ltv: d('0.865'), liquidationThreshold: d('0.885'), liquidationBonus: d('0.045') })).toBeUndefined();
    // lt · (1 + bonus) exactly 1 is allowed
    expect(fieldOf({ ...weth, ltv: d('0.75'), liquidationThreshold: d('0.8'), liquidationBonus: d('0.25') })).toBeUndefined();
    expect(fieldOf({ ...weth, ltv: d('0.75'), liquidationThreshold: d('0.8'), liquidationBonus: d('0.250000000000000001') })).toBe('assets.WETH.liquidationBonus');
  });

  it.each([
    ['haircut above 1', { haircut: d('1.01') }, 'assets.WETH.haircut'],
    ['negative haircut', { haircut: -1n }, 'assets.WETH.haircut'],
    ['ltv above lt', { ltv: d('0.9') }, 'assets.WETH.ltv'],
    ['lt above 1', { liquidationThreshold: d('1.000000000000000001') }, 'assets.WETH.liquidationThreshold'],
    ['lt · (1 + bonus) above 1', { liquidationThreshold: d('0.96'), liquidationBonus: d('0.05') }, 'assets.WETH.liquidationBonus'],
    ['negative bonus', { liquidationBonus: -1n }, 'assets.WETH.liquidationBonus'],
    ['empty tiers', { tiers: [] }, 'assets.WETH.tiers'],
    ['descending tier bounds', { tiers: [{ upTo: d('2'), weight: d('1') }, { upTo: d('1'), weight: d('0.9') }] }, 'assets.WETH.tiers[1].upTo'],
    ['increasing tier weights', { tiers: [{ upTo: d('1'), weight: d('0.9') }, { upTo: d('2'), weight: d('0.95') }] }, 'assets.WETH.tiers[1].weight'],
    ['tier weight above 1', { tiers: [{ upTo: d('1'), weight: d('1.5') }] }, 'assets.WETH.tiers[0].weight'],
    ['open tier not last', { tiers: [{ upTo: null, weight: d('1') }, { upTo: d('1'), weight: d('0.9') }] }, 'assets.WETH.tiers[0].upTo'],
    ['zero tier bound', { tiers: [{ upTo: 0n, weight: d('1') }] }, 'assets.WETH.tiers[0].upTo'],
    ['negative vol', { volatility: { annualVol: -0.1, horizonDays: 1, z: 2 } }, 'assets.WETH.volatility.annualVol'],
    ['NaN vol', { volatility: { annualVol: Number.NaN, horizonDays: 1, z: 2 } }, 'assets.WETH.volatility.annualVol'],
    ['zero horizon', { volatility: { annualVol: 0.5, horizonDays: 0, z: 2 } }, 'assets.WETH.volatility.horizonDays'],
    ['zero heartbeat', { oracle: { heartbeatSeconds: 0n } }, 'assets.WETH.oracle.heartbeatSeconds'],
    ['negative k', { oracle: { heartbeatSeconds: 60n, confidenceK: -1n } }, 'assets.WETH.oracle.confidenceK'],
    ['bad decimals', { decimals: -1 }, 'assets.WETH.decimals'],
  ] as const)('refuses %s, naming the field', (_name, patch, field) => {
    expect(fieldOf({ ...weth, ...patch })).toBe(field);
  });

  it('details show Fixed values as the decimals written, seconds as whole numbers', () => {
    const json = (config: AssetRiskConfig) => {
      try {
        validateAssetRiskConfig(config, 'assets.WETH');
      } catch (e) {
        return (e as InvalidInputError).toJSON(); // validateAssetRiskConfig throws InvalidInputError only
      }
      throw new Error('expected an InvalidInputError');
    };
    expect(json({ ...weth, haircut: d('1.25') })).toMatchObject({ field: 'assets.WETH.haircut', details: { value: '1.25' } });
    expect(json({ ...weth, ltv: d('0.9') })).toMatchObject({ details: { ltv: '0.9', liquidationThreshold: '0.86' } });
    expect(json({ ...weth, liquidationBonus: d('0.2') })).toMatchObject({ field: 'assets.WETH.liquidationBonus', details: { liquidationThreshold: '0.86', liquidationBonus: '0.2' } });
    expect(json({ ...weth, tiers: [{ upTo: d('10'), weight: d('0.9') }, { upTo: null, weight: d('0.95') }] })).toMatchObject({
      field: 'assets.WETH.tiers[1].weight',
      details: { weight: '0.95', previous: '0.9' },
    });
    expect(json({ ...weth, oracle: { heartbeatSeconds: 60n, confidenceK: d('-0.5') } })).toMatchObject({ field: 'assets.WETH.oracle.confidenceK', details: { value: '-0.5' } });
    expect(json({ ...weth, oracle: { heartbeatSeconds: 60n, maxFutureSkewSeconds: -3n } })).toMatchObject({ details: { value: '-3' } });
  });
});
