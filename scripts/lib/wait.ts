/** Polling with a deadline, and a plain sleep. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  constructor(
    readonly shortMessage: string,
    readonly details: { what: string; timeoutMs: number; last: string | undefined },
  ) {
    super(`${shortMessage}${details.last === undefined ? '' : ` (last: ${details.last})`}`);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Calls `probe` every `intervalMs` until it returns something other than undefined. Errors thrown by the probe
 * (e.g. the relayer restarting) are remembered and retried; after `timeoutMs` it fails with the last observation.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`, { what, timeoutMs, last });
    await sleep(intervalMs);
  }
}
