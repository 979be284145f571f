import { ethers } from '../../contracts/ts/index';
import { Batch } from '../../apps/relayer/src/store/batch.entity';
import { Database } from '../../apps/relayer/src/store/database';
import { type Harness, type RelayerHandle, creditedOnChain, deposit, getJson, lock, metricValue, metricsText, positionOf, startHarness, waitForDeposit, waitForStates } from './harness';

jest.setTimeout(120_000);

let h: Harness;
let relayer: RelayerHandle;

beforeAll(async () => {
  // retry.unitMs 60 s: the first automatic retry of a HELD deposit comes after 5 min, so within this test only an
  // operator retry moves one on. A poster transaction pending 300 ms after its broadcast is replaced with higher fees.
  h = await startHarness({ sources: 1, attesters: 1, threshold: 1, users: 2, relayer: { retry: { unitMs: 60_000 }, pipeline: { receiptTimeoutMs: 500, feeBumpAfterMs: 300 } } });
  relayer = await h.startRelayer();
});

afterAll(async () => {
  await h?.stop();
});

const credits = async (account: string, eid: number, token: string): Promise<bigint> => (await positionOf(h.devnet, account, eid, token)).rawAmount;

it('marks a deposit reorged out before finality REORGED and never credits it; the lock that takes its nonce again (same GUID) is credited once, with its own fields', async () => {
  const source = h.devnet.sources[0]!;
  const [alice, bob] = [source.users[0]!, source.users[1]!];
  const gone = await lock(source, alice, source.usdc, 111n * 10n ** 6n);
  await source.anvil.mine(2);
  const observed = await waitForDeposit(relayer.url, gone.guid, 'OBSERVED', (d) => d.state === 'OBSERVED' && d.confirmations === 3);
  expect(observed.blocksToFinality).toBeGreaterThan(0);

  // Replace the lock's block and the two above it with three empty blocks: the lock is gone from the chain.
  const head = await source.anvil.provider.getBlockNumber();
  await source.anvil.rpc('anvil_reorg', [head - gone.blockNumber + 1, []]);
  expect(await source.anvil.provider.getTransactionReceipt(observed.txHash)).toBeNull();
  await source.anvil.mine(70);
  const reorged = await waitForDeposit(relayer.url, gone.guid, 'REORGED', (d) => d.state === 'REORGED');
  expect(reorged.reason).toBe('reorged');
  expect(reorged.history.map((t) => t.to)).toEqual(['OBSERVED', 'REORGED']);
  expect(reorged.history[1]!.detail).toMatchObject({ block: gone.blockNumber, blockHash: observed.blockHash, txHash: observed.txHash });
  expect([reorged.confirmations, reorged.blocksToFinality]).toEqual([null, null]);
  expect(await creditedOnChain(h.devnet, gone)).toEqual({ applied: false, creditTxHashes: [] });
  const metrics = await metricsText(relayer.url);
  expect(metricValue(metrics, 'ccr_deposits', { state: 'REORGED' })).toBe(1);
  expect(metricValue(metrics, 'ccr_deposits_reorged_total', { chain: source.name })).toBe(1);

  // The vault's nonce was never used on the canonical chain: the next lock takes it, and so the same GUID.
  const again = await lock(source, bob, source.weth, 2n * 10n ** 18n);
  expect([again.guid, again.nonce]).toEqual([gone.guid, gone.nonce]);
  await source.anvil.mine(70);
  const [d] = await waitForStates(relayer.url, [again.guid], 'CREDITED');
  expect(d).toMatchObject({ amount: (2n * 10n ** 18n).toString(), account: again.account, blockNumber: again.blockNumber });
  expect(d!.history.map((t) => `${t.to}${t.reason === null ? '' : `(${t.reason})`}`)).toEqual([
    'OBSERVED',
    'REORGED(reorged)',
    'FINAL(reincluded)',
    'VALUED',
    'ATTESTED',
    'SUBMITTED',
    'CONFIRMING',
    'CREDITED',
  ]);
  expect(await creditedOnChain(h.devnet, again)).toEqual({ applied: true, creditTxHashes: [d!.creditTxHash] });
  expect(await credits(bob.address, source.eid, source.weth.address)).toBe(2n * 10n ** 18n);
  expect(await credits(alice.address, source.eid, source.usdc.address)).toBe(0n);
});

