import { Logger } from '@nestjs/common';
import { Connection, SendTransactionError, SolanaJSONRPCError } from '@solana/web3.js';
import { describeError } from '../../common/relayer-error';
import { ChainRpcError } from '../chain-errors';
import { EndpointState } from '../endpoint-state';
import type { ProviderStatus } from '../evm/rpc-pool';
import { redactUrl } from '../evm/rpc-pool';

export type SolanaRpcParameters = {
  chain: string;
  urls: readonly string[];
  timeoutMs: number;
  cooldownMs: number;
  now?: () => number;
};

/** A Solana endpoint: its `Connection` and health (endpoint-state.ts); its block is the `confirmed` slot. */
type Endpoint = EndpointState<Connection>;

/**
 * A JSON-RPC error the node answered with that says something about the request, not the endpoint (a transaction the
 * node refuses, a skipped slot, a block not available yet): returned to the caller, never failed over.
 * Codes: -32002 preflight failure, -32003 signature verification, -32004 block not available, -32007 slot skipped,
 * -32602 invalid params. (-32009 "slot missing in long-term storage" is the endpoint's: another one may have it.)
 */
const REQUEST_ERRORS = new Set([-32002, -32003, -32004, -32007, -32602]);

export function isRequestError(error: unknown): boolean {
  // A preflight refusal (sendRawTransaction): the node's answer about the transaction.
  if (error instanceof SendTransactionError) return true;
  return error instanceof SolanaJSONRPCError && typeof error.code === 'number' && REQUEST_ERRORS.has(error.code);
}

/**
 * The endpoints of a Solana chain, each a `Connection` of @solana/web3.js 1.x, used one at a time in order of
 * preference (as RpcPool does for EVM): a call goes to the first endpoint without an error within `cooldownMs`; on a
 * fault (transport, timeout, HTTP error, a JSON-RPC error that is not about the request) the next one is tried within
 * the same call. Every call has its own timeout (web3.js has none).
 */
export class SolanaRpc {
  private readonly endpoints: Endpoint[];
  private readonly now: () => number;
  private readonly logger = new Logger('SolanaRpc');
  private readonly logged = new Set<string>();

  constructor(private readonly p: SolanaRpcParameters) {
    if (p.urls.length === 0) throw new ChainRpcError(p.chain, 'configure', new Error('no RPC URL'));
    this.endpoints = p.urls.map((url, i) => new EndpointState(i, url, new Connection(url, { commitment: 'finalized', disableRetryOnRateLimit: true })));
    this.now = p.now ?? Date.now;
  }

  /** Runs `fn` on the preferred endpoint, failing over on endpoint faults; a request error is rethrown as it is. All endpoints down: ChainRpcError. */
  async call<T>(what: string, fn: (connection: Connection) => Promise<T>): Promise<T> {
    let last: unknown;
    const order = this.ordered();
    for (const [i, ep] of order.entries()) {
      ep.calls++;
      try {
        const value = await this.withTimeout(what, fn(ep.client));
        ep.consecutiveErrors = 0;
        return value;
      } catch (error) {
        if (isRequestError(error)) throw error;
        ep.recordFault(`${what}: ${describeError(error)}`.slice(0, 300), this.now());
        last = error;
        const key = `${ep.index}|${what}`;
        if (!this.logged.has(key)) {
          this.logged.add(key);
          const next = order[i + 1];
          this.logger.warn(`${this.p.chain}: RPC endpoint ${ep.index} ${redactUrl(ep.url)} failed ${what}: ${describeError(error)}; ${next === undefined ? 'no other endpoint left' : `failing over to endpoint ${next.index} ${redactUrl(next.url)}`} (logged once per endpoint and call)`);
        }
      }
    }
    throw new ChainRpcError(this.p.chain, what, last);
  }

  /** `getSlot` at a commitment, recording the answering endpoint's slot. */
  slot(commitment: 'confirmed' | 'finalized'): Promise<number> {
    return this.call(`getSlot(${commitment})`, async (c) => {
      const slot = await c.getSlot(commitment);
      const ep = this.endpoints.find((e) => e.client === c);
      if (ep !== undefined && commitment === 'confirmed') ep.observeBlock(slot, this.now());
      return slot;
    });
  }

  /** Asks every endpoint for its slot so /health shows fresh statuses and a failing endpoint can recover. Never throws. */
  async probeAll(): Promise<void> {
    await Promise.all(
      this.endpoints.map(async (ep) => {
        ep.calls++;
        try {
          const slot = await this.withTimeout('getSlot', ep.client.getSlot('confirmed'));
          ep.observeBlock(slot, this.now());
          ep.consecutiveErrors = 0;
        } catch (error) {
          ep.recordFault(`getSlot: ${describeError(error)}`.slice(0, 300), this.now());
        }
      }),
    );
  }

  status(): ProviderStatus[] {
    const now = this.now();
    const active = this.ordered()[0];
    const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
    return this.endpoints.map((ep) => ({
      index: ep.index,
      url: redactUrl(ep.url),
      active: ep === active,
      status: ep.failing(now, this.p.cooldownMs) ? 'failing' : ep.calls === 0 ? 'unknown' : 'ok',
      lastBlock: ep.lastBlock,
      lastBlockAt: iso(ep.lastBlockAt),
      lastError: ep.lastError,
      lastErrorAt: iso(ep.lastErrorAt),
      calls: ep.calls,
      errors: ep.errors,
      consecutiveErrors: ep.consecutiveErrors,
    }));
  }

  /** Endpoints without a recent fault in config order, then the failing ones (longest-ago error first). */
  private ordered(): Endpoint[] {
    const now = this.now();
    const rank = (ep: Endpoint): number => (ep.failing(now, this.p.cooldownMs) ? 1 : 0);
    return [...this.endpoints].sort((a, b) => rank(a) - rank(b) || (rank(a) === 1 ? (a.lastErrorAt ?? 0) - (b.lastErrorAt ?? 0) : 0) || a.index - b.index);
  }

  private withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${this.p.timeoutMs} ms`)), this.p.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
