import { nextAttemptAt, retryDelaySeconds } from './retry-schedule';

describe('retryDelaySeconds', () => {
  it('follows the Hyperlane schedule', () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n))).toEqual([5, 10, 30, 60]);
    expect(retryDelaySeconds(5)).toBe(180);
    expect(retryDelaySeconds(24)).toBe(180);
    expect(retryDelaySeconds(25)).toBe(300);
    expect(retryDelaySeconds(39)).toBe(300 + 90 * 14);
    expect(retryDelaySeconds(40)).toBe(1800);
    expect(retryDelaySeconds(45)).toBe(3600);
  });

  it('adds 0–6 h of jitter after retry 49', () => {
    expect(retryDelaySeconds(50, () => 0)).toBe(7200);
    expect(retryDelaySeconds(60, () => 0.999999)).toBe(7200 + Math.floor(0.999999 * 6 * 3600));
  });

  it('scales by the unit', () => {
    const now = new Date(1_000_000);
    expect(nextAttemptAt(now, 1, 1000).getTime()).toBe(1_005_000);
    expect(nextAttemptAt(now, 3, 10).getTime()).toBe(1_000_300);
  });
});