it('follows a deposit whose lock is re-mined in another block before finality, and credits it once from its new block', async () => {
  const source = h.devnet.sources[0]!;
  const l = await lock(source, source.users[0]!, source.usdc, 222n * 10n ** 6n);
  await source.anvil.mine(2);
  const before = await waitForDeposit(relayer.url, l.guid, 'OBSERVED', (d) => d.state === 'OBSERVED');
  const signed = ethers.Transaction.from((await source.anvil.provider.getTransaction(before.txHash))!).serialized;
  // Three new blocks in place of the lock's block and the two above it; the same signed lock goes into the last one.
  const head = await source.anvil.provider.getBlockNumber();
  const depth = head - l.blockNumber + 1;
  await source.anvil.rpc('anvil_reorg', [depth, [[signed, depth - 1]]]);
  const receipt = await source.anvil.provider.getTransactionReceipt(before.txHash);
  expect(receipt!.blockNumber).toBe(l.blockNumber + depth - 1);
  const moved = await waitForDeposit(relayer.url, l.guid, 'in its new block', (d) => d.blockNumber === receipt!.blockNumber);
  expect(moved.state).toBe('OBSERVED');
  expect(moved.blockHash).toBe(receipt!.blockHash.toLowerCase());
  expect(moved.history.map((t) => `${t.to}${t.reason === null ? '' : `(${t.reason})`}`)).toEqual(['OBSERVED', 'OBSERVED(reincluded)']);

  await source.anvil.mine(70);
  const [d] = await waitForStates(relayer.url, [l.guid], 'CREDITED');
  expect(d!.history.filter((t) => t.to === 'CREDITED')).toHaveLength(1);
  expect(d!.blockNumber).toBe(receipt!.blockNumber);
  expect(await creditedOnChain(h.devnet, l)).toEqual({ applied: true, creditTxHashes: [d!.creditTxHash] });
});

it('POST /admin/deposits/retry: 401 without the token, 400 without a filter, and a real retry of the matching HELD deposits', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  const feed = dst.feeds.WETH;
  const latest = await dst.anvil.provider.getBlock('latest');
  const round = (await feed.getFunction('latestRound')()) as bigint; // latestRound() returns a uint80
  const old = BigInt(latest!.timestamp) - 7200n; // WETH's heartbeat is 3600 s
  await (await feed.getFunction('updateRoundData').send(round + 1n, 2_100n * 10n ** 8n, old, old)).wait();
  const l = await lock(source, source.users[1]!, source.weth, 10n ** 18n);
  await source.anvil.mine(70);
  await waitForDeposit(relayer.url, l.guid, 'HELD stale-price', (d) => d.state === 'HELD' && d.reason === 'stale-price');
  await (await feed.getFunction('updateAnswer').send(2_050n * 10n ** 8n)).wait();

  const url = `${relayer.url}/admin/deposits/retry`;
  const post = (body: unknown, token: string | null = h.devnet.adminToken) =>
    getJson<{ matched: number; retried: number; guids: string[]; message?: string }>(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });
  expect((await post({ reason: 'stale-price' }, null)).status).toBe(401);
  expect((await post({ reason: 'stale-price' }, 'wrong-token-wrong-token')).status).toBe(401);
  expect((await post({})).status).toBe(400);
  expect((await post({ state: 'CREDITED' })).status).toBe(400);
  expect((await post({ reason: 'stale-price', srcEid: source.eid + 1 })).body).toMatchObject({ matched: 0, retried: 0 });
  const ok = await post({ state: 'HELD', reason: 'stale-price', srcEid: source.eid });
  expect(ok).toEqual({ status: 200, body: { matched: 1, retried: 1, guids: [l.guid] } });

  const [d] = await waitForStates(relayer.url, [l.guid], 'CREDITED');
  expect(d!.history.map((t) => `${t.to}${t.reason === null ? '' : `(${t.reason})`}`)).toEqual([
    'OBSERVED',
    'FINAL',
    'HELD(stale-price)',
    'HELD(manual)',
    'VALUED',
    'ATTESTED',
    'SUBMITTED',
    'CONFIRMING',
    'CREDITED',
  ]);
  expect(d!.price).toBe((2_050n * 10n ** 18n).toString());
  expect((await deposit(relayer.url, l.guid))!.creditTxHash).toMatch(/^0x[0-9a-f]{64}$/);

  // /metrics: the format and what this file did.
  const text = await metricsText(relayer.url);
  expect(text).toMatch(/^# HELP ccr_deposits Deposits by state\.\n# TYPE ccr_deposits gauge\n/m);
  expect(text).toContain('# TYPE ccr_stage_duration_seconds histogram');
  expect(metricValue(text, 'ccr_deposits', { state: 'CREDITED' })).toBe(3);
  expect(metricValue(text, 'ccr_deposits', { state: 'HELD' })).toBe(0);
  expect(metricValue(text, 'ccr_posts_reverted_total')).toBe(0);
  expect(metricValue(text, 'ccr_credits_confirmed_total')).toBe(3);
  expect(metricValue(text, 'ccr_batches_posted_total')).toBe(3);
  expect(metricValue(text, 'ccr_stage_duration_seconds_count', { stage: 'simulate' })).toBe(3);
  expect(metricValue(text, 'ccr_chain_lag_blocks', { chain: source.name })).toBeGreaterThanOrEqual(0);
  expect(metricValue(text, 'ccr_rpc_errors_total', { chain: source.name })).toBe(0);
});

