/**
 * The sliding window of a source chain's limit (pure, exact bigint, deterministic). What counts is the haircut value
 * credited — or being credited — from the chain in the last `windowMs`:
 *  - a deposit on its way (admitted by the limits, or valued before limits were on, and not yet CREDITED) counts in
 *    full until it is credited: its expiry is not known yet;
 *  - a CREDITED deposit counts from its credit time `creditedAt` until `creditedAt + windowMs` (excluded: at that instant
 *    it no longer counts).
 */

/** One deposit the window counts: its value (USD 18 decimals) and its credit time (ms; null: still on its way). */
export type WindowEntry = { guid: string; value: bigint; creditedAt: number | null };

/** When a credited amount leaves the window (ms) and how much. */
export type WindowExpiry = { at: number; value: bigint; guid: string };

export type WindowUsage = {
  /** inFlight + credited. */
  used: bigint;
  /** Admitted, not credited yet (never expires before it is credited). */
  inFlight: bigint;
  /** Credited within the window. */
  credited: bigint;
  /** The credited entries' expiries, earliest first (ties by GUID). */
  expiries: WindowExpiry[];
};

export type WindowUsageParameters = { entries: readonly WindowEntry[]; now: number; windowMs: number };

/** The window at `now`: entries credited at or before `now − windowMs` are out. */
export function windowUsage({ entries, now, windowMs }: WindowUsageParameters): WindowUsage {
  let inFlight = 0n;
  let credited = 0n;
  const expiries: WindowExpiry[] = [];
  for (const e of entries) {
    if (e.creditedAt === null) inFlight += e.value;
    else if (e.creditedAt + windowMs > now) {
      credited += e.value;
      expiries.push({ at: e.creditedAt + windowMs, value: e.value, guid: e.guid });
    }
  }
  expiries.sort((a, b) => a.at - b.at || (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0));
  return { used: inFlight + credited, inFlight, credited, expiries };
}

/** The window after admitting `value` more (it is on its way from now on). */
export function withAdmitted(usage: WindowUsage, value: bigint): WindowUsage {
  return { ...usage, used: usage.used + value, inFlight: usage.inFlight + value };
}

export type FitTimeParameters = { usage: WindowUsage; value: bigint; limit: bigint; now: number; windowMs: number };

/**
 * The earliest time (ms) at which `value` more fits under `limit` (used + value ≤ limit: an exact fit passes, one unit
 * over does not): `now` when it fits now; else the expiry at which enough credited value has left the window. When
 * the credited part alone cannot make room (amounts on their way hold it), `now + windowMs`: nothing credited from
 * now on leaves the window earlier — the deposit is looked at again then. null when `value > limit` (it never fits).
 */
export function fitTime({ usage, value, limit, now, windowMs }: FitTimeParameters): number | null {
  if (value > limit) return null;
  if (usage.used + value <= limit) return now;
  const need = usage.used + value - limit;
  let freed = 0n;
  for (const e of usage.expiries) {
    freed += e.value;
    if (freed >= need) return e.at;
  }
  const last = usage.expiries.at(-1)?.at ?? now;
  return Math.max(now + windowMs, last);
}
