/**
 * A JSON-RPC proxy in front of one node that fails a share of the requests, for soaks and chaos tests: the relayer
 * is pointed at it instead of the node. Each request is, with probability `rate`, one fault drawn from the kinds below
 * (else forwarded untouched); the draws come from a seeded PRNG, so a run can be replayed from its seed (request
 * timing still varies). Binds 127.0.0.1 only.
 *
 * - `http-503`: an HTTP 503 with a text body (a load balancer with no healthy upstream);
 * - `reset`: the connection is closed without an answer;
 * - `rpc-error`: HTTP 200 with a JSON-RPC error (-32603) for every call of the request (batches included);
 * - `slow`: forwarded, the answer held back 300–1,500 ms (a congested node).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRng, type Rng } from '../../scripts/lib/rng';

export const FAULT_KINDS = ['http-503', 'reset', 'rpc-error', 'slow'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultyRpc = {
  /** The proxy's URL (point the relayer here). */
  url: string;
  /** Requests seen, faults injected so far by kind, and JSON-RPC calls by method (a batch counts each call). */
  stats(): { requests: number; faults: Record<FaultKind, number>; methods: Record<string, number> };
  close(): Promise<void>;
};

type JsonRpcCall = { id?: unknown; method?: unknown };

/** The calls of a JSON-RPC request body (one object, or an array for a batch); [] when it is not JSON. */
function callsOf(body: Buffer): JsonRpcCall[] {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const all: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
    return all.filter((c): c is JsonRpcCall => typeof c === 'object' && c !== null);
  } catch {
    return [];
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A JSON-RPC error answer for each call of `body` (an array for a batch). */
function rpcErrors(body: Buffer): string {
  const error = (call: JsonRpcCall) => ({ jsonrpc: '2.0', id: call.id ?? null, error: { code: -32603, message: 'injected fault (faulty-rpc)' } });
  const calls = callsOf(body);
  const batch = body.toString('utf8').trimStart().startsWith('[');
  return JSON.stringify(batch ? calls.map(error) : error(calls[0] ?? {}));
}

/** Zero faults of every kind. */
const noFaults = (): Record<FaultKind, number> => ({ 'http-503': 0, reset: 0, 'rpc-error': 0, slow: 0 });

export async function startFaultyRpc(upstream: string, options: { rate: number; seed: number }): Promise<FaultyRpc> {
  const { rate } = options;
  const rng: Rng = createRng(options.seed);
  const faults = noFaults();
  let requests = 0;
  const methods: Record<string, number> = {};

  const forward = async (body: Buffer, res: ServerResponse, delayMs: number): Promise<void> => {
    const answer = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await answer.text();
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    requests++;
    for (const c of callsOf(body)) {
      const m = typeof c.method === 'string' ? c.method : '?';
      methods[m] = (methods[m] ?? 0) + 1;
    }
    const kind: FaultKind | undefined = rng.next() < rate ? rng.pick(FAULT_KINDS) : undefined;
    if (kind !== undefined) faults[kind]++;
    switch (kind) {
      case undefined:
        return forward(body, res, 0);
      case 'http-503':
        res.writeHead(503, { 'content-type': 'text/plain' }).end('injected fault (faulty-rpc): no healthy upstream');
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'rpc-error':
        res.writeHead(200, { 'content-type': 'application/json' }).end(rpcErrors(body));
        return;
      case 'slow':
        return forward(body, res, rng.int(300, 1_500));
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // The upstream itself failed (a node stopping at the end of a run): answer as a gateway would.
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`upstream failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo; // listening on a TCP port: address() is an AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ requests, faults: { ...faults }, methods: { ...methods } }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Rewrites the relayer config at `configPath` so that each chain's `rpcUrl` is a faulty proxy in front of it (the test
 * itself keeps talking to the nodes); returns the proxies (close them after the run). Seeds: `seed` + chain index.
 */
export async function proxyConfiguredChains(configPath: string, options: { rate: number; seed: number }): Promise<FaultyRpc[]> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as { chains: { name: string; rpcUrl?: string }[] }; // the devnet's config: one rpcUrl per chain
  const proxies = await Promise.all(
    config.chains.map((c, i) => {
      if (c.rpcUrl === undefined) throw new Error(`chains.${c.name}: no rpcUrl to put a proxy in front of`);
      return startFaultyRpc(c.rpcUrl, { rate: options.rate, seed: (options.seed + i * 7919) >>> 0 });
    }),
  );
  config.chains.forEach((c, i) => (c.rpcUrl = proxies[i]!.url));
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return proxies;
}

/** The proxies' requests and faults, summed. */
export function faultTotals(proxies: readonly FaultyRpc[]): { requests: number; faulted: number; faults: Record<FaultKind, number> } {
  const faults = noFaults();
  let requests = 0;
  for (const p of proxies) {
    const s = p.stats();
    requests += s.requests;
    for (const k of FAULT_KINDS) faults[k] += s.faults[k];
  }
  return { requests, faulted: FAULT_KINDS.reduce((n, k) => n + faults[k], 0), faults };
}
