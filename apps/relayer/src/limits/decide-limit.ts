import { HeldReason } from '../store/deposit-state';
import { fitTime, type WindowUsage } from './window';

/** A source chain's limits, parsed (config `chains[].limits`): USD 18 decimals, milliseconds. */
export type LimitRule = {
  /** Haircut value credited or being credited from the chain within any window may not exceed this. */
  notionalLimit: bigint;
  windowMs: number;
  /** Above it (strictly) a deposit waits `largeTransferDelayMs` from its finality; null: no such delay. */
  singleTransferLimit: bigint | null;
  largeTransferDelayMs: number;
};

export type LimitDecision =
  /** Credit it: it counts in the window from now on. `released`: an operator released it from the limits. */
  | { kind: 'admit'; released: boolean }
  /** Wait until `nextAttemptAt` (ms), then look again. */
  | { kind: 'hold'; reason: HeldReason.RateLimited | HeldReason.LargeTransferDelay; nextAttemptAt: number }
  /** Its value alone is above the whole limit: it can never fit; it waits for an operator. */
  | { kind: 'over-limit' };

export type DecideLimitParameters = {
  rule: LimitRule;
  /** The chain's window now (this round's earlier admissions included). */
  usage: WindowUsage;
  /** The deposit's haircut value, USD 18 decimals. */
  value: bigint;
  /** When it became FINAL (ms): the large-transfer delay runs from there. */
  finalAt: number;
  now: number;
  /** An operator retried it while the limits held it for a large transfer or over the limit (it is released). */
  released: boolean;
};

/**
 * The limits' decision for one deposit whose turn on its path has come (pure, exact):
 *  1. released by an operator → admit (it still counts in the window);
 *  2. value > notional limit → over-limit (it would never fit: an operator decides, never the clock);
 *  3. value > single-transfer limit and now < finalAt + delay → large-transfer-delay until finalAt + delay;
 *  4. used + value ≤ limit → admit; else rate-limited until enough of the window has expired (window.ts fitTime).
 */
export function decideLimit({ rule, usage, value, finalAt, now, released }: DecideLimitParameters): LimitDecision {
  if (released) return { kind: 'admit', released: true };
  if (value > rule.notionalLimit) return { kind: 'over-limit' };
  if (rule.singleTransferLimit !== null && value > rule.singleTransferLimit) {
    const until = finalAt + rule.largeTransferDelayMs;
    if (now < until) return { kind: 'hold', reason: HeldReason.LargeTransferDelay, nextAttemptAt: until };
  }
  const at = fitTime({ usage, value, limit: rule.notionalLimit, now, windowMs: rule.windowMs });
  if (at === null) return { kind: 'over-limit' }; // value > limit, caught above; kept for the type
  if (at <= now) return { kind: 'admit', released: false };
  return { kind: 'hold', reason: HeldReason.RateLimited, nextAttemptAt: at };
}
