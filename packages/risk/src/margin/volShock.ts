import type { ScenarioPmParams } from './params';
import { SECONDS_PER_DAY } from './params';

export type VolShockMultipliers = { readonly up: number; readonly down: number };

const THIRTY_DAYS = 30 * SECONDS_PER_DAY;

/**
 * Vol shock multipliers of one expiry (docs/risk-model.md §7): τ = 30 days / max(secondsToExpiry, dteFloor);
 * p = shortTermPower if secondsToExpiry ≤ 30 days else longTermPower; k = τ^p;
 * up = 1 + volRangeUp · k, down = max(0, 1 − volRangeDown · k).
 */
export function volShock(secondsToExpiry: number, params: ScenarioPmParams['volShock']): VolShockMultipliers {
  const tau = THIRTY_DAYS / Math.max(secondsToExpiry, params.dteFloor);
  const power = secondsToExpiry <= THIRTY_DAYS ? params.shortTermPower : params.longTermPower;
  const k = tau ** power;
  return { up: 1 + params.volRangeUp * k, down: Math.max(0, 1 - params.volRangeDown * k) };
}
