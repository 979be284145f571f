/**
 * Retry delay after the n-th failed attempt (n ≥ 1), in schedule seconds (multiplied by `retry.unitMs`).
 * Hyperlane's relayer schedule: 5 s, 10 s, 30 s, 60 s, then 3 min (retries 5–24), 5 min + 90 s·(n−25)
 * (25–39), 30 min (40–44), 60 min (45–49), then 2 h plus up to 6 h jitter.
 */
export function retryDelaySeconds(attempt: number, random: () => number = Math.random): number {
  if (attempt <= 1) return 5;
  if (attempt === 2) return 10;
  if (attempt === 3) return 30;
  if (attempt === 4) return 60;
  if (attempt <= 24) return 180;
  if (attempt <= 39) return 300 + 90 * (attempt - 25);
  if (attempt <= 44) return 1800;
  if (attempt <= 49) return 3600;
  return 7200 + Math.floor(random() * 6 * 3600);
}

/** When to try again after `attempt` failures, given the schedule unit. */
export function nextAttemptAt(now: Date, attempt: number, unitMs: number, random?: () => number): Date {
  return new Date(now.getTime() + Math.round(retryDelaySeconds(attempt, random) * unitMs));
}
