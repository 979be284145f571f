import fc from 'fast-check';
import { catchError } from '../../test-utils/catchError';
import { InvalidInputError, InvalidNumberError } from '../errors';
import { formatDecimal, parseDecimal, type Fixed } from '../money/fixed';
import { MAINNET_PARAMS, TEST_PARAMS } from './params';
import { scenarioMargin } from './scenarioMargin';
import type { ExpiryMarket, Market, OptionPosition, Portfolio } from './types';

const d = (x: string): Fixed => parseDecimal(x);
const to2dp = (x: Fixed): string => (Number(x) / 1e18).toFixed(2);

/** docs/risk-model.md §7 worked market: S 2000, perp 2001, vol 50%, rate 2%, expiry in 17 days 8 hours, F 2004.7545. */
const EXPIRY = '2023-01-18';
const MARKET: Market = {
  spot: d('2000'),
  spotConfidence: 1,
  stablePrice: d('1'),
  perpPrice: d('2001'),
  perpConfidence: 1,
  expiries: [{ expiry: EXPIRY, secondsToExpiry: 1_497_600, forward: d('2004.7545'), rate: 0.02, vol: 0.5 }],
};
const SHORT_CALL: OptionPosition = { expiry: EXPIRY, strike: d('1400'), kind: 'call', amount: d('-1') };

describe('scenarioMargin — worked cases of docs/risk-model.md §7 ("test" set)', () => {
  it('long 1 base → IM 1545, MM 1650; worst −300 at s = 0.85, static 50', () => {
    const r = scenarioMargin({ portfolio: { base: d('1') }, market: MARKET });
    expect(to2dp(r.im)).toBe('1545.00');
    expect(to2dp(r.mm)).toBe('1650.00');
    expect(to2dp(r.mtm)).toBe('2000.00');
    expect(r.worstScenario.spotShock).toBe(0.85);
    expect(to2dp(r.worstScenario.loss)).toBe('-300.00');
    expect(r.staticContingency).toBe(d('50'));
    expect(to2dp(r.worst)).toBe('-350.00');
  });

  it('short 1 call strike 1400 → IM −1021.83, MM −925.59', () => {
    const r = scenarioMargin({ portfolio: { options: [SHORT_CALL] }, market: MARKET, params: TEST_PARAMS });
    expect(to2dp(r.im)).toBe('-1021.83');
    expect(to2dp(r.mm)).toBe('-925.59');
    expect(r.expiries).toHaveLength(1);
    expect(r.expiries[0]!.nakedShorts).toBe(d('1'));
    expect(r.expiries[0]!.optionContingency).toBe(d('20'));
    expect(r.worstScenario).toMatchObject({ spotShock: 1.15, vol: 'up' });
    expect(r.basisContingency < 0n).toBe(true);
  });
});

