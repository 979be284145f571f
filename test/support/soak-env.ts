/**
 * A soak's size or rate from the environment (`pnpm soak` sets them), or the npm-test default. A value that is not a
 * number ≥ 0 is an error naming the variable, never a silent NaN (a NaN fault rate would inject no fault at all).
 */
export function soakNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${raw}: expected a number ≥ 0`);
  return n;
}
