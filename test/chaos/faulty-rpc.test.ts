import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAULT_KINDS, startFaultyRpc, type FaultyRpc } from '../support/faulty-rpc';

/** An upstream JSON-RPC node that answers every call with its method name. */
async function upstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { id: number; method: string } | { id: number; method: string }[]; // the test's own requests
      const answer = (c: { id: number; method: string }) => ({ jsonrpc: '2.0', id: c.id, result: c.method });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }; // a TCP listener: address() is an AddressInfo
}

type Outcome = 'ok' | 'http-503' | 'reset' | 'rpc-error';

async function call(url: string, body: unknown): Promise<{ outcome: Outcome; ms: number; json?: unknown }> {
  const t0 = Date.now();
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status === 503) return { outcome: 'http-503', ms: Date.now() - t0 };
    const json: unknown = await res.json();
    const first: unknown = Array.isArray(json) ? json[0] : json;
    const isError = typeof first === 'object' && first !== null && 'error' in first;
    return { outcome: isError ? 'rpc-error' : 'ok', ms: Date.now() - t0, json };
  } catch {
    return { outcome: 'reset', ms: Date.now() - t0 };
  }
}

describe('faulty-rpc (the soaks’ fault proxy)', () => {
  let node: { url: string; server: Server };
  let proxy: FaultyRpc | undefined;
  beforeAll(async () => (node = await upstream()));
  afterEach(async () => proxy?.close());
  afterAll(() => new Promise<void>((r) => node.server.close(() => r())));

  it('forwards untouched at rate 0 and counts calls by method (a batch counts each call)', async () => {
    proxy = await startFaultyRpc(node.url, { rate: 0, seed: 1 });
    expect(await call(proxy.url, { jsonrpc: '2.0', id: 7, method: 'eth_blockNumber' })).toMatchObject({ outcome: 'ok', json: { id: 7, result: 'eth_blockNumber' } });
    const batch = await call(proxy.url, [{ jsonrpc: '2.0', id: 1, method: 'eth_call' }, { jsonrpc: '2.0', id: 2, method: 'eth_call' }]);
    expect(batch.json).toEqual([{ jsonrpc: '2.0', id: 1, result: 'eth_call' }, { jsonrpc: '2.0', id: 2, result: 'eth_call' }]);
    expect(proxy.stats()).toEqual({ requests: 2, faults: { 'http-503': 0, reset: 0, 'rpc-error': 0, slow: 0 }, methods: { eth_blockNumber: 1, eth_call: 2 } });
  });

  it('at rate 1 fails every request with one of the four kinds, as counted', async () => {
    proxy = await startFaultyRpc(node.url, { rate: 1, seed: 42 });
    const seen: Record<string, number> = { ok: 0, 'http-503': 0, reset: 0, 'rpc-error': 0 };
    let slowOk = 0;
    for (let i = 0; i < 40; i++) {
      const r = await call(proxy.url, [{ jsonrpc: '2.0', id: i, method: 'getSlot' }]);
      seen[r.outcome]!++;
      if (r.outcome === 'ok' && r.ms >= 300) slowOk++;
    }
    const { faults, requests } = proxy.stats();
    expect(requests).toBe(40);
    for (const k of FAULT_KINDS) expect({ kind: k, n: faults[k] > 0 }).toEqual({ kind: k, n: true });
    // A slow answer is the only fault that still answers, and it takes at least 300 ms.
    expect({ ok: seen.ok, slowOk, '503': seen['http-503'], reset: seen.reset, rpcError: seen['rpc-error'] }).toEqual({
      ok: faults.slow,
      slowOk: faults.slow,
      '503': faults['http-503'],
      reset: faults.reset,
      rpcError: faults['rpc-error'],
    });
  });

  it('answers an rpc-error fault with one JSON-RPC error per call of a batch, ids kept', async () => {
    // The draws are seeded: take the first seed whose first draw is an rpc-error fault.
    let seed = 0;
    for (; seed < 1000; seed++) {
      proxy = await startFaultyRpc(node.url, { rate: 1, seed });
      const r = await call(proxy.url, [{ jsonrpc: '2.0', id: 3, method: 'a' }, { jsonrpc: '2.0', id: 4, method: 'b' }]);
      const stats = proxy.stats();
      await proxy.close();
      proxy = undefined;
      if (stats.faults['rpc-error'] === 1) {
        expect(r.json).toEqual([
          { jsonrpc: '2.0', id: 3, error: { code: -32603, message: 'injected fault (faulty-rpc)' } },
          { jsonrpc: '2.0', id: 4, error: { code: -32603, message: 'injected fault (faulty-rpc)' } },
        ]);
        return;
      }
    }
    throw new Error('no seed below 1000 draws an rpc-error first');
  });
});
