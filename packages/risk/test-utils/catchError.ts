/**
 * `catchError(fn)`: what `fn` threw (the test fails if it did not throw). The tests match the error with
 * `expect(catchError(fn)).toEqual(expect.objectContaining({ field }))`: @types/jest types `expect.objectContaining` as
 * `any`, which `toThrow`'s typed parameter does not take without a lint error (`toEqual`'s generic one does).
 * A test helper shared with the codec package's tests (tests only: the risk package itself imports nothing).
 */
export { catchError } from '../../messages/test-utils/catchError';