it('replaces a stuck poster transaction (same nonce, fees × 1.10 each time, ≤ 3× the estimate) and credits once from the one mined', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  const postsBefore = await dst.anvil.provider.getTransactionCount(h.devnet.posterAddress);
  await dst.anvil.rpc('evm_setAutomine', [false]);
  let bumped;
  try {
    const l = await lock(source, source.users[0]!, source.usdc, 33n * 10n ** 6n);
    await source.anvil.mine(70);
    bumped = await waitForDeposit(relayer.url, l.guid, 'two fee bumps', (d) => d.history.filter((t) => t.reason === 'fee-bumped').length >= 2);
  } finally {
    await dst.anvil.rpc('evm_setAutomine', [true]);
    await dst.anvil.mine(1); // mines what is pending
  }
  // The poster's detail of SUBMITTED (submit-batch.ts) and of SUBMITTED 'fee-bumped' (replace-stuck-tx.ts)
  type Sent = { batchId: number; txHash: string; txNonce: number; replaces?: string; maxFeePerGas?: string };
  const first = bumped.history.find((t) => t.to === 'SUBMITTED' && t.reason === null)!.detail as Sent; // a SUBMITTED detail
  const bumps = bumped.history.filter((t) => t.reason === 'fee-bumped').map((t) => t.detail as Sent); // fee-bumped details
  const batch = (await relayer.app.get(Database).reader.findOneBy(Batch, { id: first.batchId }))!;
  const estimate = BigInt(batch.estimateMaxFeePerGas!);
  expect(bumps[0]!.replaces).toBe(first.txHash);
  expect(bumps[1]!.replaces).toBe(bumps[0]!.txHash);
  expect(bumps.every((b) => b.txNonce === first.txNonce)).toBe(true);
  expect(BigInt(bumps[0]!.maxFeePerGas!)).toBe((estimate * 110n + 99n) / 100n);
  expect(BigInt(bumps[1]!.maxFeePerGas!)).toBe((BigInt(bumps[0]!.maxFeePerGas!) * 110n + 99n) / 100n);

  const [d] = await waitForStates(relayer.url, [bumped.guid], 'CREDITED');
  const sent = d!.history.filter((t) => t.to === 'SUBMITTED').map((t) => (t.detail as Sent).txHash); // SUBMITTED details
  expect(sent).toContain(d!.creditTxHash);
  expect(d!.history.filter((t) => t.to === 'CREDITED')).toHaveLength(1);
  const feesSent = d!.history.filter((t) => t.reason === 'fee-bumped').map((t) => BigInt((t.detail as Sent).maxFeePerGas!)); // fee-bumped details
  expect(feesSent.every((f) => f <= 3n * estimate)).toBe(true);
  const mined = await dst.anvil.provider.getTransaction(d!.creditTxHash!);
  expect(mined!.nonce).toBe(first.txNonce);
  expect((await dst.anvil.provider.getTransactionReceipt(d!.creditTxHash!))!.status).toBe(1);
  expect(await dst.anvil.provider.getTransactionCount(h.devnet.posterAddress)).toBe(postsBefore + 1); // one of them mined, once
  expect(metricValue(await metricsText(relayer.url), 'ccr_tx_replacements_total')).toBeGreaterThanOrEqual(2);
});
