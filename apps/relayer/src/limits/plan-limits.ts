import { HeldReason } from '../store/deposit-state';
import { decideLimit, type LimitRule } from './decide-limit';
import { type WindowUsage, withAdmitted } from './window';

/** One deposit of a valuation round, as the limits see it. */
export type PlanItem = {
  guid: string;
  srcEid: number;
  /** Its path (srcEid, srcVault, dstEid) as one key: order is kept per path. */
  path: string;
  nonce: bigint;
  /** Its haircut value when valuation valued it; null when valuation holds it (its own reason, its own retry). */
  value: bigint | null;
  /** Already admitted by the limits (a `limit_admission` row): counted in the window, never checked again. */
  admitted: boolean;
  /** When it became FINAL (ms). */
  finalAt: number;
  /** An operator released it (decide-limit.ts). */
  released: boolean;
};

/** The lowest-nonce deposit of a path, outside the round, that is not admitted yet and not done (it goes first). */
export type PathGate = { guid: string; nonce: bigint; reason: string | null; nextAttemptAt: number | null };

export type PlanParameters = {
  /** In the order valuation read them: by source chain, then nonce. */
  items: readonly PlanItem[];
  /** Chains with limits; a chain not in it is not limited (every item passes). */
  rules: ReadonlyMap<number, LimitRule>;
  /** Each limited chain's window at the start of the round. */
  usage: ReadonlyMap<number, WindowUsage>;
  /** Per path, its gate outside the round (if any). */
  gates: ReadonlyMap<string, PathGate>;
  now: number;
};

export type PlanOutcome =
  /** The valuation outcome stands (no limits on its chain, already admitted, or valuation holds it). */
  | { kind: 'pass' }
  | { kind: 'admit'; released: boolean; usedBefore: bigint }
  | { kind: 'hold'; reason: HeldReason.RateLimited | HeldReason.LargeTransferDelay; nextAttemptAt: number; usedBefore: bigint }
  | { kind: 'over-limit'; usedBefore: bigint }
  /** An earlier nonce of its path is not admitted: it waits behind `behind` (no check of its own yet). */
  | { kind: 'queued'; behind: string; nextAttemptAt: number };

/** Gate reasons whose `nextAttemptAt` is a limits' release time (a follower cannot go before it). */
const TIMED: readonly string[] = [HeldReason.RateLimited, HeldReason.LargeTransferDelay, HeldReason.LimitQueued];

/**
 * The limits over one valuation round (pure, deterministic). Per path, in nonce order, admission is a prefix: a deposit
 * is admitted only once every earlier nonce of its path is admitted (or done). The first one not admitted — held by
 * valuation, by a limit, or waiting outside the round — holds every later one of its path ('limit-queued'), so a
 * waiting deposit delays its path and never lets a later nonce take its room. Admissions add to their chain's window
 * for the rest of the round. A queued deposit's `nextAttemptAt` is its blocker's limit release time when it has one,
 * else now + window (an upper bound: it is woken as soon as its path clears).
 */
export function planLimits({ items, rules, usage, gates, now }: PlanParameters): { outcomes: Map<string, PlanOutcome>; usage: Map<number, WindowUsage> } {
  const windows = new Map(usage);
  const outcomes = new Map<string, PlanOutcome>();
  const blocked = new Map<string, { guid: string; wait: number }>();
  for (const item of items) {
    const rule = rules.get(item.srcEid);
    if (rule === undefined || item.admitted) {
      outcomes.set(item.guid, { kind: 'pass' });
      continue;
    }
    let blocker = blocked.get(item.path);
    const gate = gates.get(item.path);
    if (blocker === undefined && gate !== undefined && gate.nonce < item.nonce) {
      const timed = gate.reason !== null && TIMED.includes(gate.reason) && gate.nextAttemptAt !== null && gate.nextAttemptAt > now;
      blocker = { guid: gate.guid, wait: timed ? gate.nextAttemptAt! : now + rule.windowMs }; // timed checked nextAttemptAt
      blocked.set(item.path, blocker);
    }
    if (item.value === null) {
      outcomes.set(item.guid, { kind: 'pass' });
      if (blocker === undefined) blocked.set(item.path, { guid: item.guid, wait: now + rule.windowMs });
      continue;
    }
    if (blocker !== undefined) {
      outcomes.set(item.guid, { kind: 'queued', behind: blocker.guid, nextAttemptAt: blocker.wait });
      continue;
    }
    const window = windows.get(item.srcEid) ?? { used: 0n, inFlight: 0n, credited: 0n, expiries: [] };
    const decision = decideLimit({ rule, usage: window, value: item.value, finalAt: item.finalAt, now, released: item.released });
    if (decision.kind === 'admit') {
      windows.set(item.srcEid, withAdmitted(window, item.value));
      outcomes.set(item.guid, { kind: 'admit', released: decision.released, usedBefore: window.used });
    } else if (decision.kind === 'hold') {
      outcomes.set(item.guid, { kind: 'hold', reason: decision.reason, nextAttemptAt: decision.nextAttemptAt, usedBefore: window.used });
      blocked.set(item.path, { guid: item.guid, wait: decision.nextAttemptAt });
    } else {
      outcomes.set(item.guid, { kind: 'over-limit', usedBefore: window.used });
      blocked.set(item.path, { guid: item.guid, wait: now + rule.windowMs });
    }
  }
  return { outcomes, usage: windows };
}
