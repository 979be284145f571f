import { type Harness, type RelayerHandle, creditedOnChain, deposit, getJson, lock, startHarness, waitFor, waitForDeposit, waitForStates } from './harness';

jest.setTimeout(120_000);

let h: Harness;
let relayer: RelayerHandle;

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 1, threshold: 1, users: 2 });
  relayer = await h.startRelayer();
});

afterAll(async () => {
  await h?.stop();
});

type Health = { chains: { eid: number; finalized: number | null; cursor: number | null }[] };

/** Waits until the watcher has scanned up to the chain's current finality bound. */
async function watcherCaughtUp(eid: number): Promise<number> {
  const source = h.devnet.sources[0]!;
  const finalized = (await source.anvil.provider.getBlock('finalized'))!.number;
  return waitFor(`watcher cursor ≥ ${finalized}`, async () => {
    const { body } = await getJson<Health>(`${relayer.url}/health`);
    const c = body.chains.find((x) => x.eid === eid);
    return c?.cursor !== null && c?.cursor !== undefined && c.cursor >= finalized ? c.cursor : undefined;
  });
}

it('shows a deposit short of finality as OBSERVED with its confirmations, does not credit it, and credits it once its block is final', async () => {
  const source = h.devnet.sources[0]!;
  const l = await lock(source, source.users[0]!, source.usdc, 1_234_567_890n);
  await source.anvil.mine(30); // 31 blocks on top: anvil's `finalized` is latest − 64
  const cursor = await watcherCaughtUp(source.eid);
  expect(cursor).toBeLessThan(l.blockNumber);
  // The head scan stores it OBSERVED at once: 31 confirmations, the finality bound still short of its block.
  const observed = await waitForDeposit(relayer.url, l.guid, 'OBSERVED with 31 confirmations', (d) => d.confirmations === 31);
  const bound = (await source.anvil.provider.getBlock('finalized'))!.number;
  expect(observed).toMatchObject({ state: 'OBSERVED', blockNumber: l.blockNumber, blocksToFinality: l.blockNumber - bound, amount: '1234567890' });
  expect(observed.blocksToFinality).toBeGreaterThan(0);
  expect(observed.history.map((t) => t.to)).toEqual(['OBSERVED']);
  expect(await creditedOnChain(h.devnet, l)).toEqual({ applied: false, creditTxHashes: [] });

  await source.anvil.mine(40);
  const [d] = await waitForStates(relayer.url, [l.guid], 'CREDITED');
  expect(d!.history.map((t) => t.to)).toEqual(['OBSERVED', 'FINAL', 'VALUED', 'ATTESTED', 'SUBMITTED', 'CONFIRMING', 'CREDITED']);
  expect(d!.blocksToFinality).toBe(0);
  expect(await creditedOnChain(h.devnet, l)).toEqual({ applied: true, creditTxHashes: [d!.creditTxHash] });
});

it('holds a deposit priced by a stale feed (stale-price), blocks the later nonces, and credits both after the feed updates', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  const feed = dst.feeds.WETH;
  const latest = await dst.anvil.provider.getBlock('latest');
  const round = (await feed.getFunction('latestRound')()) as bigint; // latestRound() returns a uint80
  // WETH's heartbeat is 3600 s: a 2-hour-old answer is stale.
  const old = BigInt(latest!.timestamp) - 7200n;
  await (await feed.getFunction('updateRoundData').send(round + 1n, 2_100n * 10n ** 8n, old, old)).wait();

  const stale = await lock(source, source.users[1]!, source.weth, 3n * 10n ** 18n);
  const behind = await lock(source, source.users[1]!, source.usdc, 500n * 10n ** 6n);
  await source.anvil.mine(70);

  const held = await waitFor('stale-price hold', async () => {
    const d = await deposit(relayer.url, stale.guid);
    return d?.state === 'HELD' ? d : undefined;
  });
  expect(held.reason).toBe('stale-price');
  const blocked = await waitFor('later nonce valued', async () => {
    const d = await deposit(relayer.url, behind.guid);
    return d?.state === 'VALUED' ? d : undefined;
  });
  expect(blocked.blockedBy).toBe(stale.guid);
  expect(await creditedOnChain(h.devnet, behind)).toEqual({ applied: false, creditTxHashes: [] });

  await (await feed.getFunction('updateAnswer').send(2_050n * 10n ** 8n)).wait();
  const [a, b] = await waitForStates(relayer.url, [stale.guid, behind.guid], 'CREDITED', 60_000);
  expect(a!.price).toBe((2_050n * 10n ** 18n).toString());
  expect(a!.history.some((t) => t.to === 'HELD' && t.reason === 'stale-price')).toBe(true);
  expect(b!.blockedBy).toBeNull();
});

it('never sends a batch the receiver would refuse: while it is paused nothing is posted, afterwards the deposit is credited', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  const postsBefore = await dst.anvil.provider.getTransactionCount(h.devnet.posterAddress);
  await (await dst.receiver.getFunction('pause').send()).wait();
  const l = await lock(source, source.users[0]!, source.usdc, 77n * 10n ** 6n);
  await source.anvil.mine(70);
  const revert = await waitFor('a refused simulation', async () => {
    const { body } = await getJson<{ poster: { lastRevert: { name: string; at: string } | null } }>(`${relayer.url}/health`);
    return body.poster.lastRevert?.name === 'EnforcedPause' ? body.poster.lastRevert : undefined;
  });
  expect(revert.name).toBe('EnforcedPause');
  expect((await deposit(relayer.url, l.guid))!.state).toBe('VALUED');
  expect(await dst.anvil.provider.getTransactionCount(h.devnet.posterAddress)).toBe(postsBefore);

  await (await dst.receiver.getFunction('unpause').send()).wait();
  await waitForStates(relayer.url, [l.guid], 'CREDITED');
  expect(await dst.anvil.provider.getTransactionCount(h.devnet.posterAddress)).toBe(postsBefore + 1);
});
