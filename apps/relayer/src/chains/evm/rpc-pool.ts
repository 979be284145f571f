import { Logger } from '@nestjs/common';
import { FetchRequest, type JsonRpcApiProviderOptions, type JsonRpcPayload, JsonRpcProvider, type JsonRpcResult } from 'ethers';
import { describeError, RelayerError } from '../../common/relayer-error';
import { ChainRpcError } from '../chain-errors';
import { EndpointState } from '../endpoint-state';

/** One endpoint as /health and /metrics show it. The URL is redacted: paths and queries often hold API keys. */
export type ProviderStatus = {
  index: number;
  url: string;
  /** The endpoint calls go to first right now. */
  active: boolean;
  /** ok: answered last time and its head moves; failing: errored within the cooldown; stalled: head did not move for rpcStallMs; unknown: not called yet. */
  status: 'ok' | 'failing' | 'stalled' | 'unknown';
  lastBlock: number | null;
  /** When its block number last increased (ISO). */
  lastBlockAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  calls: number;
  errors: number;
  consecutiveErrors: number;
};

export type RpcPoolParameters = {
  chain: string;
  chainId: number;
  urls: readonly string[];
  /** Per-call timeout. */
  timeoutMs: number;
  /** No new block between two answers this far apart → stalled. */
  stallMs: number;
  /** Deprioritized this long after an error. */
  cooldownMs: number;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
  /** Builds the provider of one URL (tests pass fakes). */
  makeProvider?: (url: string, chainId: number, timeoutMs: number) => JsonRpcProvider;
  /** Where failovers are logged (default: the Nest logger 'RpcPool'). */
  logger?: Pick<Logger, 'warn'>;
};

/**
 * An ethers v6 JSON-RPC provider with no request cache (a cached nonce or head is wrong on fast chains), a per-call
 * timeout, no request batching (one slow call cannot hold up others) and a static network (no detection loop).
 */
export function makeJsonRpcProvider(url: string, chainId: number, timeoutMs: number): JsonRpcProvider {
  const options = { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1, pollingInterval: 1000 };
  if (NativeFetchJsonRpcProvider.handles(url)) return new NativeFetchJsonRpcProvider(url, timeoutMs, chainId, options);
  const request = new FetchRequest(url);
  request.timeout = timeoutMs;
  return new JsonRpcProvider(request, chainId, options);
}

/** An RPC endpoint answered with an HTTP error status (`code` as ethers names it, so it counts as an endpoint fault). */
export class RpcHttpError extends RelayerError {
  override readonly name = 'RpcHttpError' as const;
  readonly code = 'SERVER_ERROR' as const;
  /** The request's JSON-RPC method (as ethers errors carry it), when it was one request. */
  readonly payload: { method: string } | undefined;
  constructor(readonly status: number, body: string, method?: string) {
    super(`HTTP ${status} from the RPC endpoint`, { details: { status, body, method } });
    this.payload = method === undefined ? undefined : { method };
  }
}

/** Ports the fetch standard refuses to connect to ("bad port"); an endpoint on one of them goes through FetchRequest. */
const FETCH_BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139,
  143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659,
  4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/**
 * The request never got an answer: a refused or reset connection (`code` from the socket, e.g. ECONNREFUSED), or no
 * answer within the timeout (`code` TIMEOUT, as ethers names it). Always an endpoint fault.
 */
export class RpcTransportError extends RelayerError {
  override readonly name = 'RpcTransportError' as const;
  constructor(readonly code: string, message: string, cause: unknown) {
    super(message, { details: { code }, cause });
  }

  /** undici reports "fetch failed" and keeps the socket error in `cause`; a timeout is an AbortSignal's TimeoutError. */
  static from(error: unknown, timeoutMs: number): RpcTransportError {
    // what undici and AbortSignal errors carry, every field optional and typeof-checked before use
    const e = error as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return new RpcTransportError('TIMEOUT', `request timeout after ${timeoutMs} ms`, error);
    const code = typeof e.cause?.code === 'string' ? e.cause.code : 'NETWORK_ERROR';
    const detail = typeof e.cause?.message === 'string' ? e.cause.message : String(e.message ?? error);
    return new RpcTransportError(code, `${code}: ${detail}`, error);
  }
}

