/** The Solana adapter's endpoints (apps/relayer/src/chains/solana/solana-rpc.ts): a dead endpoint is failed over within the call and shown failing. */
import { PublicKey } from '@solana/web3.js';
import { ChainRpcError } from '../../apps/relayer/src/chains/chain-errors';
import { SolanaRpc } from '../../apps/relayer/src/chains/solana/solana-rpc';
import { startSvmRpc, type SvmRpc } from '../support/svm-rpc';

let rpc: SvmRpc;

beforeAll(async () => {
  rpc = await startSvmRpc({ finalityLagSlots: 4, slotMs: 50 });
});

afterAll(async () => {
  await rpc?.stop();
});

test('a refused connection fails over to the next endpoint in the same call; /health shows which', async () => {
  const pool = new SolanaRpc({ chain: 'sol', urls: ['http://127.0.0.1:1', rpc.url], timeoutMs: 2000, cooldownMs: 60_000 });
  const slot = await pool.slot('confirmed');
  expect(slot).toBeGreaterThanOrEqual(rpc.finalizedSlot());
  const [dead, live] = pool.status();
  expect(dead).toMatchObject({ index: 0, status: 'failing', active: false, errors: 1 });
  expect(dead!.lastError).toMatch(/getSlot\(confirmed\)/);
  expect(live).toMatchObject({ index: 1, status: 'ok', active: true, errors: 0 });
  // The failing endpoint is now tried last: the next call goes straight to the live one.
  await pool.slot('finalized');
  expect(pool.status()[0]!.calls).toBe(1);
});

test('a request the node refuses is the answer, not an endpoint fault', async () => {
  const pool = new SolanaRpc({ chain: 'sol', urls: [rpc.url], timeoutMs: 2000, cooldownMs: 60_000 });
  // A block far beyond the head: the node answers "not available" (-32004/-32007), the endpoint stays healthy.
  await expect(pool.call('getBlock', (c) => c.getBlockSignatures(10_000_000, 'finalized'))).rejects.toThrow();
  expect(pool.status()[0]).toMatchObject({ status: 'ok', errors: 0 });
  expect(await pool.call('getAccountInfo', (c) => c.getAccountInfo(PublicKey.default, 'finalized'))).not.toBeUndefined();
});

test('every endpoint down: a ChainRpcError naming the chain and the call, with a timeout per call', async () => {
  const pool = new SolanaRpc({ chain: 'sol', urls: ['http://127.0.0.1:1', 'http://127.0.0.1:2'], timeoutMs: 500, cooldownMs: 60_000 });
  const error: unknown = await pool.slot('finalized').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ChainRpcError);
  if (!(error instanceof ChainRpcError)) throw new Error('unreachable: checked above');
  expect(error.message).toMatch(/^sol: getSlot\(finalized\) failed/);
  expect(pool.status().map((s) => s.status)).toEqual(['failing', 'failing']);
});
