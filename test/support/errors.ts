import { inspect } from 'node:util';

/** A caught value for a failure message: an Error as `Name: message`, anything else through util.inspect (never `[object Object]`). */
export function errorText(e: unknown): string {
  return e instanceof Error ? String(e) : inspect(e);
}

/** A caught value's message: an Error's `message`, anything else as String() gives it. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
