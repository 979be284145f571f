import { createServer, type Server, type Socket } from 'node:net';
import type { JsonRpcProvider } from 'ethers';
import { ChainRpcError } from '../chain-errors';
import { RpcPool, isEndpointFault, redactUrl } from './rpc-pool';
import { stringContaining } from '../../common/matchers.fixture';

/** A provider stand-in: only what the pool calls (getBlockNumber, destroy). */
class FakeProvider {
  block = 100;
  fail: Error | undefined;
  calls = 0;
  // eslint-disable-next-line @typescript-eslint/require-await -- `fail` must reach the pool as a rejection, like a provider's error
  async getBlockNumber(): Promise<number> {
    this.calls++;
    if (this.fail !== undefined) throw this.fail;
    return this.block;
  }
  destroy(): void {}
}

const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

function pool(n: number, opts: { stallMs?: number; cooldownMs?: number } = {}): { pool: RpcPool; fakes: FakeProvider[]; clock: { t: number } } {
  const fakes = Array.from({ length: n }, () => new FakeProvider());
  const clock = { t: 1_000_000 };
  const p = new RpcPool({
    chain: 'test',
    chainId: 1,
    urls: fakes.map((_, i) => `http://node-${i}.example/v3/secret-key-${i}`),
    timeoutMs: 1000,
    stallMs: opts.stallMs ?? 120_000,
    cooldownMs: opts.cooldownMs ?? 30_000,
    now: () => clock.t,
    makeProvider: (url) => fakes[Number(/node-(\d)/.exec(url)![1])] as unknown as JsonRpcProvider, // the pool only calls getBlockNumber/destroy on it
  });
  return { pool: p, fakes, clock };
}

describe('RpcPool', () => {
  it('uses the first endpoint while it answers', async () => {
    const { pool: p, fakes } = pool(2);
    expect(await p.blockNumber()).toBe(100);
    expect([fakes[0]!.calls, fakes[1]!.calls]).toEqual([1, 0]);
    expect(p.status().map((s) => [s.active, s.status])).toEqual([
      [true, 'ok'],
      [false, 'unknown'],
    ]);
  });

  it('falls over to the next endpoint within the same call on an endpoint fault, and deprioritizes the faulty one for the cooldown', async () => {
    const { pool: p, fakes, clock } = pool(2, { cooldownMs: 30_000 });
    fakes[0]!.fail = refused();
    fakes[1]!.block = 7;
    expect(await p.blockNumber()).toBe(7);
    expect(await p.blockNumber()).toBe(7);
    expect([fakes[0]!.calls, fakes[1]!.calls]).toEqual([1, 2]); // not retried during the cooldown
    expect(p.status()[0]).toMatchObject({ status: 'failing', active: false, errors: 1, lastError: stringContaining('ECONNREFUSED') });
    expect(p.status()[1]).toMatchObject({ status: 'ok', active: true });
    fakes[0]!.fail = undefined;
    clock.t += 30_001;
    expect(await p.blockNumber()).toBe(100); // back to the preferred endpoint after the cooldown
    expect(p.status()[0]).toMatchObject({ status: 'ok', active: true, consecutiveErrors: 0 });
  });

  it('deprioritizes an endpoint whose block number has not moved for stallMs', async () => {
    const { pool: p, fakes, clock } = pool(2, { stallMs: 60_000 });
    await p.probeAll();
    clock.t += 61_000;
    fakes[1]!.block = 150; // the second one moves on, the first one stays at 100
    await p.probeAll();
    expect(p.status().map((s) => s.status)).toEqual(['stalled', 'ok']);
    expect(await p.blockNumber()).toBe(150);
    fakes[0]!.block = 151; // it moves again: preferred again
    await p.probeAll();
    expect(p.status().map((s) => [s.status, s.active])).toEqual([
      ['ok', true],
      ['ok', false],
    ]);
  });

  it('throws ChainRpcError when every endpoint faults, and passes a node answer (a revert) through without blaming the endpoint', async () => {
    const { pool: p, fakes } = pool(2);
    fakes[0]!.fail = refused();
    fakes[1]!.fail = refused();
    await expect(p.blockNumber()).rejects.toBeInstanceOf(ChainRpcError);
    const { pool: q, fakes: f2 } = pool(2);
    const revert = Object.assign(new Error('execution reverted'), { code: 'CALL_EXCEPTION' });
    f2[0]!.fail = revert;
    await expect(q.blockNumber()).rejects.toBe(revert);
    expect([f2[0]!.calls, f2[1]!.calls]).toEqual([1, 0]);
    expect(q.status()[0]).toMatchObject({ errors: 0, status: 'ok' });
  });

  it('times out a hung endpoint per call and answers from the next one (real JSON-RPC providers)', async () => {
    const held: Socket[] = [];
    const hung: Server = createServer((socket) => void held.push(socket)); // accepts, never answers
    const live: Server = createServer((socket) =>
      socket.on('data', (chunk) => {
        const id = (JSON.parse(chunk.toString().split('\r\n\r\n')[1] ?? '{}') as { id?: number }).id ?? 1; // the body of ethers' JSON-RPC request
        const body = JSON.stringify({ jsonrpc: '2.0', id, result: '0x2a' });
        socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
      }),
    );
    const listen = (s: Server): Promise<number> => new Promise((done) => s.listen(0, '127.0.0.1', () => done((s.address() as { port: number }).port))); // TCP server: AddressInfo
    const [hungPort, livePort] = [await listen(hung), await listen(live)];
    const p = new RpcPool({ chain: 'test', chainId: 1, urls: [`http://127.0.0.1:${hungPort}`, `http://127.0.0.1:${livePort}`], timeoutMs: 300, stallMs: 60_000, cooldownMs: 60_000 });
    try {
      expect(await p.blockNumber()).toBe(42);
      expect(p.status()[0]).toMatchObject({ status: 'failing', lastError: stringContaining('timeout') });
    } finally {
      p.destroy();
      for (const socket of held) socket.destroy();
      await Promise.all([hung, live].map((server) => new Promise((done) => server.close(done))));
    }
  });
});

