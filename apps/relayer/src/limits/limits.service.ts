import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { HeldReason } from '../store/deposit-state';
import type { Deposit } from '../store/deposit.entity';
import type { DepositPatch } from '../store/transition';
import type { LimitRule } from './decide-limit';
import { type Admission, LIMIT_REASONS, type LimitHold, LimitsRepository, pathKey, type RoundPath } from './limits.repository';
import { type PlanItem, type PlanOutcome, planLimits } from './plan-limits';
import { formatUsd, parseUsd, usdGauge } from './usd';
import { type WindowUsage, windowUsage } from './window';

/** One deposit of a valuation round: its row and, when valuation valued it, its haircut value and valuation fields. */
export type LimitsRoundItem = { deposit: Deposit; valued: { haircutValue: bigint; patch: DepositPatch } | null };

/** A source chain's limits as GET /limits shows them (USD: 18-decimal integer strings; times ISO). */
export type LimitsChainView = {
  chain: string;
  eid: number;
  /** false: no `limits` block for this chain (nothing below is set). */
  enabled: boolean;
  notionalLimitUsd: string | null;
  windowSeconds: number | null;
  singleTransferLimitUsd: string | null;
  largeTransferDelaySeconds: number | null;
  /** Credited (in the window) + on its way. */
  usedUsd: string | null;
  creditedUsd: string | null;
  inFlightUsd: string | null;
  /** max(0, limit − used). */
  remainingUsd: string | null;
  /** When the earliest credited amount leaves the window, and how much. */
  nextExpiryAt: string | null;
  nextExpiryUsd: string | null;
  /** Deposits the limits hold now, per reason. */
  waiting: Record<string, number>;
};

/**
 * The limits of each source chain (config `chains[].limits`, docs/two-way-book.md "Limits"), applied where valuation
 * decides VALUED vs HELD: the window is read from the store each round (persisted: a restart does not reset it), the
 * decision is the pure `planLimits`, admissions and holds are written before the VALUED ones.
 */
@Injectable()
export class LimitsService {
  private readonly logger = new Logger(LimitsService.name);
  /** eid → rule, for the chains with limits. */
  readonly rules: ReadonlyMap<number, LimitRule>;
  /** The first round after boot looks at every timed limits hold again (the limits may have changed). */
  private firstRound = true;

  constructor(
    private readonly config: AppConfig,
    private readonly repo: LimitsRepository,
    private readonly clock: Clock,
    private readonly metrics: MetricsRegistry,
  ) {
    const rules = new Map<number, LimitRule>();
    for (const c of config.chains) {
      if (c.limits === undefined) continue;
      rules.set(c.eid, {
        notionalLimit: parseUsd(c.limits.notionalLimitUsd),
        windowMs: c.limits.windowSeconds * 1000,
        singleTransferLimit: c.limits.singleTransferLimitUsd === undefined ? null : parseUsd(c.limits.singleTransferLimitUsd),
        largeTransferDelayMs: c.limits.largeTransferDelaySeconds * 1000,
      });
    }
    this.rules = rules;
  }

  /**
   * Limits holds to look at this round besides what is due (wakeable in limits.repository.ts), at most `limit`, not
   * already in `due`.
   */
  async wakeable(now: Date, due: readonly Deposit[], limit: number): Promise<Deposit[]> {
    const all = this.firstRound;
    this.firstRound = false;
    const seen = new Set(due.map((d) => d.guid));
    const rows = await this.repo.wakeable({ now: now.getTime(), limited: [...this.rules.keys()], all, limit });
    return rows.filter((d) => !seen.has(d.guid));
  }

  /** Each limited chain's window now; sets the gauges. */
  async windows(now: Date): Promise<Map<number, WindowUsage>> {
    const out = new Map<number, WindowUsage>();
    for (const [eid, rule] of this.rules) {
      const usage = windowUsage({ entries: await this.repo.windowEntries(eid, now.getTime(), rule.windowMs), now: now.getTime(), windowMs: rule.windowMs });
      out.set(eid, usage);
      this.setGauges(eid, rule, usage);
    }
    return out;
  }