describe('scenarioMargin — hand-derived cases', () => {
  it('short perp: value perp·(perpPrice − entry), worst at s = 1.15, perpPercent static', () => {
    // loss(1.15) = −1 · 0.15 · 2001 = −300.15; static 0.025 · 2000 = 50; perp value −1 · (2001 − 2005) = 4
    const r = scenarioMargin({ portfolio: { perp: { amount: d('-1'), entryPrice: d('2005') } }, market: MARKET });
    expect(to2dp(r.mm)).toBe((-350.15 + 4).toFixed(2));
    expect(to2dp(r.im)).toBe((-350.15 * 1.3 + 4).toFixed(2));
    expect(r.worstScenario.spotShock).toBe(1.15);
  });

  it('base hedged with a short perp: loss −(s − 1), statics add up', () => {
    const r = scenarioMargin({ portfolio: { base: d('1'), perp: { amount: d('-1'), entryPrice: d('2005') } }, market: MARKET });
    expect(to2dp(r.mtm)).toBe('2004.00');
    expect(to2dp(r.mm)).toBe('1903.85'); // 2004 − 0.15 − 100
    expect(to2dp(r.im)).toBe((2004 - 100.15 * 1.3).toFixed(2));
  });

  it('de-peg raises the IM factor: stable 0.97 → f = 1.3 + 0.01 · 2', () => {
    const r = scenarioMargin({ portfolio: { base: d('1') }, market: { ...MARKET, stablePrice: d('0.97') } });
    const value = 2000 / 0.97;
    const worst = -0.15 * value - 50;
    expect(r.imFactor).toBeCloseTo(1.32, 12);
    expect(to2dp(r.mm)).toBe((worst + value).toFixed(2));
    expect(to2dp(r.im)).toBe((worst * 1.32 + value).toFixed(2));
  });

  it('low spot confidence adds (1 − c) · confMargin · base · S to IM only', () => {
    const r = scenarioMargin({ portfolio: { base: d('1') }, market: { ...MARKET, spotConfidence: 0.5 } });
    expect(r.confidenceContingency).toBe(d('400'));
    expect(to2dp(r.im)).toBe('1145.00');
    expect(to2dp(r.mm)).toBe('1650.00');
  });

  it('an option vol confidence below threshold charges its expiry; perp confidence counts only with a perp', () => {
    const lowVolConf = scenarioMargin({ portfolio: { options: [{ ...SHORT_CALL, volConfidence: 0.3 }] }, market: MARKET });
    expect(to2dp(lowVolConf.confidenceContingency)).toBe('560.00'); // 0.7 · 0.4 · 1 · 2000
    expect(to2dp(lowVolConf.im)).toBe((-1021.83 - 560).toFixed(2));
    const noPerp = scenarioMargin({ portfolio: { base: d('1') }, market: { ...MARKET, perpConfidence: 0.1 } });
    expect(noPerp.confidenceContingency).toBe(0n);
  });

  it('a per-option vol overrides the expiry vol', () => {
    const market = (vol: number): Market => ({ ...MARKET, expiries: [{ ...MARKET.expiries![0]!, vol }] });
    const overridden = scenarioMargin({ portfolio: { options: [{ ...SHORT_CALL, vol: 0.9 }] }, market: market(0.5) });
    const viaExpiry = scenarioMargin({ portfolio: { options: [SHORT_CALL] }, market: market(0.9) });
    expect(overridden.im).toBe(viaExpiry.im);
    expect(overridden.im).not.toBe(scenarioMargin({ portfolio: { options: [SHORT_CALL] }, market: MARKET }).im);
  });

  it('a covered call (long base, short call) needs less than the short call alone', () => {
    const naked = scenarioMargin({ portfolio: { options: [SHORT_CALL] }, market: MARKET });
    const covered = scenarioMargin({ portfolio: { base: d('1'), options: [SHORT_CALL] }, market: MARKET });
    expect(covered.im - d('2000')).toBeGreaterThan(naked.im);
  });

  it('runs with the mainnet set', () => {
    const r = scenarioMargin({ portfolio: { base: d('1'), options: [SHORT_CALL] }, market: MARKET, params: MAINNET_PARAMS });
    expect(r.im).toBeLessThanOrEqual(r.mm);
  });
});

describe('scenarioMargin — input errors name the field', () => {
  const cases: Array<[string, Portfolio, Market]> = [
    ['portfolio.base', { base: d('-1') }, MARKET],
    ['portfolio.options[0].expiry', { options: [{ ...SHORT_CALL, expiry: 'other' }] }, MARKET],
    ['portfolio.options[0].strike', { options: [{ ...SHORT_CALL, strike: 0n }] }, MARKET],
    ['portfolio.options[0].volConfidence', { options: [{ ...SHORT_CALL, volConfidence: 1.5 }] }, MARKET],
    ['market.perpPrice', { perp: { amount: d('1'), entryPrice: d('1') } }, { spot: d('1'), stablePrice: d('1') }],
    ['market.spot', {}, { ...MARKET, spot: 0n }],
    ['market.expiries[1].expiry', {}, { ...MARKET, expiries: [MARKET.expiries![0]!, MARKET.expiries![0]!] }],
    ['market.expiries[0].secondsToExpiry', {}, { ...MARKET, expiries: [{ ...MARKET.expiries![0]!, secondsToExpiry: -1 }] }],
  ];
  it.each(cases)('%s', (field, portfolio, market) => {
    expect(() => scenarioMargin({ portfolio, market })).toThrow(InvalidInputError);
    expect(catchError(() => scenarioMargin({ portfolio, market }))).toEqual(expect.objectContaining({ field }));
  });

  it('a non-finite intermediate is an InvalidNumberError, never a NaN result', () => {
    expect(() => scenarioMargin({ portfolio: { base: d('1') }, market: { ...MARKET, spot: 10n ** 330n } })).toThrow(InvalidNumberError);
  });
});

