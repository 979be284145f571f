import type { Fixed } from '../money/fixed';
import type { OptionKind } from './blackScholes';

export type StrikeLeg = { readonly strike: Fixed; readonly kind: OptionKind; readonly amount: Fixed };

/**
 * Naked short size of one expiry's options (docs/risk-model.md §7), exact in Fixed. Amounts are first netted per
 * (strike, kind); then per strike the call and the put are paired: both short → both sizes; opposite signs →
 * the short's size minus min(short size, long size); a lone short → its size; longs → 0.
 */
export function nakedShorts(legs: readonly StrikeLeg[]): Fixed {
  const byStrike = new Map<bigint, { call: Fixed; put: Fixed }>();
  for (const leg of legs) {
    const net = byStrike.get(leg.strike) ?? { call: 0n, put: 0n };
    if (leg.kind === 'call') net.call += leg.amount;
    else net.put += leg.amount;
    byStrike.set(leg.strike, net);
  }
  let total = 0n;
  for (const { call, put } of byStrike.values()) {
    if (call < 0n && put < 0n) total += -call - put;
    else if (call < 0n) total += clampZero(-call - put); // put ≥ 0 covers up to its size
    else if (put < 0n) total += clampZero(-put - call);
  }
  return total;
}

function clampZero(x: Fixed): Fixed {
  return x > 0n ? x : 0n;
}
