/**
 * jest's asymmetric matchers, typed for where they stand. @types/jest declares them `any`, which would flow unchecked
 * into the expected object around them; these are the same matchers (same checks), typed `unknown`.
 */

/** expect.stringContaining: a string that contains `text`. */
export const stringContaining = (text: string): unknown => expect.stringContaining(text);

/** expect.stringMatching: a string that matches `pattern`. */
export const stringMatching = (pattern: string | RegExp): unknown => expect.stringMatching(pattern);

/** expect.any(String): any string. */
export const anyString = (): unknown => expect.any(String);

/** expect.objectContaining for `toThrow`: the thrown error carries these fields. */
export function errorContaining(fields: Record<string, unknown>): Error {
  return expect.objectContaining(fields) as Error; // toThrow's parameter is typed Error; jest compares the thrown error with a matcher there too
}

/** expect.any(Number): any number. */
export const anyNumber = (): unknown => expect.any(Number);

/** expect.objectContaining: an object with (at least) these properties, each equal or matching. */
export const objectContaining = (properties: Record<string, unknown>): unknown => expect.objectContaining(properties);
