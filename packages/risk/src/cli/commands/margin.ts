import { InvalidInputError } from '../../errors';
import { formatDecimal, parseDecimal, type Fixed } from '../../money/fixed';
import { parseParams } from '../../margin/parseParams';
import { portfolioGreeks } from '../../margin/portfolioGreeks';
import { scenarioMargin } from '../../margin/scenarioMargin';
import type { ExpiryMarket, Market, OptionPosition, Portfolio } from '../../margin/types';
import type { CliCommand } from '../command';
import { isUnsafeInteger, unsafeIntegerError } from '../../money/readJson';
import { array, fixed, float, join, object, optional, required, string } from '../input';

/**
 * `risk margin --input file.json`: the scenario portfolio margin (docs/risk-model.md §9). Numbers may be JSON
 * numbers or decimal strings; `params` is "test" (default), "mainnet" or an object; unknown keys are refused so
 * a typo never silently drops a position. Output decimals carry at least 6 fractional digits.
 */
export const command: CliCommand = {
  name: 'margin',
  description: 'Scenario portfolio margin (PMRM-style): IM, MM, MtM, worst scenario, contingencies, greeks.',
  run: (input: unknown) => runMargin(input),
};

export type MarginOutput = {
  model: 'scenario-pm';
  params: string;
  im: string;
  mm: string;
  mtm: string;
  worstScenario: { spotShock: string; vol: string; loss: string };
  worst: string;
  basisContingency: string;
  staticContingency: string;
  confidenceContingency: string;
  imFactor: string;
  expiries: Array<Record<string, string | number>>;
  greeks: { delta: string; gamma: string; vega: string; theta: string };
  id?: unknown;
};

export function runMargin(input: unknown): MarginOutput {
  const o = object(input, '');
  onlyKeys(o, ['id', 'model', 'params', 'market', 'portfolio'], '');
  const model = optional(o, 'model', string, '');
  if (model !== undefined && model !== 'scenario-pm')
    throw new InvalidInputError('unknown model; expected "scenario-pm"', { field: 'model', details: { model } });
  const params = parseParams(o.params, 'params');
  const market = parseMarket(required(o, 'market', object, ''));
  const portfolio = parsePortfolio(required(o, 'portfolio', object, ''));
  const r = scenarioMargin({ portfolio, market, params });
  const g = portfolioGreeks(portfolio, market);
  const out: MarginOutput = {
    model: 'scenario-pm',
    params: typeof o.params === 'string' ? o.params : o.params === undefined || o.params === null ? 'test' : 'custom',
    im: dec(r.im),
    mm: dec(r.mm),
    mtm: dec(r.mtm),
    worstScenario: { spotShock: num(r.worstScenario.spotShock), vol: r.worstScenario.vol, loss: dec(r.worstScenario.loss) },
    worst: dec(r.worst),
    basisContingency: dec(r.basisContingency),
    staticContingency: dec(r.staticContingency),
    confidenceContingency: dec(r.confidenceContingency),
    imFactor: num(r.imFactor),
    expiries: r.expiries.map((e) => ({
      expiry: e.expiry,
      secondsToExpiry: e.secondsToExpiry,
      mtm: dec(e.mtm),
      basisContingency: dec(e.basisContingency),
      volShockUp: num(e.volShockUp),
      volShockDown: num(e.volShockDown),
      staticDiscount: num(e.staticDiscount),
      nakedShorts: dec(e.nakedShorts),
      optionContingency: dec(e.optionContingency),
      confidence: num(e.confidence),
    })),
    greeks: { delta: num(g.delta), gamma: num(g.gamma), vega: num(g.vega), theta: num(g.theta) },
  };
  if (o.id !== undefined) out.id = o.id;
  return out;
}

