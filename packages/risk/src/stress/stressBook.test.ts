import { catchError } from '../../test-utils/catchError';
import { InvalidInputError } from '../errors';
import { parseDecimal as d, ONE } from '../money/fixed';
import type { Account } from '../health/account';
import type { AssetRiskConfig } from '../valuation/config';
import { priceMarket } from '../valuation/priceMarket';
import { applyScenario } from './applyScenario';
import { stressBook } from './stressBook';

const now = 1_700_000_000n;
const oracle = { heartbeatSeconds: 3600n };
const cfg = (symbol: string, decimals: number, haircut: string, ltv: string, lt: string): AssetRiskConfig => ({
  symbol, decimals, haircut: d(haircut), ltv: d(ltv), liquidationThreshold: d(lt), liquidationBonus: d('0.05'), oracle,
});
const configs = {
  ETH: cfg('ETH', 18, '0', '0.75', '0.8'),
  stETH: cfg('stETH', 18, '0', '0.7', '0.75'),
  USDC: cfg('USDC', 6, '0.01', '0.8', '0.85'),
};
const market = priceMarket({
  configs,
  prices: { ETH: { price: d('2000'), timestamp: now }, stETH: { price: d('2000'), timestamp: now }, USDC: { price: d('1'), timestamp: now } },
  now,
});
const book: Account[] = [
  { id: 'eth', positions: [{ asset: 'ETH', chain: 'ethereum', amount: d('5') }], debt: d('6000') },
  { id: 'usdc', positions: [{ asset: 'USDC', chain: 'arbitrum', amount: 10_000_000_000n }], debt: d('7000') },
  { id: 'mixed', positions: [{ asset: 'stETH', chain: 'ethereum', amount: d('2') }, { asset: 'USDC', chain: 'base', amount: 5_000_000_000n }], debt: d('3000') },
];
const byId = (r: ReturnType<typeof stressBook>[number], id: string) => r.accounts.find((a) => a.id === id)!;

describe('stressBook', () => {
  it('stablecoin depeg: USDC at 0.80', () => {
    const [r] = stressBook(book, market, [{ kind: 'stablecoin-depeg', asset: 'USDC', price: d('0.8') }]);
    const usdc = byId(r!, 'usdc');
    expect(usdc.valueBefore).toBe(d('9900'));
    expect(usdc.valueAfter).toBe(d('7920'));
    expect(usdc.loss).toBe(d('1980'));
    expect(usdc.healthFactorAfter).toBe(961_714_285_714_285_714n); // 7,920 · 0.85 / 7,000
    expect(usdc.belowMaintenance).toBe(true);
    expect(usdc.newlyBelowMaintenance).toBe(true);
    expect(usdc.shortfall).toBe(d('268')); // 7,000 − 6,732
    expect(byId(r!, 'eth').loss).toBe(0n);
    expect(r!.prices).toEqual([{ asset: 'USDC', before: ONE, after: d('0.8') }]);
    expect(r!.totals).toMatchObject({ accounts: 3, loss: d('1980') + d('990'), accountsBelowMaintenance: 1 });
  });

  it('oracle failure at zero, and at the last good price less a penalty', () => {
    const [zero, lastGood] = stressBook(book, market, [
      { kind: 'oracle-failure', asset: 'ETH', mode: 'zero' },
      { kind: 'oracle-failure', asset: 'ETH', mode: 'last-good', penalty: d('0.1') },
    ]);
    expect(byId(zero!, 'eth')).toMatchObject({ valueAfter: 0n, healthFactorAfter: 0n, belowMaintenance: true, uncoveredDebt: d('6000') });
    expect(byId(lastGood!, 'eth')).toMatchObject({ valueAfter: d('9000'), healthFactorAfter: d('1.2'), belowMaintenance: false });
    const [explicit] = stressBook(book, market, [{ kind: 'oracle-failure', asset: 'ETH', mode: 'last-good', lastGoodPrice: d('1500'), penalty: d('0.2') }]);
    expect(byId(explicit!, 'eth').valueAfter).toBe(d('6000'));
  });

  it('oracle failure values an asset whose live price was refused', () => {
    const stale = priceMarket({ configs, prices: { ETH: { price: d('2000'), timestamp: now - 7200n }, USDC: { price: ONE, timestamp: now } }, now });
    expect(applyScenario(stale, { kind: 'oracle-failure', asset: 'ETH', mode: 'zero' }).assets.get('ETH')?.valuationPrice).toBe(0n);
    expect(() => applyScenario(stale, { kind: 'oracle-failure', asset: 'ETH', mode: 'last-good', penalty: 0n })).toThrow('heartbeat');
    expect(applyScenario(stale, { kind: 'oracle-failure', asset: 'ETH', mode: 'last-good', lastGoodPrice: d('1900'), penalty: d('0.1') }).assets.get('ETH')?.valuationPrice).toBe(d('1710'));
  });

  it('spot shock with a dampened follower: ETH −30%, stETH follows at half', () => {
    const [r] = stressBook(book, market, [
      { kind: 'spot-shock', shocks: [{ asset: 'ETH', shock: d('-0.3') }], followers: [{ asset: 'stETH', driver: 'ETH', dampening: d('0.5') }] },
    ]);
    expect(byId(r!, 'eth').valueAfter).toBe(d('7000'));
    expect(byId(r!, 'eth').healthFactorAfter).toBe(933_333_333_333_333_333n);
    expect(byId(r!, 'mixed').valueAfter).toBe(d('3400') + d('4950')); // stETH at 1,700
    expect(r!.prices).toEqual([
      { asset: 'ETH', before: d('2000'), after: d('1400') },
      { asset: 'stETH', before: d('2000'), after: d('1700') },
    ]);
    expect(r!.totals.newlyBelowMaintenance).toBe(1);
  });

  it('combined scenarios apply in order', () => {
    const [r] = stressBook(book, market, [
      {
        kind: 'combined',
        steps: [
          { kind: 'spot-shock', shocks: [{ asset: 'stETH', shock: d('-0.5') }] },
          { kind: 'stablecoin-depeg', asset: 'USDC', price: d('0.9') },
        ],
      },
    ]);
    expect(r!.scenario).toBe('spot-shock(stETH) + stablecoin-depeg(USDC)');
    expect(byId(r!, 'mixed').valueAfter).toBe(d('2000') + d('4455'));
  });

  it('refuses bad scenarios, naming the field', () => {
    expect(catchError(() => stressBook(book, market, [{ kind: 'spot-shock', shocks: [{ asset: 'ETH', shock: d('-1.1') }] }]))).toEqual(
      expect.objectContaining({ field: 'scenarios[0].shocks[0].shock' }),
    );
    expect(
      catchError(() => stressBook(book, market, [{ kind: 'spot-shock', shocks: [], followers: [{ asset: 'stETH', driver: 'ETH', dampening: ONE }] }])),
    ).toEqual(expect.objectContaining({ field: 'scenarios[0].followers[0].driver' }));
    expect(() => stressBook(book, market, [{ kind: 'oracle-failure', asset: 'ETH', mode: 'last-good', penalty: d('1.5') }])).toThrow(InvalidInputError);
    expect(catchError(() => stressBook(book, market, [{ kind: 'stablecoin-depeg', asset: 'DAI', price: ONE }]))).toEqual(
      expect.objectContaining({ field: 'scenarios[0].asset' }),
    );
  });
});
