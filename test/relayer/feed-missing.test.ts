/**
 * A price feed configured at an address without code (on the derivatives chain): deposits of that asset are held
 * `feed-missing` — a feed problem, not an RPC one — and the endpoint is not blamed (no error, still active); other
 * assets are credited as usual.
 */
import type { RelayerConfigInput } from '../../apps/relayer/src/config/config.schema';
import { type Harness, type RelayerHandle, getJson, lock, startHarness, waitForDeposit, waitForStates } from './harness';

jest.setTimeout(120_000);

const NO_CODE = '0x000000000000000000000000000000000000dEaD';

let h: Harness;
let relayer: RelayerHandle;

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 1, threshold: 1, users: 1, finality: { mode: 'confirmations', confirmations: 1 } });
  relayer = await h.startRelayer((config: RelayerConfigInput) => ({
    ...config,
    assets: (config.assets ?? []).map((a) => (a.symbol === 'WETH' ? { ...a, feed: { ...a.feed, address: NO_CODE } } : a)),
  }));
});

afterAll(async () => {
  await h?.stop();
});

type Health = { chains: { name: string; error: string | null; providers: { status: string; errors: number; lastError: string | null; active: boolean }[] }[] };

it('holds a deposit whose feed has no code as feed-missing, without blaming the RPC endpoint', async () => {
  const source = h.devnet.sources[0]!;
  const user = source.users[0]!;
  const weth = await lock(source, user, source.weth, 10n ** 18n);
  const usdc = await lock(source, user, source.usdc, 5n * 10n ** 6n);
  await source.anvil.mine(2);
  const held = await waitForDeposit(relayer.url, weth.guid, 'HELD feed-missing', (d) => d.state === 'HELD');
  expect(held.reason).toBe('feed-missing');
  expect(held.history.map((t) => `${t.to}${t.reason === null ? '' : `(${t.reason})`}`)).toEqual(['OBSERVED', 'FINAL', 'HELD(feed-missing)']);
  // USDC (nonce 2) waits behind the held WETH (nonce 1): the ordered channel; it is valued meanwhile.
  await waitForStates(relayer.url, [usdc.guid], 'VALUED', 30_000);
  const { body } = await getJson<Health>(`${relayer.url}/health`);
  const derivatives = body.chains.find((c) => c.name === h.devnet.destination.name)!;
  expect(derivatives.error).toBeNull();
  expect(derivatives.providers).toMatchObject([{ status: 'ok', active: true, errors: 0, lastError: null }]);
});