  /**
   * The limits over a valuation round (`items` in the order valuation read them): which valued deposits go on
   * (`pass`), and the admissions and holds to write. Chains without limits pass untouched, without a read.
   */
  async plan(now: Date, items: readonly LimitsRoundItem[], usage: ReadonlyMap<number, WindowUsage>): Promise<{ pass: Set<string>; admissions: Admission[]; holds: LimitHold[] }> {
    const limited = items.filter((i) => this.rules.has(i.deposit.srcEid));
    if (limited.length === 0) return { pass: new Set(items.map((i) => i.deposit.guid)), admissions: [], holds: [] };
    const inputs = await this.repo.inputs(limited.map((i) => i.deposit.guid));
    const paths = new Map<string, RoundPath & { guids: string[] }>();
    for (const { deposit: d } of limited) {
      const k = pathKey(d);
      const p = paths.get(k);
      if (p === undefined) paths.set(k, { srcEid: d.srcEid, srcVault: d.srcVault, dstEid: d.dstEid, guids: [d.guid], maxNonce: d.nonce });
      else {
        p.guids.push(d.guid);
        if (d.nonce > p.maxNonce) p.maxNonce = d.nonce;
      }
    }
    const gates = await this.repo.gates([...paths.values()]);
    const planItems: PlanItem[] = items.map(({ deposit: d, valued }) => ({
      guid: d.guid,
      srcEid: d.srcEid,
      path: pathKey(d),
      nonce: d.nonce,
      value: valued?.haircutValue ?? null,
      admitted: inputs.admitted.has(d.guid),
      finalAt: inputs.finalAt.get(d.guid) ?? d.createdAt.getTime(),
      released: inputs.released.has(d.guid),
    }));
    const { outcomes } = planLimits({ items: planItems, rules: this.rules, usage, gates, now: now.getTime() });
    const pass = new Set<string>();
    const admissions: Admission[] = [];
    const holds: LimitHold[] = [];
    for (const { deposit: d, valued } of items) {
      const outcome = outcomes.get(d.guid) ?? { kind: 'pass' };
      if (outcome.kind === 'pass') pass.add(d.guid);
      else if (outcome.kind === 'admit') {
        pass.add(d.guid);
        admissions.push({ guid: d.guid, srcEid: d.srcEid, haircutValue: valued!.haircutValue, released: outcome.released }); // admit only for valued items
        if (outcome.released) this.logger.warn(`deposit ${d.guid} released from the limits by an operator retry (${formatUsd(valued!.haircutValue)} USD)`);
      } else holds.push(this.holdOf(d, valued!, outcome, this.rules.get(d.srcEid)!)); // limits outcomes other than pass are for valued items of limited chains
    }
    return { pass, admissions, holds };
  }

  /** Writes the round's admissions and holds (before the VALUED ones); returns the GUIDs held. */
  async record(admissions: readonly Admission[], holds: readonly LimitHold[]): Promise<string[]> {
    if (admissions.length === 0 && holds.length === 0) return [];
    const held = await this.repo.record(admissions, holds, this.clock.now());
    const written = new Set(held);
    for (const h of holds) if (written.has(h.guid) && h.reason !== HeldReason.LimitQueued) this.logger.warn(`deposit ${h.guid} ${h.reason}: ${h.reasonDetail}`);
    return held;
  }

