import { createServer } from 'node:net';
import type { RelayerConfigInput } from '../../apps/relayer/src/config/config.schema';
import { type Harness, type RelayerHandle, creditedOnChain, getJson, lock, metricValue, metricsText, startHarness, waitForStates } from './harness';

jest.setTimeout(120_000);

let h: Harness;
let relayer: RelayerHandle;
let deadUrl: string;

/** A 127.0.0.1 port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as { port: number }; // a TCP server's address() is an AddressInfo
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 1, threshold: 1, users: 1 });
  deadUrl = `http://127.0.0.1:${await closedPort()}`;
  // Every chain: a dead endpoint first, the real one second (rpcUrls; rpcUrl removed).
  relayer = await h.startRelayer((config: RelayerConfigInput) => ({
    ...config,
    chains: config.chains.map(({ rpcUrl, ...chain }) => ({ ...chain, rpcUrls: [deadUrl, rpcUrl!], rpcTimeoutMs: 1000, rpcCooldownMs: 60_000 })),
  }));
});

afterAll(async () => {
  await h?.stop();
});

type Provider = { index: number; url: string; active: boolean; status: string; errors: number; calls: number; lastError: string | null };
type Health = { chains: { name: string; head: number | null; error: string | null; providers: Provider[] }[] };

it('credits through the second RPC URL when the first one is a closed port, and shows each endpoint in /health and /metrics', async () => {
  const source = h.devnet.sources[0]!;
  const l = await lock(source, source.users[0]!, source.usdc, 5n * 10n ** 6n);
  await source.anvil.mine(70);
  const [d] = await waitForStates(relayer.url, [l.guid], 'CREDITED');
  expect(await creditedOnChain(h.devnet, l)).toEqual({ applied: true, creditTxHashes: [d!.creditTxHash] });

  const { body } = await getJson<Health>(`${relayer.url}/health`);
  expect(body.chains).toHaveLength(2);
  for (const chain of body.chains) {
    expect(chain.error).toBeNull();
    expect(chain.head).toBeGreaterThan(0);
    const [dead, live] = chain.providers;
    expect(dead).toMatchObject({ index: 0, url: deadUrl, active: false, status: 'failing' });
    expect(dead!.errors).toBeGreaterThan(0);
    expect(dead!.lastError).toContain('ECONNREFUSED');
    expect(live).toMatchObject({ index: 1, active: true, status: 'ok', errors: 0 });
    expect(live!.calls).toBeGreaterThan(0);
  }
  const text = await metricsText(relayer.url);
  expect(metricValue(text, 'ccr_rpc_errors_total', { chain: source.name, provider: `0:${deadUrl}` })).toBeGreaterThan(0);
  expect(metricValue(text, 'ccr_rpc_errors_total', { chain: source.name, provider: `1:${source.anvil.url}` })).toBe(0);
  expect(metricValue(text, 'ccr_rpc_provider_active', { chain: source.name, provider: `1:${source.anvil.url}` })).toBe(1);
});
