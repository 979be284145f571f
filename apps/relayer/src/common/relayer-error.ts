/**
 * Every error the relayer raises on purpose extends RelayerError: a literal `name`, a one-line `shortMessage`
 * and structured `details` (bigints allowed; `toJSON` turns them into strings).
 */
export type RelayerErrorParameters = {
  details?: Record<string, unknown> | undefined;
  cause?: unknown;
};

export abstract class RelayerError extends Error {
  abstract override readonly name: string;
  readonly shortMessage: string;
  readonly details: Record<string, unknown>;

  constructor(shortMessage: string, parameters: RelayerErrorParameters = {}) {
    super(shortMessage, parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details ?? {};
  }

  toJSON(): Record<string, unknown> {
    return { error: this.name, message: this.shortMessage, details: toJsonSafe(this.details) };
  }
}

/** Deep copy with bigints as decimal strings, so any value can go through JSON.stringify. */
export function toJsonSafe<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

/** A short, single-line description of any thrown value, for logs and `reason` details. */
export function describeError(error: unknown): string {
  if (error instanceof RelayerError) return `${error.name}: ${error.shortMessage}`;
  if (error instanceof Error) {
    // ethers errors carry a `shortMessage`; prefer it over the long dump in `message`.
    const short = (error as Error & { shortMessage?: unknown }).shortMessage;
    return `${error.name}: ${typeof short === 'string' ? short : error.message.split('\n')[0]}`;
  }
  return String(error);
}