describe('isEndpointFault / redactUrl', () => {
  it('blames the endpoint for transport errors, timeouts, HTTP errors and rate limits, not for node answers', () => {
    expect(isEndpointFault(refused())).toBe(true);
    expect(isEndpointFault({ code: 'TIMEOUT' })).toBe(true);
    expect(isEndpointFault({ code: 'SERVER_ERROR' })).toBe(true);
    expect(isEndpointFault({ code: 'UNKNOWN_ERROR', info: { error: { code: -32005, message: 'limit exceeded' } } })).toBe(true);
    expect(isEndpointFault({ code: 'CALL_EXCEPTION' })).toBe(false);
    expect(isEndpointFault({ code: 'NONCE_EXPIRED' })).toBe(false);
    expect(isEndpointFault({ code: 'UNKNOWN_ERROR', info: { error: { code: -32000, message: 'already known' } } })).toBe(false);
  });

  it('reads the JSON-RPC error inside a CALL_EXCEPTION (eth_call / eth_estimateGas): faults fail over, reverts and EVM answers do not', () => {
    const call = (error: Record<string, unknown>): unknown => ({ code: 'CALL_EXCEPTION', data: null, info: { error, payload: { method: 'eth_call' } } });
    expect(isEndpointFault(call({ code: -32005, message: 'limit exceeded' }))).toBe(true);
    expect(isEndpointFault(call({ code: 429, message: 'Too Many Requests' }))).toBe(true);
    expect(isEndpointFault(call({ code: -32603, message: 'internal error' }))).toBe(true);
    expect(isEndpointFault(call({ code: -32000, message: 'header not found' }))).toBe(true);
    expect(isEndpointFault(call({ code: -32000, message: 'missing trie node 4f3c… (path )' }))).toBe(true);
    expect(isEndpointFault(call({ code: 3, message: 'execution reverted: custom error 0xdeadbeef', data: '0xdeadbeef' }))).toBe(false);
    expect(isEndpointFault(call({ code: 3, message: 'execution reverted', data: '0x' }))).toBe(false);
    expect(isEndpointFault(call({ code: -32000, message: 'execution reverted' }))).toBe(false);
    expect(isEndpointFault(call({ code: -32603, message: 'EVM error OutOfGas' }))).toBe(false);
    expect(isEndpointFault(call({ code: -32003, message: 'Out of gas: gas required exceeds allowance: 30000000' }))).toBe(false);
    expect(isEndpointFault(call({ code: -32602, message: 'invalid params' }))).toBe(false);
    expect(isEndpointFault({ code: 'INSUFFICIENT_FUNDS', info: { error: { code: -32000, message: 'insufficient funds for gas * price + value' } } })).toBe(false);
    expect(isEndpointFault({ code: 'UNKNOWN_ERROR', error: { code: -32000, message: 'nonce too low' } })).toBe(false);
    expect(isEndpointFault({ code: 'UNKNOWN_ERROR', error: { code: -32603, message: 'request failed' } })).toBe(true);
  });

  it('keeps scheme, host and port only', () => {
    expect(redactUrl('https://mainnet.infura.io/v3/abcdef')).toBe('https://mainnet.infura.io/…');
    expect(redactUrl('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545');
    expect(redactUrl('wss://node.example:443/?key=1')).toBe('wss://node.example/…');
  });
});
