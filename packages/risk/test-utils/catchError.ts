/**
 * Runs `fn` and returns what it threw; fails the test if it did not throw. The tests match the error with
 * `expect(catchError(fn)).toEqual(expect.objectContaining({ field }))`: @types/jest types `expect.objectContaining` as
 * `any`, which `toThrow`'s typed parameter does not take without a lint error (`toEqual`'s generic one does).
 */
export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
