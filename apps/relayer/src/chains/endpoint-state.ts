/**
 * What a chain's RPC pool knows of one endpoint (evm/rpc-pool.ts, solana/solana-rpc.ts): its calls and faults, and the
 * newest block (slot) it answered, for ordering the endpoints and for /health. `C` is the family's client.
 */
export class EndpointState<C> {
  calls = 0;
  errors = 0;
  consecutiveErrors = 0;
  lastError: string | null = null;
  lastErrorAt: number | null = null;
  lastBlock: number | null = null;
  lastBlockAt: number | null = null;
  lastSeenAt: number | null = null;

  constructor(
    readonly index: number,
    readonly url: string,
    readonly client: C,
  ) {}

  /** Faulted within the cooldown (and not answered since). */
  failing(now: number, cooldownMs: number): boolean {
    return this.consecutiveErrors > 0 && this.lastErrorAt !== null && now - this.lastErrorAt < cooldownMs;
  }

  /** Its block has not moved for longer than `stallMs` between two of its answers. */
  stalled(stallMs: number): boolean {
    return this.lastBlockAt !== null && this.lastSeenAt !== null && this.lastSeenAt - this.lastBlockAt > stallMs;
  }

  observeBlock(block: number, now: number): void {
    if (this.lastBlock === null || block > this.lastBlock) {
      this.lastBlock = block;
      this.lastBlockAt = now;
    }
    this.lastSeenAt = now;
  }

  /** A fault of the endpoint (not an answer about the request): counted, and shown in /health as `text`. */
  recordFault(text: string, now: number): void {
    this.errors++;
    this.consecutiveErrors++;
    this.lastError = text;
    this.lastErrorAt = now;
  }
}