/**
 * The same provider with its transport on Node's own fetch and JSON: ethers' FetchRequest encodes and decodes every
 * body through its JavaScript UTF-8 codec, which on a 2 MB eth_getLogs answer or a 80 KB eth_estimateGas request
 * costs more than the call. JSON-RPC errors in the answer are still turned into ethers errors by the base class.
 * Transport failures stay endpoint faults: the timeout (AbortSignal), a refused connection, an HTTP error status
 * (`SERVER_ERROR`), an unreadable answer. Used for plain http(s) URLs (credentials in the URL go through FetchRequest).
 */
export class NativeFetchJsonRpcProvider extends JsonRpcProvider {
  static handles(url: string): boolean {
    try {
      const u = new URL(url);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '' && !FETCH_BAD_PORTS.has(Number(u.port));
    } catch {
      return false;
    }
  }

  constructor(
    private readonly endpoint: string,
    private readonly timeoutMs: number,
    chainId: number,
    options: JsonRpcApiProviderOptions,
  ) {
    super(endpoint, chainId, options);
  }

  // ethers types the answers as JsonRpcResult[]; error answers travel in the same array (the base class turns them into errors).
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(this.timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw RpcTransportError.from(error, this.timeoutMs);
    }
    if (!response.ok) throw new RpcHttpError(response.status, text.slice(0, 200), Array.isArray(payload) ? undefined : payload.method);
    const body = JSON.parse(text) as JsonRpcResult | JsonRpcResult[]; // a JSON-RPC answer (or a batch of them); see the note above
    return Array.isArray(body) ? body : [body];
  }
}

/** `https://host:port/…` — scheme, host and port only. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 || u.search !== '' ? '/…' : ''}`;
  } catch {
    return '(invalid url)';
  }
}

/** ethers error codes that mean the node answered (a revert, a nonce problem, bad arguments): not the endpoint's fault. */
const NODE_ANSWERED = new Set(['CALL_EXCEPTION', 'INSUFFICIENT_FUNDS', 'NONCE_EXPIRED', 'REPLACEMENT_UNDERPRICED', 'TRANSACTION_REPLACED', 'INVALID_ARGUMENT', 'ACTION_REJECTED', 'NUMERIC_FAULT']);
/**
 * JSON-RPC error codes that blame the endpoint: -32005 limit exceeded (rate limit), 429 (a rate limit in the body),
 * -32603 internal error, -32000 server error (header not found, missing trie node, execution timeout…) — unless the
 * message says it is the EVM's or the transaction's own answer (below).
 */
const ENDPOINT_RPC_CODES = new Set([-32005, -32603, -32000, 429]);
/**
 * Messages of a deterministic answer, which every node gives for the same request: a revert, out of gas, an EVM
 * error (anvil answers -32603 "EVM error OutOfGas"), a transaction's validation (nonce, funds, fees, known).
 */
const NODE_ANSWER_MESSAGE =
  /revert|out of gas|gas required exceeds|evm error|invalid opcode|invalid jump|stack (underflow|overflow)|intrinsic gas|insufficient funds|nonce|already known|already imported|known transaction|replacement transaction|underpriced|exceeds block gas limit|fee cap|max fee per gas|priority fee|transaction type not supported|exceeds the configured cap|oversized data|sender not an eoa/i;

/** The JSON-RPC error object of the node's answer inside an ethers error (`info.error`, or `error` for UNKNOWN_ERROR). */
export type RpcErrorBody = { code: number; message: string; data?: unknown };

export function rpcErrorBody(error: unknown): RpcErrorBody | undefined {
  const e = error as { error?: unknown; info?: { error?: unknown } } | null; // ethers errors keep the node's error object there
  const body = (e?.info?.error ?? e?.error) as { code?: unknown; message?: unknown; data?: unknown } | undefined; // a JSON-RPC error object when `code` is a number
  if (body === undefined || body === null || typeof body.code !== 'number') return undefined;
  return { code: body.code, message: typeof body.message === 'string' ? body.message : '', data: body.data };
}

/**
 * True when the node's JSON-RPC error blames the endpoint (rate limit, internal error, a -32000 that is not a
 * revert): another endpoint may answer. A real revert (error data present, or "execution reverted") is the
 * contract's answer whatever the code.
 */
