import { addressToBytes32 } from '../support/devnet';
import { type Harness, type RelayerHandle, creditedOnChain, deposit, getJson, lock, startHarness, waitFor, waitForStates } from './harness';

jest.setTimeout(120_000);

let h: Harness;
let relayer: RelayerHandle;

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 2, threshold: 2, users: 2 });
  relayer = await h.startRelayer();
});

afterAll(async () => {
  await h?.stop();
});

it("ignores a look-alike vault's Locked event and keeps crediting the real vault", async () => {
  const source = h.devnet.sources[0]!;
  const user = source.users[0]!;
  // Same event signature, same fields as the real next deposit would have (dstEid, nonce 1, a GUID), wrong address.
  const fakeGuid = `0x${'ab'.repeat(32)}`;
  const lookalike = source.lookalike.connect(user) as typeof source.lookalike; // connect() keeps the ABI
  await (await lookalike.getFunction('fakeLock').send(h.devnet.destination.eid, 1n, fakeGuid, addressToBytes32(user.address), source.usdc.address, 10n ** 12n)).wait();
  const real = await lock(source, user, source.usdc, 42n * 10n ** 6n);
  await source.anvil.mine(70);
  await waitForStates(relayer.url, [real.guid], 'CREDITED');
  expect(await deposit(relayer.url, fakeGuid)).toBeUndefined();
  const { body } = await getJson<{ guid: string }[]>(`${relayer.url}/deposits?account=${user.address}&limit=100`);
  expect(body.map((d) => d.guid)).toEqual([real.guid]);
});

it('holds a token the vault accepts but the relayer does not know (unsupported-asset), visible in the API, retryable only with the admin token', async () => {
  const source = h.devnet.sources[0]!;
  const user = source.users[1]!;
  const unknown = await lock(source, user, source.unlisted, 5n * 10n ** 18n);
  await source.anvil.mine(70);
  const held = await waitFor('unsupported-asset hold', async () => {
    const d = await deposit(relayer.url, unknown.guid);
    return d?.state === 'HELD' ? d : undefined;
  });
  expect(held.reason).toBe('unsupported-asset');
  expect(held.amount).toBe((5n * 10n ** 18n).toString());
  expect(held.history.map((t) => t.to).slice(0, 3)).toEqual(['OBSERVED', 'FINAL', 'HELD']);

  const listed = await getJson<{ guid: string }[]>(`${relayer.url}/deposits?state=HELD`);
  expect(listed.body.map((d) => d.guid)).toContain(unknown.guid);
  const inFlight = await getJson<{ totals: { state: string; token: string; rawAmount: string }[] }>(`${relayer.url}/in-flight`);
  expect(inFlight.body.totals).toContainEqual(expect.objectContaining({ state: 'HELD', token: addressToBytes32(source.unlisted.address), rawAmount: held.amount }));

  const retryUrl = `${relayer.url}/admin/deposits/${unknown.guid}/retry`;
  expect((await getJson(retryUrl, { method: 'POST' })).status).toBe(401);
  expect((await getJson(retryUrl, { method: 'POST', headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
  const ok = await getJson<{ from: string; to: string }>(retryUrl, { method: 'POST', headers: { authorization: `Bearer ${h.devnet.adminToken}` } });
  expect(ok.status).toBe(200);
  expect(ok.body.to).toBe('HELD');
  const after = await deposit(relayer.url, unknown.guid);
  expect(after!.history.some((t) => t.reason === 'manual')).toBe(true);
  expect(await creditedOnChain(h.devnet, unknown)).toEqual({ applied: false, creditTxHashes: [] });
});
