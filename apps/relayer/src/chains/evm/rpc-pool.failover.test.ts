import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Contract, isError } from 'ethers';
import { ChainRpcError } from '../chain-errors';
import { RpcPool } from './rpc-pool';

/**
 * Two real JSON-RPC endpoints on 127.0.0.1 (node:http): the first answers what the test sets, the second is healthy.
 * The pool's providers are the real ones (native fetch), so the errors are exactly what ethers makes of the answers.
 */
type Answer = (body: { id: number; method: string }, res: ServerResponse) => void;
let faulty: Answer;
const hits: { faulty: string[]; healthy: string[] } = { faulty: [], healthy: [] };
let servers: Server[] = [];
let urls: { faulty: string; healthy: string };

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
const rpcError = (code: number, message: string, data?: string): Answer => (b, res) => json(res, 200, { jsonrpc: '2.0', id: b.id, error: { code, message, ...(data === undefined ? {} : { data }) } });

function serve(handler: (body: { id: number; method: string }, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => handler(JSON.parse(text) as { id: number; method: string }, res)); // the provider sends one JSON-RPC request (batchMaxCount 1)
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, port: (server.address() as { port: number }).port }))); // TCP server: AddressInfo
}

/** A uint256 word of 42, what the healthy endpoint answers to eth_call. */
const WORD_42 = `0x${'0'.repeat(62)}2a`;

beforeAll(async () => {
  const a = await serve((b, res) => {
    hits.faulty.push(b.method);
    faulty(b, res);
  });
  const h = await serve((b, res) => {
    hits.healthy.push(b.method);
    const result = b.method === 'eth_call' ? WORD_42 : b.method === 'eth_estimateGas' ? '0x5208' : b.method === 'eth_getLogs' ? [] : '0x2a';
    json(res, 200, { jsonrpc: '2.0', id: b.id, result });
  });
  servers = [a.server, h.server];
  // The first URL carries an API key in its path: it must never be logged or shown.
  urls = { faulty: `http://127.0.0.1:${a.port}/v3/secret-api-key`, healthy: `http://127.0.0.1:${h.port}/` };
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
});

function pool(): { p: RpcPool; warnings: string[] } {
  hits.faulty = [];
  hits.healthy = [];
  const warnings: string[] = [];
  // cooldownMs 0: the faulty endpoint is tried first on every call (so "logged once" is tested on repeats).
  const p = new RpcPool({ chain: 'stub', chainId: 1, urls: [urls.faulty, urls.healthy], timeoutMs: 2000, stallMs: 60_000, cooldownMs: 0, logger: { warn: (m: string) => void warnings.push(m) } });
  return { p, warnings };
}

const CALL = { to: `0x${'11'.repeat(20)}`, data: '0x313ce567' };
const redacted = (): string => urls.faulty.replace('/v3/secret-api-key', '/…');

