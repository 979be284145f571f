import { InvalidInputError } from '../errors';
import { abs, formatDecimal, toFloat, type Fixed } from '../money/fixed';
import type { StrikeLeg } from './nakedShorts';
import { SECONDS_PER_YEAR } from './params';
import type { Market, Portfolio } from './types';

/** One option, as floats for the model, with ln(F/K) precomputed. */
export type PreparedOption = {
  readonly strike: number;
  readonly amount: number;
  readonly vol: number;
  readonly isCall: boolean;
  readonly logMoneyness: number;
};

/** One expiry that holds at least one option. `confidence` is cₑ (already including c₀). */
export type PreparedExpiry = {
  readonly expiry: string;
  readonly secondsToExpiry: number;
  readonly time: number;
  readonly sqrtTime: number;
  readonly forward: number;
  readonly rate: number;
  readonly confidence: number;
  readonly options: PreparedOption[];
  readonly legs: StrikeLeg[];
  /** Σ |amount| of the expiry's options, exact. */
  readonly grossAmount: Fixed;
};

export type PreparedInputs = {
  readonly cash: Fixed;
  readonly base: number;
  readonly perpAmount: number;
  readonly perpEntryPrice: number;
  readonly perpPrice: number;
  readonly spot: number;
  readonly stablePrice: number;
  /** c₀ = min(spot confidence, perp confidence if perp ≠ 0). */
  readonly confidence: number;
  readonly expiries: PreparedExpiry[];
};

/**
 * Validates a portfolio and market and turns them into floats for the model. Errors are InvalidInputError
 * naming the field as in the CLI JSON (`portfolio.options[2].strike`, `market.expiries[0].vol`, …).
 * Rules: spot, stablePrice, forwards, strikes > 0; perpPrice > 0 when a perp is held; base ≥ 0 (long only);
 * vols ≥ 0; confidences in [0, 1] (absent → 1); secondsToExpiry ≥ 0; expiry labels unique and every option's
 * expiry listed in the market.
 */
export function prepareInputs(portfolio: Portfolio, market: Market): PreparedInputs {
  const base = portfolio.base ?? 0n;
  if (base < 0n) fail('portfolio.base', 'must be ≥ 0 (base is long-only)', base);
  positive(market.spot, 'market.spot');
  positive(market.stablePrice, 'market.stablePrice');
  const perpAmount = portfolio.perp?.amount ?? 0n;
  const perpEntryPrice = portfolio.perp?.entryPrice ?? 0n;
  if (perpEntryPrice < 0n) fail('portfolio.perp.entryPrice', 'must be ≥ 0', perpEntryPrice);
  let perpPrice = 0;
  if (perpAmount !== 0n) {
    if (market.perpPrice === undefined) fail('market.perpPrice', 'is required when the portfolio holds a perp', undefined);
    perpPrice = toFloat(positive(market.perpPrice, 'market.perpPrice'));
  }
  const spotConfidence = confidence(market.spotConfidence, 'market.spotConfidence');
  const perpConfidence = confidence(market.perpConfidence, 'market.perpConfidence');
  const c0 = perpAmount !== 0n ? Math.min(spotConfidence, perpConfidence) : spotConfidence;

  type Slot = { index: number; prepared: PreparedExpiry; volConfidence: number; vol: number };
  const slots = new Map<string, Slot>();
  (market.expiries ?? []).forEach((e, i) => {
    const path = `market.expiries[${i}]`;
    if (typeof e.expiry !== 'string' || e.expiry.length === 0) fail(`${path}.expiry`, 'must be a non-empty string', e.expiry);
    if (slots.has(e.expiry)) fail(`${path}.expiry`, 'is listed twice', e.expiry);
    if (!(Number.isFinite(e.secondsToExpiry) && e.secondsToExpiry >= 0)) fail(`${path}.secondsToExpiry`, 'must be finite and ≥ 0', e.secondsToExpiry);
    if (!Number.isFinite(e.rate)) fail(`${path}.rate`, 'must be finite', e.rate);
    const time = e.secondsToExpiry / SECONDS_PER_YEAR;
    slots.set(e.expiry, {
      index: i,
      vol: nonNegative(e.vol, `${path}.vol`),
      volConfidence: confidence(e.volConfidence, `${path}.volConfidence`),
      prepared: {
        expiry: e.expiry,
        secondsToExpiry: e.secondsToExpiry,
        time,
        sqrtTime: Math.sqrt(time),
        forward: toFloat(positive(e.forward, `${path}.forward`)),
        rate: e.rate,
        confidence: Math.min(c0, confidence(e.forwardConfidence, `${path}.forwardConfidence`), confidence(e.rateConfidence, `${path}.rateConfidence`)),
        options: [],
        legs: [],
        grossAmount: 0n,
      },
    });
  });

  const used = new Map<string, { index: number; prepared: PreparedExpiry }>();
  (portfolio.options ?? []).forEach((o, i) => {
    const path = `portfolio.options[${i}]`;
    const slot = slots.get(o.expiry);
    if (slot === undefined) fail(`${path}.expiry`, 'is not one of market.expiries', o.expiry);
    if (o.kind !== 'call' && o.kind !== 'put') fail(`${path}.kind`, 'must be "call" or "put"', o.kind);
    const strike = toFloat(positive(o.strike, `${path}.strike`));
    const vol = o.vol === undefined ? slot.vol : nonNegative(o.vol, `${path}.vol`);
    const volConfidence = o.volConfidence === undefined ? slot.volConfidence : confidence(o.volConfidence, `${path}.volConfidence`);
    const p = slot.prepared;
    const prepared: PreparedExpiry = {
      ...p,
      confidence: Math.min(p.confidence, volConfidence),
      grossAmount: p.grossAmount + abs(o.amount),
    };
    prepared.options.push({ strike, amount: toFloat(o.amount), vol, isCall: o.kind === 'call', logMoneyness: Math.log(p.forward / strike) });
    prepared.legs.push({ strike: o.strike, kind: o.kind, amount: o.amount });
    slot.prepared = prepared;
    used.set(o.expiry, slot);
  });

  return {
    cash: portfolio.cash ?? 0n,
    base: toFloat(base),
    perpAmount: toFloat(perpAmount),
    perpEntryPrice: toFloat(perpEntryPrice),
    perpPrice,
    spot: toFloat(market.spot),
    stablePrice: toFloat(market.stablePrice),
    confidence: c0,
    expiries: [...used.values()].sort((a, b) => a.index - b.index).map((s) => s.prepared),
  };
}

function fail(field: string, rule: string, value: unknown): never {
  throw new InvalidInputError(rule, { field, details: { value: typeof value === 'bigint' ? formatDecimal(value) : value } });
}

function positive(x: Fixed, field: string): Fixed {
  if (typeof x !== 'bigint' || x <= 0n) fail(field, 'must be > 0', x);
  return x;
}

function nonNegative(x: number, field: string): number {
  if (!(typeof x === 'number' && Number.isFinite(x) && x >= 0)) fail(field, 'must be finite and ≥ 0', x);
  return x;
}

function confidence(x: number | undefined, field: string): number {
  if (x === undefined) return 1;
  if (!(typeof x === 'number' && x >= 0 && x <= 1)) fail(field, 'must be in [0, 1]', x);
  return x;
}
