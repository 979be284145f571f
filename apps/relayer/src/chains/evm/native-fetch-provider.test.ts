import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { describeError } from '../../common/relayer-error';
import { isEndpointFault, NativeFetchJsonRpcProvider, RpcHttpError, RpcTransportError } from './rpc-pool';

/** A JSON-RPC endpoint whose answer the test sets. */
let answer: (body: { id: number; method: string }, res: ServerResponse) => void;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => answer(JSON.parse(text) as { id: number; method: string }, res)); // the provider sends one JSON-RPC request
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`; // TCP server: AddressInfo
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

describe('NativeFetchJsonRpcProvider', () => {
  it('returns results, turns JSON-RPC errors into ethers errors (revert data kept) and HTTP errors into endpoint faults', async () => {
    const p = new NativeFetchJsonRpcProvider(url, 2000, 1, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    try {
      answer = (b, res) => json(res, 200, { jsonrpc: '2.0', id: b.id, result: '0x2a' });
      expect(await p.getBlockNumber()).toBe(42);

      answer = (b, res) => json(res, 200, { jsonrpc: '2.0', id: b.id, error: { code: 3, message: 'execution reverted', data: '0xdeadbeef' } });
      const reverted: unknown = await p.send('eth_estimateGas', [{ to: '0x' + '11'.repeat(20), data: '0x' }, 'pending']).catch((e: unknown) => e);
      expect(reverted).toMatchObject({ code: 'CALL_EXCEPTION', data: '0xdeadbeef' });
      expect(isEndpointFault(reverted)).toBe(false);

      answer = (_b, res) => json(res, 503, { error: 'overloaded' });
      const http: unknown = await p.send('eth_blockNumber', []).catch((e: unknown) => e);
      expect(http).toBeInstanceOf(RpcHttpError);
      expect(isEndpointFault(http)).toBe(true);
    } finally {
      p.destroy();
    }
  });

  it('names a refused connection (ECONNREFUSED) and a timeout, both endpoint faults', async () => {
    const spare = createServer();
    await new Promise<void>((done) => spare.listen(0, '127.0.0.1', done));
    const port = (spare.address() as { port: number }).port; // TCP server: AddressInfo
    await new Promise((done) => spare.close(done)); // nothing listens there now
    const closed = new NativeFetchJsonRpcProvider(`http://127.0.0.1:${port}`, 2000, 1, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    const refused: unknown = await closed.send('eth_blockNumber', []).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RpcTransportError);
    expect(describeError(refused)).toContain('ECONNREFUSED');
    expect(isEndpointFault(refused)).toBe(true);
    closed.destroy();

    const slow = new NativeFetchJsonRpcProvider(url, 200, 1, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    answer = (b, res) => setTimeout(() => json(res, 200, { jsonrpc: '2.0', id: b.id, result: '0x1' }), 1000);
    const late: unknown = await slow.send('eth_blockNumber', []).catch((e: unknown) => e);
    expect(describeError(late)).toContain('timeout');
    expect(isEndpointFault(late)).toBe(true);
    slow.destroy();
  });

  it('is used for plain http(s) URLs only', () => {
    expect(NativeFetchJsonRpcProvider.handles('http://127.0.0.1:8545')).toBe(true);
    expect(NativeFetchJsonRpcProvider.handles('https://user:secret@node.example/')).toBe(false);
    expect(NativeFetchJsonRpcProvider.handles('wss://node.example/')).toBe(false);
    expect(NativeFetchJsonRpcProvider.handles('http://127.0.0.1:6666')).toBe(false); // a port fetch refuses
  });
});