describe('RpcPool failover on JSON-RPC faults (every method)', () => {
  const faults: [string, Answer, string][] = [
    ['-32005 (rate limit)', rpcError(-32005, 'limit exceeded'), '-32005 limit exceeded'],
    ['HTTP 429', (_b, res) => json(res, 429, { error: 'too many requests' }), 'HTTP 429 {"error":"too many requests"}'],
    ['-32603 (internal error)', rpcError(-32603, 'internal error'), '-32603 internal error'],
    ['-32000 header not found', rpcError(-32000, 'header not found'), '-32000 header not found'],
  ];

  it.each(faults)('%s: eth_call, eth_estimateGas, eth_getLogs and eth_blockNumber answer from the second endpoint', async (_name, answer, text) => {
    faulty = answer;
    const { p, warnings } = pool();
    try {
      expect(await p.call('decimals', (provider) => provider.call(CALL))).toBe(WORD_42);
      expect(await p.call('submit.estimateGas', (provider) => provider.send('eth_estimateGas', [CALL, 'pending']))).toBe('0x5208');
      expect(await p.call('eth_getLogs', (provider) => provider.send('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x2' }]))).toEqual([]);
      expect(await p.blockNumber()).toBe(42);
      expect(hits).toEqual({ faulty: ['eth_call', 'eth_estimateGas', 'eth_getLogs', 'eth_blockNumber'], healthy: ['eth_call', 'eth_estimateGas', 'eth_getLogs', 'eth_blockNumber'] });
      const [first, second] = p.status();
      expect(first).toMatchObject({ url: redacted(), errors: 4, consecutiveErrors: 4, lastError: `eth_blockNumber: ${text}` });
      expect(second).toMatchObject({ errors: 0, calls: 4 });
      expect(warnings).toEqual([
        `stub: RPC endpoint 0 ${redacted()} failed eth_call (decimals): ${text}; failing over to endpoint 1 ${urls.healthy.replace(/\/$/, '')} (logged once per endpoint, method and code)`,
        `stub: RPC endpoint 0 ${redacted()} failed eth_estimateGas (submit.estimateGas): ${text}; failing over to endpoint 1 ${urls.healthy.replace(/\/$/, '')} (logged once per endpoint, method and code)`,
        `stub: RPC endpoint 0 ${redacted()} failed eth_getLogs: ${text}; failing over to endpoint 1 ${urls.healthy.replace(/\/$/, '')} (logged once per endpoint, method and code)`,
        `stub: RPC endpoint 0 ${redacted()} failed eth_blockNumber: ${text}; failing over to endpoint 1 ${urls.healthy.replace(/\/$/, '')} (logged once per endpoint, method and code)`,
      ]);

      // The same fault again: answered again from the second endpoint, not logged again.
      expect(await p.call('decimals', (provider) => provider.call(CALL))).toBe(WORD_42);
      expect(warnings).toHaveLength(4);
      expect(warnings.join('\n')).not.toContain('secret-api-key');
      expect(JSON.stringify(p.status())).not.toContain('secret-api-key');
    } finally {
      p.destroy();
    }
  });

  it('a contract call (ethers Contract.staticCall) rate-limited by the first endpoint is decoded from the second', async () => {
    faulty = rpcError(-32005, 'daily request count exceeded, request rate limited');
    const { p } = pool();
    try {
      const decimals = await p.call('decimals', (provider) => new Contract(CALL.to, ['function decimals() view returns (uint8)'], provider).getFunction('decimals').staticCall() as Promise<bigint>); // decimals() returns a uint8: ethers decodes it to a bigint
      expect(decimals).toBe(42n);
      expect(p.status()[0]).toMatchObject({ errors: 1, lastError: 'eth_call (decimals): -32005 daily request count exceeded, request rate limited' });
    } finally {
      p.destroy();
    }
  });

  it('a real revert is the contract answer: thrown as CALL_EXCEPTION with its data, no failover, the endpoint not blamed', async () => {
    const reverts: [string, Answer, string | null][] = [
      ['revert with data (code 3)', rpcError(3, 'execution reverted: custom error 0xdeadbeef', '0xdeadbeef'), '0xdeadbeef'],
      ['-32000 execution reverted, no data', rpcError(-32000, 'execution reverted'), null],
      ['-32603 with revert data (hardhat style)', rpcError(-32603, 'Error: VM Exception while processing transaction: reverted with custom error', '0xdeadbeef'), '0xdeadbeef'],
      ['-32603 EVM error OutOfGas (anvil, eth_call at a gas limit)', rpcError(-32603, 'EVM error OutOfGas'), null],
    ];
    for (const [name, answer, data] of reverts) {
      faulty = answer;
      const { p, warnings } = pool();
      try {
        const error: unknown = await p.call('submit.call', (provider) => provider.send('eth_call', [CALL, 'pending'])).catch((e: unknown) => e);
        // ethers' CallExceptionError carries the revert data (the isError entry checks the kind)
        expect([name, isError(error, 'CALL_EXCEPTION'), (error as { data?: unknown }).data ?? null]).toEqual([name, true, data]);
        expect([name, hits.healthy]).toEqual([name, []]);
        expect([name, p.status()[0]]).toMatchObject([name, { errors: 0, lastError: null }]);
        expect(warnings).toEqual([]);
      } finally {
        p.destroy();
      }
    }
  });

  it('throws ChainRpcError naming the last fault when every endpoint faults', async () => {
    faulty = rpcError(-32005, 'limit exceeded');
    const p = new RpcPool({ chain: 'stub', chainId: 1, urls: [urls.faulty, urls.faulty], timeoutMs: 2000, stallMs: 60_000, cooldownMs: 0, logger: { warn: () => undefined } });
    try {
      const error = await p.call('decimals', (provider) => provider.call(CALL)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChainRpcError);
      expect((error as ChainRpcError).call).toBe('decimals'); // toBeInstanceOf just checked it
    } finally {
      p.destroy();
    }
  });
});
