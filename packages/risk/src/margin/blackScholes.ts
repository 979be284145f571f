import { InvalidInputError } from '../errors';
import { normCdf, normPdf } from './normCdf';

/**
 * Black–Scholes (stock, no dividend) and Black-76 (forward) prices and greeks, float64 — one generalised
 * routine with cost of carry b (Haug): b = r for a stock, b = 0 for a forward.
 *   d1 = (ln(S/K) + (b + σ²/2)·T) / (σ√T),  d2 = d1 − σ√T
 *   call = S·e^((b−r)T)·N(d1) − K·e^(−rT)·N(d2),  put = K·e^(−rT)·N(−d2) − S·e^((b−r)T)·N(−d1)
 * Greeks: delta ∂V/∂S, gamma ∂²V/∂S², vega ∂V/∂σ per 1.00 of vol, theta = −∂V/∂T per year (calendar time
 * passing), rho ∂V/∂r per 1.00 of rate.
 *
 * When σ√T is below 1e-12 (T → 0 or σ → 0) the option is worth its discounted forward intrinsic value and the
 * greeks are the limits for that payoff: delta is a step (½ at the money), gamma and vega are 0, theta keeps
 * only the carry/discount terms. Nothing returns NaN or ±Infinity for valid inputs.
 */
export type OptionKind = 'call' | 'put';

export type OptionGreeks = {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
  d1: number;
  d2: number;
};

export type BlackScholesParameters = { spot: number; strike: number; rate: number; vol: number; time: number; kind: OptionKind };
export type Black76Parameters = { forward: number; strike: number; vol: number; time: number; kind: OptionKind; rate?: number | undefined };

/** Below this σ√T the option is priced at intrinsic value. */
export const MIN_TOTAL_VOL = 1e-12;

/** Black–Scholes on a non-dividend stock (Hull ch. 15/19). */
export function blackScholes(p: BlackScholesParameters): OptionGreeks {
  checkOptionInputs(p.spot, p.strike, p.vol, p.time, p.rate, 'spot');
  const g = generalised(p.spot, p.strike, p.time, p.vol, p.rate, p.rate, p.kind);
  // With b = r moving with r, ∂V/∂r = ±T·K·e^(−rT)·N(±d2).
  const df = Math.exp(-p.rate * p.time);
  g.rho = p.kind === 'call' ? p.time * p.strike * df * g.nd2 : -p.time * p.strike * df * g.nd2m;
  return strip(g);
}

/** Black-76 on a forward; `rate` (default 0, i.e. discount factor 1 as PMRM uses) only discounts. Greeks are per unit of forward. */
export function black76(p: Black76Parameters): OptionGreeks {
  const rate = p.rate ?? 0;
  checkOptionInputs(p.forward, p.strike, p.vol, p.time, rate, 'forward');
  const g = generalised(p.forward, p.strike, p.time, p.vol, rate, 0, p.kind);
  g.rho = -p.time * g.price; // b = 0 held fixed: only the discount factor depends on r
  return strip(g);
}

/**
 * Undiscounted Black-76 price from precomputed ln(F/K) and total vol v = σ√T: the hot path of the scenario
 * margin. Inputs are assumed validated (F, K > 0, v ≥ 0).
 */
export function black76Price(forward: number, strike: number, logMoneyness: number, totalVol: number, isCall: boolean): number {
  if (!(totalVol > MIN_TOTAL_VOL)) return isCall ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
  const d1 = logMoneyness / totalVol + 0.5 * totalVol;
  const d2 = d1 - totalVol;
  return isCall ? forward * normCdf(d1) - strike * normCdf(d2) : strike * normCdf(-d2) - forward * normCdf(-d1);
}

function checkOptionInputs(underlying: number, strike: number, vol: number, time: number, rate: number, name: string): void {
  const bad = (field: string, rule: string, value: number): never => {
    throw new InvalidInputError(`${field} must be ${rule}`, { field, details: { value: String(value) } });
  };
  if (!(Number.isFinite(underlying) && underlying > 0)) bad(name, 'finite and > 0', underlying);
  if (!(Number.isFinite(strike) && strike > 0)) bad('strike', 'finite and > 0', strike);
  if (!(Number.isFinite(vol) && vol >= 0)) bad('vol', 'finite and ≥ 0', vol);
  if (!(Number.isFinite(time) && time >= 0)) bad('time', 'finite and ≥ 0', time);
  if (!Number.isFinite(rate)) bad('rate', 'finite', rate);
}

type Working = OptionGreeks & { nd2: number; nd2m: number };

function generalised(s: number, k: number, t: number, vol: number, r: number, b: number, kind: OptionKind): Working {
  const carryDf = Math.exp((b - r) * t);
  const df = Math.exp(-r * t);
  const sqrtT = Math.sqrt(t);
  const v = vol * sqrtT;
  let d1: number;
  let d2: number;
  let nd1: number;
  let nd2: number;
  let nd1m: number; // N(−d1), computed directly so deep out-of-the-money puts keep their relative precision
  let nd2m: number;
  let pdf: number;
  if (v > MIN_TOTAL_VOL) {
    d1 = (Math.log(s / k) + b * t) / v + 0.5 * v;
    d2 = d1 - v;
    nd1 = normCdf(d1);
    nd2 = normCdf(d2);
    nd1m = normCdf(-d1);
    nd2m = normCdf(-d2);
    pdf = normPdf(d1);
  } else {
    // Deterministic forward: N(d1) = N(d2) = 1 in the money, 0 out of it, ½ at the money; d1 = d2 = ±∞ reported as ±1e308.
    const forward = s * Math.exp(b * t);
    const step = forward > k ? 1 : forward < k ? 0 : 0.5;
    d1 = d2 = forward > k ? Number.MAX_VALUE : forward < k ? -Number.MAX_VALUE : 0;
    nd1 = nd2 = step;
    nd1m = nd2m = 1 - step;
    pdf = 0;
  }
  const decay = v > MIN_TOTAL_VOL ? (-s * carryDf * pdf * vol) / (2 * sqrtT) : 0;
  const gamma = v > MIN_TOTAL_VOL ? (carryDf * pdf) / (s * v) : 0;
  const vega = s * carryDf * pdf * sqrtT;
  if (kind === 'call') {
    return {
      price: s * carryDf * nd1 - k * df * nd2,
      delta: carryDf * nd1,
      gamma,
      vega,
      theta: decay - (b - r) * s * carryDf * nd1 - r * k * df * nd2,
      rho: 0,
      d1,
      d2,
      nd2,
      nd2m,
    };
  }
  return {
    price: k * df * nd2m - s * carryDf * nd1m,
    delta: -carryDf * nd1m,
    gamma,
    vega,
    theta: decay + (b - r) * s * carryDf * nd1m + r * k * df * nd2m,
    rho: 0,
    d1,
    d2,
    nd2,
    nd2m,
  };
}

function strip(g: Working): OptionGreeks {
  return { price: g.price, delta: g.delta, gamma: g.gamma, vega: g.vega, theta: g.theta, rho: g.rho, d1: g.d1, d2: g.d2 };
}
