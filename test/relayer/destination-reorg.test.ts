/**
 * A credit is CREDITED only at the derivatives chain's finality. A reorg of the derivatives chain that drops the
 * credit transaction before that (the receiver's lastNonce goes back) is detected from chain state, shown, and the
 * deposit is posted again — credited exactly once on the canonical chain.
 */
import { type Harness, type RelayerHandle, creditedOnChain, lock, metricsText, metricValue, positionOf, startHarness, waitForDeposit } from './harness';
import { addressToBytes32 } from '../support/devnet';

jest.setTimeout(120_000);

let h: Harness;
let relayer: RelayerHandle;

beforeAll(async () => {
  h = await startHarness({ sources: 1, attesters: 1, threshold: 1, users: 1, finality: { mode: 'confirmations', confirmations: 1 }, destinationFinality: { mode: 'confirmations', confirmations: 5 } });
  relayer = await h.startRelayer();
});

afterAll(async () => {
  await h?.stop();
});

it('re-posts a credit whose transaction a derivatives-chain reorg dropped before finality, and credits it once', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  const l = await lock(source, source.users[0]!, source.usdc, 321n * 10n ** 6n);
  await source.anvil.mine(2);
  // Applied on the derivatives chain, but 5 confirmations are needed there: CONFIRMING, not CREDITED.
  const confirming = await waitForDeposit(relayer.url, l.guid, 'CONFIRMING', (d) => d.state === 'CONFIRMING');
  const firstTx = confirming.creditTxHash!;
  const vault = addressToBytes32(source.vaultAddress);
  expect(await dst.receiver.getFunction('lastNonce')(source.eid, vault)).toBe(l.nonce);

  // The block holding the credit transaction is replaced by an empty one: the receiver forgets the credit.
  const receipt = await dst.anvil.provider.getTransactionReceipt(firstTx);
  const head = await dst.anvil.provider.getBlockNumber();
  await dst.anvil.rpc('anvil_reorg', [head - receipt!.blockNumber + 1, []]);
  expect(await dst.anvil.provider.getTransactionReceipt(firstTx)).toBeNull();
  expect(await dst.receiver.getFunction('lastNonce')(source.eid, vault)).toBe(l.nonce - 1n);
  expect(await creditedOnChain(h.devnet, l)).toEqual({ applied: false, creditTxHashes: [] });

  // Detected from the receiver's lastNonce, posted again (a new transaction), applied again.
  const reposted = await waitForDeposit(relayer.url, l.guid, 'posted again after the reorg', (d) => d.state === 'CONFIRMING' && d.creditTxHash !== null && d.creditTxHash !== firstTx);
  expect(reposted.history.map((t) => `${t.to}${t.reason === null ? '' : `(${t.reason})`}`)).toContain('VALUED(dest-reorged)');
  expect(metricValue(await metricsText(relayer.url), 'ccr_dest_reorged_total', { chain: dst.name })).toBe(1);

  await dst.anvil.mine(6);
  const credited = await waitForDeposit(relayer.url, l.guid, 'CREDITED', (d) => d.state === 'CREDITED');
  expect(credited.history.filter((t) => t.to === 'CREDITED')).toHaveLength(1);
  expect(credited.creditTxHash).toBe(reposted.creditTxHash);
  // Applied, with exactly one Credited event for the GUID on the canonical chain, and the raw amount credited once.
  expect(await creditedOnChain(h.devnet, l)).toEqual({ applied: true, creditTxHashes: [reposted.creditTxHash] });
  expect((await positionOf(h.devnet, l.account, source.eid, source.usdc.address)).rawAmount).toBe(321n * 10n ** 6n);
});
