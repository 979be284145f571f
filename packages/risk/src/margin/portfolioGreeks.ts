import { toFloat } from '../money/fixed';
import { black76, type OptionGreeks } from './blackScholes';
import { prepareInputs } from './prepareInputs';
import type { Market, Portfolio } from './types';

export type PositionGreeks = OptionGreeks & { readonly expiry: string; readonly index: number };

export type PortfolioGreeks = {
  /** ∂V/∂S in units of the underlying: base + perp + Σ amount · Δ_F · F/S. */
  readonly delta: number;
  /** ∂²V/∂S²: Σ amount · Γ_F · (F/S)². */
  readonly gamma: number;
  /** Σ amount · vega (per 1.00 of vol). */
  readonly vega: number;
  /** Σ amount · theta (per year). */
  readonly theta: number;
  /** Per option, per unit of amount, w.r.t. its expiry's forward (Black-76, discount factor 1), in portfolio order. */
  readonly options: readonly PositionGreeks[];
};

/**
 * Greeks of a portfolio under the same model as the scenario margin (Black-76, discount factor 1). Option
 * greeks are taken w.r.t. the forward and mapped to spot with ∂F/∂S = F/S (forward = spot · carry).
 */
export function portfolioGreeks(portfolio: Portfolio, market: Market): PortfolioGreeks {
  const input = prepareInputs(portfolio, market); // validates and names bad fields
  const expiries = new Map((market.expiries ?? []).map((e) => [e.expiry, e]));
  let delta = input.base + input.perpAmount;
  let gamma = 0;
  let vega = 0;
  let theta = 0;
  const options: PositionGreeks[] = [];
  const forwards = new Map(input.expiries.map((e) => [e.expiry, e]));
  (portfolio.options ?? []).forEach((o, index) => {
    const e = forwards.get(o.expiry)!; // prepareInputs checked that every option's expiry exists
    const vol = o.vol ?? expiries.get(o.expiry)!.vol; // same check
    const g = black76({ forward: e.forward, strike: toFloat(o.strike), vol, time: e.time, kind: o.kind });
    const amount = toFloat(o.amount);
    const toSpot = e.forward / input.spot;
    delta += amount * g.delta * toSpot;
    gamma += amount * g.gamma * toSpot * toSpot;
    vega += amount * g.vega;
    theta += amount * g.theta;
    options.push({ ...g, expiry: o.expiry, index });
  });
  return { delta, gamma, vega, theta, options };
}
