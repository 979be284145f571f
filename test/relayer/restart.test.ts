import { rmSync } from 'node:fs';
import { Batch, BatchState } from '../../apps/relayer/src/store/batch.entity';
import { Database } from '../../apps/relayer/src/store/database';
import { type Harness, type Lock, lock, startHarness, waitForStates } from './harness';

jest.setTimeout(120_000);

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 1, threshold: 1, users: 2, relayer: { pipeline: { receiptTimeoutMs: 1500 } } });
});

afterAll(async () => {
  await h?.stop();
});

it('resumes after a restart without gaps or duplicates, and after a database wipe reconciles from chain instead of re-posting', async () => {
  const source = h.devnet.sources[0]!;
  const receiver = h.devnet.destination.receiver;
  const depositsOf = async (n: number, offset: number): Promise<Lock[]> => {
    const out: Lock[] = [];
    for (let i = 0; i < n; i++) out.push(await lock(source, source.users[i % 2]!, source.usdc, BigInt(100 + offset + i) * 10n ** 6n));
    return out;
  };

  let relayer = await h.startRelayer();
  const first = await depositsOf(5, 0);
  await source.anvil.mine(70);
  await waitForStates(relayer.url, first.map((l) => l.guid), 'CREDITED');
  await relayer.close();

  // While the relayer is down: more deposits, finalized.
  const second = await depositsOf(5, 5);
  await source.anvil.mine(70);
  relayer = await h.startRelayer();
  const credited = await waitForStates(relayer.url, [...first, ...second].map((l) => l.guid), 'CREDITED');
  expect(credited.every((d) => d.history.filter((t) => t.to === 'CREDITED').length === 1)).toBe(true);
  const batches = await relayer.app.get(Database).reader.find(Batch);
  expect(batches.every((b: Batch) => b.state === BatchState.CONFIRMED)).toBe(true);
  const postsBeforeWipe = await h.devnet.destination.anvil.provider.getTransactionCount(h.devnet.posterAddress);
  await relayer.close();

  // Database lost: the relayer rescans from the start block and learns from lastNonce that all are credited.
  rmSync(relayer.config.database.path, { force: true });
  rmSync(`${relayer.config.database.path}-wal`, { force: true });
  rmSync(`${relayer.config.database.path}-shm`, { force: true });
  relayer = await h.startRelayer();
  const reconciled = await waitForStates(relayer.url, [...first, ...second].map((l) => l.guid), 'CREDITED');
  expect(reconciled.every((d) => d.reason === 'reconciled')).toBe(true);
  // Each reconciled deposit names the transaction that credited it (the receiver's Credited event, by GUID).
  expect(reconciled.map((d) => d.creditTxHash)).toEqual(credited.map((d) => d.creditTxHash));
  expect(reconciled.every((d) => /^0x[0-9a-f]{64}$/.test(d.creditTxHash ?? ''))).toBe(true);
  expect(await h.devnet.destination.anvil.provider.getTransactionCount(h.devnet.posterAddress)).toBe(postsBeforeWipe);
  expect(await receiver.getFunction('lastNonce')(source.eid, `0x${source.vaultAddress.slice(2).toLowerCase().padStart(64, '0')}`)).toBe(10n);

  // And it goes on crediting new deposits after the wipe.
  const third = await depositsOf(2, 10);
  await source.anvil.mine(70);
  const fresh = await waitForStates(relayer.url, third.map((l) => l.guid), 'CREDITED');
  expect(fresh.every((d) => d.reason === null && d.creditTxHash !== null)).toBe(true);
  await relayer.close();
});

it('recovers a batch left SUBMITTED when the node lost its transaction: re-broadcasts the same signed bytes, never a second batch', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  let relayer = await h.startRelayer();
  const postsBefore = await dst.anvil.provider.getTransactionCount(h.devnet.posterAddress);
  await dst.anvil.rpc('evm_setAutomine', [false]);
  const l = await lock(source, source.users[0]!, source.weth, 2n * 10n ** 18n);
  await source.anvil.mine(70);
  const submitted = await waitForStates(relayer.url, [l.guid], 'SUBMITTED');
  const txHash = submitted[0]!.history.at(-1)!.detail as { txHash: string }; // the poster's SUBMITTED detail names its transaction (submit-batch.ts)
  await relayer.close(); // the relayer goes down with its tx in the mempool…
  await dst.anvil.rpc('anvil_dropAllTransactions'); // …and the node forgets it
  expect(await dst.anvil.provider.getTransaction(txHash.txHash)).toBeNull();
  await dst.anvil.rpc('evm_setAutomine', [true]);

  relayer = await h.startRelayer();
  const [d] = await waitForStates(relayer.url, [l.guid], 'CREDITED');
  expect(d!.creditTxHash).toBe(txHash.txHash);
  expect(d!.history.filter((t) => t.to === 'SUBMITTED')).toHaveLength(1);
  expect(await dst.anvil.provider.getTransactionCount(h.devnet.posterAddress)).toBe(postsBefore + 1);
  await relayer.close();
});
