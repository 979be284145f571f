import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AbiCoder, Interface } from 'ethers';
import { FIXTURE_ENV, fixtureConfig } from '../../config/config.fixture';
import { buildConfig } from '../../config/load-config';
import { HeldReason } from '../../store/deposit-state';
import { feedHoldReason } from '../../valuation/feed-price';
import { FeedCallError, FeedMissingError } from '../chain-errors';
import { FEED_ABI } from './abis';
import { EvmChainAdapter } from './evm-chain-adapter';

/**
 * readFeed against two real JSON-RPC endpoints (node:http on 127.0.0.1) that answer alike: a feed without code, a feed
 * that reverts, a feed answering garbage, a working one. A feed problem is the feed's: thrown as a feed error (held
 * feed-missing / feed-error), answered by the first endpoint, which is not blamed (the second is never asked).
 */
const FEED = `0x${'fe'.repeat(20)}`;
const feedInterface = new Interface(FEED_ABI);
type Mode = 'no-code' | 'reverts' | 'garbage' | 'ok';
let mode: Mode = 'ok';
const hits: string[][] = [[], []];
const servers: Server[] = [];
const urls: string[] = [];

function answer(method: string, params: unknown[]): { result?: unknown; error?: unknown } {
  if (method === 'eth_getBlockByNumber')
    return { result: { number: '0x64', hash: `0x${'ab'.repeat(32)}`, parentHash: `0x${'cd'.repeat(32)}`, timestamp: '0x6553f100', gasLimit: '0x1c9c380', gasUsed: '0x0', transactions: [], difficulty: '0x0', nonce: '0x0000000000000000', miner: `0x${'00'.repeat(20)}`, extraData: '0x', baseFeePerGas: '0x1' } };
  if (method === 'eth_getCode') return { result: mode === 'no-code' ? '0x' : '0x6080' };
  if (method !== 'eth_call') return { error: { code: -32601, message: `the method ${method} does not exist` } };
  const data = (params[0] as { data: string }).data; // eth_call's first parameter is the call object
  if (mode === 'no-code') return { result: '0x' };
  if (mode === 'reverts') return { error: { code: 3, message: 'execution reverted: feed paused', data: '0x08c379a0' + AbiCoder.defaultAbiCoder().encode(['string'], ['feed paused']).slice(2) } };
  if (mode === 'garbage') return { result: '0x1234' };
  if (data === feedInterface.getFunction('decimals')!.selector) return { result: AbiCoder.defaultAbiCoder().encode(['uint8'], [8]) };
  return { result: AbiCoder.defaultAbiCoder().encode(['uint80', 'int256', 'uint256', 'uint256', 'uint80'], [7, 200_000_000_000n, 1_700_000_000, 1_700_000_001, 7]) };
}

beforeAll(async () => {
  for (const i of [0, 1]) {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const b = JSON.parse(text) as { id: number; method: string; params: unknown[] }; // one JSON-RPC request (batchMaxCount 1)
        hits[i]!.push(b.method);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: b.id, ...answer(b.method, b.params) }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as { port: number }).port}`); // TCP server: AddressInfo
  }
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
});

function adapter(): EvmChainAdapter {
  const base = fixtureConfig();
  const config = buildConfig({ ...base, chains: base.chains.map((c) => (c.role === 'destination' ? { ...c, rpcUrl: undefined, rpcUrls: urls } : c)) }, { env: FIXTURE_ENV, baseDir: '/tmp' });
  hits[0] = [];
  hits[1] = [];
  return new EvmChainAdapter(config.chains.find((c) => c.role === 'destination')!);
}

describe('EvmChainAdapter.readFeed: feed problems are feed problems', () => {
  it('a feed address without code: FeedMissingError (feed-missing), the endpoint not blamed, no failover', async () => {
    mode = 'no-code';
    const a = adapter();
    try {
      const error = await a.readFeed(FEED).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FeedMissingError);
      expect(error).toMatchObject({ name: 'FeedMissingError', feed: FEED, block: 'latest' });
      expect(feedHoldReason(error)).toBe(HeldReason.FeedMissing);
      expect(hits).toEqual([['eth_call', 'eth_getCode'], []]);
      expect(a.rpcStatus().map((s) => [s.status, s.errors, s.lastError])).toEqual([
        ['ok', 0, null],
        ['unknown', 0, null],
      ]);
    } finally {
      a.destroy();
    }
  });

  it('a feed that reverts, or answers garbage: FeedCallError (feed-error), the endpoint not blamed', async () => {
    for (const m of ['reverts', 'garbage'] as const) {
      mode = m;
      const a = adapter();
      try {
        const error = await a.readFeed(FEED).catch((e: unknown) => e);
        expect([m, error instanceof FeedCallError, (error as FeedCallError).call]).toEqual([m, true, 'decimals']); // the instanceof entry checks the cast
        expect(feedHoldReason(error)).toBe(HeldReason.FeedError);
        expect([m, hits[1]]).toEqual([m, []]);
        expect(a.rpcStatus()[0]).toMatchObject({ status: 'ok', errors: 0, lastError: null });
      } finally {
        a.destroy();
      }
    }
  });

  it('a working feed: its round, decimals read once', async () => {
    mode = 'ok';
    const a = adapter();
    try {
      expect(await a.readFeed(FEED)).toEqual({ roundId: 7n, answer: 200_000_000_000n, decimals: 8, updatedAt: 1_700_000_001n, blockTimestamp: 0x6553f100n });
      await a.readFeed(FEED);
      expect(hits[0]).toEqual(['eth_call', 'eth_getBlockByNumber', 'eth_call', 'eth_getBlockByNumber', 'eth_call']);
    } finally {
      a.destroy();
    }
  });
});