describe('scenarioMargin — properties', () => {
  const fixed = (min: string, max: string) => fc.bigInt({ min: d(min), max: d(max) });
  const confidence = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined });
  const expiryNames = ['e1', 'e2', 'e3'];
  const marketArb = fc
    .record({
      spot: fixed('100', '10000'),
      spotConfidence: confidence,
      stablePrice: fixed('0.9', '1.1'),
      perpPriceRatio: fc.double({ min: 0.9, max: 1.1, noNaN: true }),
      perpConfidence: confidence,
      expiries: fc.tuple(
        ...expiryNames.map(() =>
          fc.record({
            secondsToExpiry: fc.integer({ min: 0, max: 2 * 365 * 86_400 }),
            forwardRatio: fc.double({ min: 0.8, max: 1.2, noNaN: true }),
            forwardConfidence: confidence,
            rate: fc.double({ min: -0.05, max: 0.2, noNaN: true }),
            rateConfidence: confidence,
            vol: fc.double({ min: 0, max: 3, noNaN: true }),
            volConfidence: confidence,
          }),
        ),
      ),
    })
    .map(({ perpPriceRatio, expiries, ...m }): Market => {
      const scaled = (ratio: number): Fixed => (m.spot * BigInt(Math.round(ratio * 1e6))) / 1_000_000n;
      return {
        ...m,
        perpPrice: scaled(perpPriceRatio),
        expiries: expiries.map(({ forwardRatio, ...e }, i): ExpiryMarket => ({ ...e, expiry: expiryNames[i]!, forward: scaled(forwardRatio) })),
      };
    });
  const optionArb = fc.record({
    expiry: fc.constantFrom(...expiryNames),
    strike: fixed('50', '20000'),
    kind: fc.constantFrom('call' as const, 'put' as const),
    amount: fixed('-20', '20'),
    vol: fc.option(fc.double({ min: 0, max: 3, noNaN: true }), { nil: undefined }),
    volConfidence: confidence,
  });
  const portfolioArb = fc.record({
    cash: fixed('-1000000', '1000000'),
    base: fixed('0', '100'),
    perp: fc.option(fc.record({ amount: fixed('-50', '50'), entryPrice: fixed('1', '20000') }), { nil: undefined }),
    options: fc.array(optionArb, { maxLength: 8 }),
  });
  const paramsArb = fc.constantFrom(TEST_PARAMS, MAINNET_PARAMS);

  it('IM ≤ MM, finite, for random valid portfolios', () => {
    fc.assert(
      fc.property(portfolioArb, marketArb, paramsArb, (portfolio, market, params) => {
        const r = scenarioMargin({ portfolio, market, params });
        expect(r.im).toBeLessThanOrEqual(r.mm);
        expect(r.worst).toBeLessThanOrEqual(0n);
        expect(typeof r.im).toBe('bigint');
        expect(formatDecimal(r.mm)).toMatch(/^-?\d+(\.\d+)?$/);
      }),
      { numRuns: 200 },
    );
  });

  it('adding cash raises IM and MM by exactly that amount', () => {
    fc.assert(
      fc.property(portfolioArb, marketArb, paramsArb, fixed('-1000000', '1000000'), (portfolio, market, params, extra) => {
        const before = scenarioMargin({ portfolio, market, params });
        const after = scenarioMargin({ portfolio: { ...portfolio, cash: portfolio.cash + extra }, market, params });
        expect(after.im - before.im).toBe(extra);
        expect(after.mm - before.mm).toBe(extra);
      }),
      { numRuns: 100 },
    );
  });
});
