import { catchError } from '../../test-utils/catchError';
import { parseDecimal } from '../money/fixed';
import { black76 } from './blackScholes';
import { portfolioGreeks } from './portfolioGreeks';
import type { Market } from './types';

const d = (x: string) => parseDecimal(x);
const T = 1_497_600 / (365 * 86_400);
const MARKET: Market = {
  spot: d('2000'),
  stablePrice: d('1'),
  perpPrice: d('2001'),
  expiries: [{ expiry: 'e', secondsToExpiry: 1_497_600, forward: d('2004.7545'), rate: 0.02, vol: 0.5 }],
};

describe('portfolioGreeks', () => {
  it('base and perp contribute delta 1 per unit and nothing else', () => {
    const g = portfolioGreeks({ base: d('2'), perp: { amount: d('-0.5'), entryPrice: d('1') } }, MARKET);
    expect(g).toMatchObject({ delta: 1.5, gamma: 0, vega: 0, theta: 0, options: [] });
  });

  it('sums amount × Black-76 greeks, mapping forward delta/gamma to spot with F/S', () => {
    const g = portfolioGreeks(
      { options: [{ expiry: 'e', strike: d('1400'), kind: 'call', amount: d('-2') }, { expiry: 'e', strike: d('2100'), kind: 'put', amount: d('1'), vol: 0.7 }] },
      MARKET,
    );
    const c = black76({ forward: 2004.7545, strike: 1400, vol: 0.5, time: T, kind: 'call' });
    const p = black76({ forward: 2004.7545, strike: 2100, vol: 0.7, time: T, kind: 'put' });
    const k = 2004.7545 / 2000;
    expect(g.delta).toBeCloseTo(-2 * c.delta * k + p.delta * k, 12);
    expect(g.gamma).toBeCloseTo(-2 * c.gamma * k * k + p.gamma * k * k, 12);
    expect(g.vega).toBeCloseTo(-2 * c.vega + p.vega, 10);
    expect(g.theta).toBeCloseTo(-2 * c.theta + p.theta, 10);
    expect(g.options.map((o) => o.index)).toEqual([0, 1]);
  });

  it('validates like the margin (names the field)', () => {
    expect(catchError(() => portfolioGreeks({ options: [{ expiry: 'x', strike: d('1'), kind: 'call', amount: d('1') }] }, MARKET))).toEqual(
      expect.objectContaining({ field: 'portfolio.options[0].expiry' }),
    );
  });
});