export function isEndpointRpcError(body: RpcErrorBody): boolean {
  if (typeof body.data === 'string' && /^0x[0-9a-fA-F]*$/.test(body.data)) return false;
  if (NODE_ANSWER_MESSAGE.test(body.message)) return false;
  return ENDPOINT_RPC_CODES.has(body.code);
}

/**
 * True when the error says the endpoint failed us (connection refused, timeout, HTTP error status, unreadable answer,
 * rate limit, internal error), so another endpoint may do better; false when the node answered with an error that any
 * node would give (a revert, a nonce or funds error, bad arguments). ethers turns every error answer to `eth_call` /
 * `eth_estimateGas` into CALL_EXCEPTION: the JSON-RPC error inside decides.
 */
export function isEndpointFault(error: unknown): boolean {
  const body = rpcErrorBody(error);
  if (body !== undefined && isEndpointRpcError(body)) return true;
  const e = error as { code?: unknown }; // ethers errors and node's system errors carry `code`
  if (typeof e.code === 'string' && NODE_ANSWERED.has(e.code)) return false;
  // Any other error answer of the node (invalid params, an unlisted code): not the endpoint's fault.
  if (e.code === 'UNKNOWN_ERROR' && body !== undefined) return false;
  return true;
}

/** What a failover names: the JSON-RPC method, the node's code (JSON-RPC code, HTTP status, socket code) and message. */
export type EndpointFault = { method: string; code: string; message: string };

/** The fault of `error` (an endpoint fault) during `what`, with `url` redacted out of the message. */
export function describeFault(error: unknown, what: string, url: string): EndpointFault {
  const e = error as { payload?: { method?: unknown }; info?: { payload?: { method?: unknown } }; code?: unknown; status?: unknown } | null; // ethers keeps the request in `payload`
  const sent = e?.info?.payload?.method ?? e?.payload?.method;
  const method = typeof sent === 'string' ? (sent === what ? what : `${sent} (${what})`) : what;
  const body = rpcErrorBody(error);
  let code: string;
  let message: string;
  if (body !== undefined) [code, message] = [String(body.code), body.message];
  else if (error instanceof RpcHttpError) [code, message] = [`HTTP ${error.status}`, typeof error.details['body'] === 'string' ? error.details['body'] : '']; // the constructor's body text
  else [code, message] = [typeof e?.code === 'string' ? e.code : 'ERROR', describeError(error)];
  return { method, code, message: message.split(url).join(redactUrl(url)).slice(0, 300) };
}

/** One line: `method: code message` (as /health shows an endpoint's last error). */
export function faultText(f: EndpointFault): string {
  return `${f.method}: ${f.code} ${f.message}`.trimEnd();
}

/** An EVM endpoint: its ethers provider and health (endpoint-state.ts). */
type Endpoint = EndpointState<JsonRpcProvider>;

/**
 * Several endpoints of one chain, used one at a time in order of preference. A call goes to the first endpoint that
 * is neither failing (an endpoint fault within `cooldownMs`) nor stalled (block number unchanged for `stallMs`);
 * on an endpoint fault the next one is tried within the same call, on every method (a rate limit or an internal
 * error in the body of an `eth_call` answer included: isEndpointFault). Errors the node answered with (reverts,
 * nonce errors) are returned as they are, without blaming the endpoint. Each failover is logged once per (endpoint,
 * method, code), URL redacted; an endpoint's last fault is in `status()` (/health). When every endpoint is failing or
 * stalled they are still tried, in order, so one bad status never leaves the chain without a client.
 */
export class RpcPool {
  private readonly endpoints: Endpoint[];
  private readonly now: () => number;
  private readonly logger: Pick<Logger, 'warn'>;
  /** Failovers already logged, by endpoint, method and code (each is logged once). */
  private readonly logged = new Set<string>();

  constructor(private readonly p: RpcPoolParameters) {
    if (p.urls.length === 0) throw new ChainRpcError(p.chain, 'configure', new Error('no RPC URL'));
    const make = p.makeProvider ?? makeJsonRpcProvider;
    this.endpoints = p.urls.map((url, i) => new EndpointState(i, url, make(url, p.chainId, p.timeoutMs)));
    this.now = p.now ?? Date.now;
    this.logger = p.logger ?? new Logger('RpcPool');
  }

