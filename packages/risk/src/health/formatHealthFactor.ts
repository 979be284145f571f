import { type Fixed, formatDecimal } from '../money/fixed';
import { INFINITE_HEALTH_FACTOR } from './accountHealth';

/** "1.333333333333333333", or "infinite" for an account without debt. */
export function formatHealthFactor(hf: Fixed): string {
  return hf === INFINITE_HEALTH_FACTOR ? 'infinite' : formatDecimal(hf, 18, 6);
}
