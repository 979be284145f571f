import { InvalidNumberError } from '../errors';
import { fromFloat, toFloat } from '../money/fixed';
import { black76Price } from './blackScholes';
import { nakedShorts } from './nakedShorts';
import { TEST_PARAMS, type ScenarioPmParams } from './params';
import { prepareInputs, type PreparedExpiry } from './prepareInputs';
import type { ExpiryBreakdown, Market, Portfolio, ScenarioMarginResult } from './types';
import { validateParams } from './validateParams';
import { volShock } from './volShock';

export type ScenarioMarginParameters = {
  readonly portfolio: Portfolio;
  readonly market: Market;
  /** Defaults to the "test" set. */
  readonly params?: ScenarioPmParams | undefined;
};

/**
 * Scenario portfolio margin of one account on one underlying, PMRM-style (docs/risk-model.md §7).
 *
 * The model runs in float64 (Black-76, discount factor 1). Everything except cash is then converted to 18-dp
 * Fixed rounding DOWN (towards −∞: IM and MM are "collateral minus requirement", so rounding down never
 * overstates them) and cash is added exactly, so adding cash moves IM and MM by exactly that amount.
 * A non-finite intermediate throws InvalidNumberError; invalid inputs throw InvalidInputError naming the field.
 */
export function scenarioMargin({ portfolio, market, params = TEST_PARAMS }: ScenarioMarginParameters): ScenarioMarginResult {
  validateParams(params);
  const input = prepareInputs(portfolio, market);
  const { spot: S, stablePrice, base, perpAmount, perpPrice } = input;
  const { basis, contingency, margin } = params;
  const scenarios = params.scenarios;
  const logShock = scenarios.map((s) => Math.log(s.spotShock));
  const losses = new Float64Array(scenarios.length);

  let basisTotal = 0;
  let expiryMtm = 0;
  let optionContingencyTotal = 0;
  let confidenceContingency = 0;
  const breakdown: ExpiryBreakdown[] = [];
  for (const e of input.expiries) {
    const m = expiryMtm0(e);
    const up = expiryMtmAt(e, Math.log(basis.spotUp), basis.spotUp, 1) - m;
    const down = expiryMtmAt(e, Math.log(basis.spotDown), basis.spotDown, 1) - m;
    const b = Math.min(up, down, 0) * (basis.addFactor + basis.multFactor * e.time);
    const shock = volShock(e.secondsToExpiry, params.volShock);
    const discount = margin.baseStaticDiscount * Math.exp(-e.time * (e.rate * margin.rateMultScale + margin.rateAddScale));
    for (let j = 0; j < scenarios.length; j++) {
      const s = scenarios[j]!;
      const volMultiplier = s.vol === 'up' ? shock.up : s.vol === 'down' ? shock.down : 1;
      let shocked = expiryMtmAt(e, logShock[j]!, s.spotShock, volMultiplier);
      if (shocked > 0) shocked *= discount;
      losses[j]! += shocked - m;
    }
    const naked = nakedShorts(e.legs);
    const optionContingency = toFloat(naked) * contingency.optionPercent * S;
    confidenceContingency += confidencePenalty(e.confidence, toFloat(e.grossAmount), S, params);
    basisTotal += b;
    expiryMtm += m;
    optionContingencyTotal += optionContingency;
    breakdown.push({
      expiry: e.expiry,
      secondsToExpiry: e.secondsToExpiry,
      mtm: fromFloat(finite(m, `mtm of expiry ${e.expiry}`), 'down'),
      basisContingency: fromFloat(finite(b, `basis contingency of expiry ${e.expiry}`), 'down'),
      volShockUp: shock.up,
      volShockDown: shock.down,
      staticDiscount: discount,
      nakedShorts: naked,
      optionContingency: fromFloat(finite(optionContingency, `option contingency of expiry ${e.expiry}`), 'up'),
      confidence: e.confidence,
    });
  }

  let worstIndex = 0;
  for (let j = 0; j < scenarios.length; j++) {
    const s = scenarios[j]!.spotShock;
    losses[j]! += (base * S * (s - 1)) / stablePrice + perpAmount * (s - 1) * perpPrice;
    finite(losses[j]!, `loss of scenario ${j}`);
    if (losses[j]! < losses[worstIndex]!) worstIndex = j;
  }
  const worstLoss = finite(losses[worstIndex]!, 'worst scenario loss');
  const staticContingency = finite(
    Math.abs(perpAmount) * contingency.perpPercent * S + base * contingency.basePercent * S + optionContingencyTotal,
    'static contingency',
  );
  // Every term is ≤ 0, so worst ≤ 0 and (with f ≥ 1) IM ≤ MM holds in float too.
  const worst = finite(Math.min(finite(basisTotal, 'basis contingency'), worstLoss) - staticContingency, 'worst');
  const mtmExCash = finite((base * S) / stablePrice + perpAmount * (perpPrice - input.perpEntryPrice) + expiryMtm, 'mtm');
  const imFactor = margin.imFactor + Math.max(0, contingency.pegLossThreshold - stablePrice) * contingency.pegLossFactor;
  confidenceContingency = finite(
    confidenceContingency + confidencePenalty(input.confidence, Math.abs(perpAmount) + base, S, params),
    'confidence contingency',
  );
  const worstScenario = scenarios[worstIndex]!;
  return {
    im: input.cash + fromFloat(finite(worst * imFactor - confidenceContingency + mtmExCash, 'im'), 'down'),
    mm: input.cash + fromFloat(finite(worst + mtmExCash, 'mm'), 'down'),
    mtm: input.cash + fromFloat(mtmExCash, 'down'),
    worst: fromFloat(worst, 'down'),
    worstScenario: { spotShock: worstScenario.spotShock, vol: worstScenario.vol, loss: fromFloat(worstLoss, 'down') },
    basisContingency: fromFloat(basisTotal, 'down'),
    staticContingency: fromFloat(staticContingency, 'up'),
    confidenceContingency: fromFloat(confidenceContingency, 'up'),
    imFactor,
    expiries: breakdown,
  };
}

/** MtMₑ(1, 1) = Σ amount · Black76(F, K, σ, T). */
function expiryMtm0(e: PreparedExpiry): number {
  return expiryMtmAt(e, 0, 1, 1);
}

/** MtMₑ(s, m) = Σ amount · Black76(F·s, K, σ·m, T), with ln s passed in so ln(F·s/K) = ln(F/K) + ln s. */
function expiryMtmAt(e: PreparedExpiry, logShock: number, shock: number, volMultiplier: number): number {
  const forward = e.forward * shock;
  const volScale = volMultiplier * e.sqrtTime;
  let total = 0;
  for (const o of e.options) total += o.amount * black76Price(forward, o.strike, o.logMoneyness + logShock, o.vol * volScale, o.isCall);
  return total;
}

/** g(c, amt) = (1 − c) · confMargin · amt · S if c < confThreshold, else 0. */
function confidencePenalty(confidence: number, amount: number, spot: number, params: ScenarioPmParams): number {
  const { confThreshold, confMargin } = params.contingency;
  return confidence < confThreshold ? (1 - confidence) * confMargin * amount * spot : 0;
}

function finite(x: number, what: string): number {
  if (!Number.isFinite(x)) throw new InvalidNumberError(`${what} is not finite`, { details: { value: String(x) } });
  return x;
}