  /** GET /limits: every source chain, limited or not. */
  async status(): Promise<{ at: string; chains: LimitsChainView[] }> {
    const now = this.clock.now();
    const windows = await this.windows(now);
    const chains: LimitsChainView[] = [];
    for (const c of this.config.chains.filter((x) => x.role === 'source')) {
      const rule = this.rules.get(c.eid);
      const usage = windows.get(c.eid);
      if (rule === undefined || usage === undefined) {
        chains.push({ chain: c.name, eid: c.eid, enabled: false, notionalLimitUsd: null, windowSeconds: null, singleTransferLimitUsd: null, largeTransferDelaySeconds: null, usedUsd: null, creditedUsd: null, inFlightUsd: null, remainingUsd: null, nextExpiryAt: null, nextExpiryUsd: null, waiting: {} });
        continue;
      }
      const waiting = await this.repo.waiting(c.eid);
      const next = usage.expiries[0];
      chains.push({
        chain: c.name,
        eid: c.eid,
        enabled: true,
        notionalLimitUsd: rule.notionalLimit.toString(),
        windowSeconds: rule.windowMs / 1000,
        singleTransferLimitUsd: rule.singleTransferLimit?.toString() ?? null,
        largeTransferDelaySeconds: rule.largeTransferDelayMs / 1000,
        usedUsd: usage.used.toString(),
        creditedUsd: usage.credited.toString(),
        inFlightUsd: usage.inFlight.toString(),
        remainingUsd: remaining(rule, usage).toString(),
        nextExpiryAt: next === undefined ? null : new Date(next.at).toISOString(),
        nextExpiryUsd: next?.value.toString() ?? null,
        waiting: Object.fromEntries(LIMIT_REASONS.map((r) => [r, waiting.get(r) ?? 0])),
      });
    }
    return { at: now.toISOString(), chains };
  }

  private setGauges(eid: number, rule: LimitRule, usage: WindowUsage): void {
    const chain = this.config.chains.find((c) => c.eid === eid)?.name ?? String(eid);
    this.metrics.set('ccr_limit_used_usd', { chain, eid }, usdGauge(usage.used));
    this.metrics.set('ccr_limit_remaining_usd', { chain, eid }, usdGauge(remaining(rule, usage)));
  }

  private holdOf(d: Deposit, valued: { haircutValue: bigint; patch: DepositPatch }, outcome: Exclude<PlanOutcome, { kind: 'pass' } | { kind: 'admit' }>, rule: LimitRule): LimitHold {
     
    const { valuedAt: _valuedAt, attempts: _attempts, nextAttemptAt: _next, ...valuation } = valued.patch;
    const value = formatUsd(valued.haircutValue);
    const limit = formatUsd(rule.notionalLimit);
    const base = { guid: d.guid, from: d.state, valuation };
    switch (outcome.kind) {
      case 'hold': {
        const at = new Date(outcome.nextAttemptAt);
        const reasonDetail =
          outcome.reason === HeldReason.RateLimited
            ? `${value} USD would take the chain's window to ${formatUsd(outcome.usedBefore + valued.haircutValue)} USD, over its ${limit} USD limit per ${rule.windowMs / 1000}s; it fits at ${at.toISOString()}`
            : `${value} USD is above the chain's single-transfer limit of ${formatUsd(rule.singleTransferLimit ?? 0n)} USD: it waits ${rule.largeTransferDelayMs / 1000}s from its finality, until ${at.toISOString()} (an operator retry releases it)`;
        return { ...base, reason: outcome.reason, nextAttemptAt: at, reasonDetail, detail: { haircutValue: valued.haircutValue, usedUsd: outcome.usedBefore, limitUsd: rule.notionalLimit, nextAttemptAt: at.toISOString() } };
      }
      case 'over-limit':
        return {
          ...base,
          reason: HeldReason.OverLimit,
          nextAttemptAt: null,
          reasonDetail: `${value} USD alone is above the chain's whole limit of ${limit} USD per ${rule.windowMs / 1000}s: it can never fit and waits for an operator (POST /admin/deposits/${d.guid}/retry releases it)`,
          detail: { haircutValue: valued.haircutValue, limitUsd: rule.notionalLimit },
        };
      case 'queued': {
        const at = new Date(outcome.nextAttemptAt);
        return {
          ...base,
          reason: HeldReason.LimitQueued,
          nextAttemptAt: at,
          reasonDetail: `waits behind ${outcome.behind}, an earlier nonce of its path the limits have not let through (the limits never reorder a path); looked at again by ${at.toISOString()} or as soon as that one goes`,
          detail: { behind: outcome.behind, nextAttemptAt: at.toISOString() },
        };
      }
    }
  }
}

function remaining(rule: LimitRule, usage: WindowUsage): bigint {
  return usage.used >= rule.notionalLimit ? 0n : rule.notionalLimit - usage.used;
}