function parseMarket(m: Record<string, unknown>): Market {
  const f = 'market';
  onlyKeys(m, ['spot', 'spotConfidence', 'stablePrice', 'perpPrice', 'perpConfidence', 'expiries'], f);
  return {
    spot: required(m, 'spot', money, f),
    spotConfidence: optional(m, 'spotConfidence', float, f),
    stablePrice: required(m, 'stablePrice', money, f),
    perpPrice: optional(m, 'perpPrice', money, f),
    perpConfidence: optional(m, 'perpConfidence', float, f),
    expiries: (optional(m, 'expiries', array, f) ?? []).map((item, i): ExpiryMarket => {
      const p = `${f}.expiries[${i}]`;
      const e = object(item, p);
      onlyKeys(e, ['expiry', 'secondsToExpiry', 'forward', 'forwardConfidence', 'rate', 'rateConfidence', 'vol', 'volConfidence'], p);
      return {
        expiry: required(e, 'expiry', string, p),
        secondsToExpiry: required(e, 'secondsToExpiry', float, p),
        forward: required(e, 'forward', money, p),
        forwardConfidence: optional(e, 'forwardConfidence', float, p),
        rate: required(e, 'rate', float, p),
        rateConfidence: optional(e, 'rateConfidence', float, p),
        vol: required(e, 'vol', float, p),
        volConfidence: optional(e, 'volConfidence', float, p),
      };
    }),
  };
}

function parsePortfolio(o: Record<string, unknown>): Portfolio {
  const f = 'portfolio';
  onlyKeys(o, ['cash', 'base', 'perp', 'options'], f);
  const perp = optional(o, 'perp', object, f);
  if (perp !== undefined) onlyKeys(perp, ['amount', 'entryPrice'], `${f}.perp`);
  return {
    cash: optional(o, 'cash', money, f),
    base: optional(o, 'base', money, f),
    perp: perp === undefined ? undefined : { amount: required(perp, 'amount', money, `${f}.perp`), entryPrice: required(perp, 'entryPrice', money, `${f}.perp`) },
    options: (optional(o, 'options', array, f) ?? []).map((item, i): OptionPosition => {
      const p = `${f}.options[${i}]`;
      const x = object(item, p);
      onlyKeys(x, ['expiry', 'strike', 'kind', 'amount', 'vol', 'volConfidence'], p);
      const kind = required(x, 'kind', string, p);
      if (kind !== 'call' && kind !== 'put') throw new InvalidInputError('must be "call" or "put"', { field: `${p}.kind`, details: { kind } });
      return {
        expiry: required(x, 'expiry', string, p),
        strike: required(x, 'strike', money, p),
        kind,
        amount: required(x, 'amount', money, p),
        vol: optional(x, 'vol', float, p),
        volConfidence: optional(x, 'volConfidence', float, p),
      };
    }),
  };
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(o))
    if (!allowed.includes(key))
      throw new InvalidInputError(`unknown field; expected one of ${allowed.join(', ')}`, { field: join(field, key) });
}

/**
 * A money decimal (JSON number or string) → Fixed, exact. A JSON number is read by its shortest round-trip text
 * (2004.7545 → "2004.7545"), not by the double's exact binary expansion, which `fixed` alone would refuse.
 */
function money(value: unknown, field: string): Fixed {
  if (isUnsafeInteger(value)) throw unsafeIntegerError(value, field);
  return fixed(typeof value === 'number' && Number.isFinite(value) ? shortestDecimal(value) : value, field);
}

/** String(x) without exponent: 1e-7 → "0.0000001", 1.5e+21 → "1500000000000000000000". */
export function shortestDecimal(x: number): string {
  const text = String(x);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (m === null) return text;
  const [, sign = '', int = '', frac = '', exponent = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A Fixed as a decimal with at least 6 fractional digits. */
function dec(x: Fixed): string {
  return formatDecimal(x, 18, 6);
}

/** A model float (a parameter or a factor) by its shortest round-trip text, at least 6 fractional digits. */
function num(x: number): string {
  return dec(parseDecimal(shortestDecimal(x), 18, 'half-up'));
}