  /**
   * Runs `fn` against the preferred endpoint, falling over to the next on an endpoint fault. When every endpoint
   * faulted: ChainRpcError. An error the node answered with is rethrown as it is (callers decode reverts from it).
   */
  call<T>(what: string, fn: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
    return this.run(what, (ep) => fn(ep.client));
  }

  /** `call`, with any error — a node's answer included — as a ChainRpcError naming the chain and the call (reads whose errors are not decoded). */
  async read<T>(what: string, fn: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
    try {
      return await this.call(what, fn);
    } catch (error) {
      if (error instanceof ChainRpcError) throw error;
      throw new ChainRpcError(this.p.chain, what, error);
    }
  }

  /** eth_blockNumber, also feeding the answering endpoint's stall detection. */
  blockNumber(): Promise<number> {
    return this.run('eth_blockNumber', async (ep) => {
      const block = await ep.client.getBlockNumber();
      ep.observeBlock(block, this.now());
      return block;
    });
  }

  /** Asks every endpoint for its block number (for /health), so deprioritized ones can recover. Never throws. */
  async probeAll(): Promise<void> {
    await Promise.all(
      this.endpoints.map(async (ep) => {
        try {
          await this.attempt(ep, 'eth_blockNumber', async () => {
            const block = await ep.client.getBlockNumber();
            ep.observeBlock(block, this.now());
          });
        } catch {
          // recorded on the endpoint by attempt()
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
      status: ep.failing(now, this.p.cooldownMs) ? 'failing' : ep.stalled(this.p.stallMs) ? 'stalled' : ep.calls === 0 ? 'unknown' : 'ok',
      lastBlock: ep.lastBlock,
      lastBlockAt: iso(ep.lastBlockAt),
      lastError: ep.lastError,
      lastErrorAt: iso(ep.lastErrorAt),
      calls: ep.calls,
      errors: ep.errors,
      consecutiveErrors: ep.consecutiveErrors,
    }));
  }

  destroy(): void {
    for (const ep of this.endpoints) ep.client.destroy();
  }

  /** Healthy endpoints in config order, then the stalled, then the failing (longest-ago error first). */
  private ordered(): Endpoint[] {
    const now = this.now();
    const rank = (ep: Endpoint): number => (ep.failing(now, this.p.cooldownMs) ? 2 : ep.stalled(this.p.stallMs) ? 1 : 0);
    return [...this.endpoints].sort((a, b) => rank(a) - rank(b) || (rank(a) === 2 ? (a.lastErrorAt ?? 0) - (b.lastErrorAt ?? 0) : 0) || a.index - b.index);
  }

  private async run<T>(what: string, fn: (ep: Endpoint) => Promise<T>): Promise<T> {
    let last: unknown;
    const order = this.ordered();
    for (const [i, ep] of order.entries()) {
      try {
        return await this.attempt(ep, what, () => fn(ep));
      } catch (error) {
        if (!isEndpointFault(error)) throw error; // the node's own answer (a revert…): the caller decodes it
        last = error;
        this.logFailover(ep, describeFault(error, what, ep.url), order[i + 1]);
      }
    }
    throw new ChainRpcError(this.p.chain, what, last);
  }

  /** Once per (endpoint, method, code): which endpoint (redacted) failed which method, with the node's code and message. */
  private logFailover(ep: Endpoint, fault: EndpointFault, next: Endpoint | undefined): void {
    const key = `${ep.index}|${fault.method}|${fault.code}`;
    if (this.logged.has(key)) return;
    this.logged.add(key);
    const then = next === undefined ? 'no other endpoint left' : `failing over to endpoint ${next.index} ${redactUrl(next.url)}`;
    this.logger.warn(`${this.p.chain}: RPC endpoint ${ep.index} ${redactUrl(ep.url)} failed ${fault.method}: ${fault.code} ${fault.message}; ${then} (logged once per endpoint, method and code)`);
  }

  private async attempt<T>(ep: Endpoint, what: string, fn: () => Promise<T>): Promise<T> {
    ep.calls++;
    try {
      const value = await fn();
      ep.consecutiveErrors = 0;
      return value;
    } catch (error) {
      if (isEndpointFault(error)) {
        ep.recordFault(faultText(describeFault(error, what, ep.url)), this.now());
      }
      throw error;
    }
  }
}
