import { valueCollateral } from '@ccr/risk';
import { toAssetRiskConfig } from '../../apps/relayer/src/config/validate-asset-risk';
import { Batch, BatchState } from '../../apps/relayer/src/store/batch.entity';
import { Database } from '../../apps/relayer/src/store/database';
import { type Harness, type Lock, type RelayerHandle, creditedOnChain, lock, positionOf, startHarness, waitForStates } from './harness';

jest.setTimeout(180_000);

let h: Harness;
let relayer: RelayerHandle;

beforeAll(async () => {
  h = await startHarness({ sources: 2, attesters: 2, threshold: 2, users: 3 });
  relayer = await h.startRelayer();
});

afterAll(async () => {
  await h?.stop();
});

it('credits every deposit exactly once, with the haircut value valueCollateral gives at the valuation price', async () => {
  const locks: Lock[] = [];
  const perSource = Number(process.env.CCR_DEPOSITS ?? 200) / 2;
  for (const source of h.devnet.sources) {
    for (let i = 0; i < perSource; i++) {
      const user = source.users[i % source.users.length]!;
      const token = i % 2 === 0 ? source.usdc : source.weth;
      const amount = token === source.usdc ? BigInt(1_000 + i) * 10n ** 6n : (10n ** 18n * BigInt(1 + (i % 7))) / 3n;
      locks.push(await lock(source, user, token, amount));
    }
  }
  await Promise.all(h.devnet.sources.map((s) => s.anvil.mine(70)));
  const finalAt = Date.now();
  const credited = await waitForStates(relayer.url, locks.map((l) => l.guid), 'CREDITED', 90_000);
  const creditSeconds = (Date.now() - finalAt) / 1000;

  const receiver = h.devnet.destination.receiver;
  const expected = new Map<string, bigint>();
  for (const [i, d] of credited.entries()) {
    const l = locks[i]!;
    const asset = relayer.config.assets.find((a) => a.eid === l.source.eid && a.token.toLowerCase() === l.token.address.toLowerCase())!;
    // Recompute with the risk package at the price and time the relayer used.
    const valuation = valueCollateral({
      amount: l.amount,
      decimals: asset.decimals,
      price: { price: BigInt(d.price!), timestamp: BigInt(d.priceTimestamp!) },
      config: toAssetRiskConfig(asset),
      now: BigInt(d.priceTimestamp!),
    });
    expect(d.haircutValue).toBe(valuation.haircutValue.toString());
    expect(d.creditTxHash).toMatch(/^0x[0-9a-f]{64}$/);
    // Applied on the receiver (nonce ≤ lastNonce of its path), by one Credited event, in the transaction the relayer names.
    expect(await creditedOnChain(h.devnet, l)).toEqual({ applied: true, creditTxHashes: [d.creditTxHash] });
    // Exactly once: the history has one CREDITED row.
    expect(d.history.filter((t) => t.to === 'CREDITED')).toHaveLength(1);
    const key = `${l.account}:${l.source.eid}:${l.token.address.toLowerCase()}`;
    expected.set(key, (expected.get(key) ?? 0n) + l.amount);
  }
  // On-chain raw positions per (account, source, asset) equal the sums locked: nothing credited twice. (The receiver
  // keeps raw amounts only and values them on read at attested marks; the haircut values are checked above, against
  // the relayer's stored valuation.)
  for (const [key, raw] of expected) {
    const [account, eid, token] = key.split(':') as [string, string, string]; // built just above with three parts
    expect(await positionOf(h.devnet, account, Number(eid), token)).toEqual({ rawAmount: raw, frozen: 0n });
  }
  // Zero reverted posts: every batch confirmed, every poster transaction succeeded.
  const batches = await relayer.app.get(Database).reader.find(Batch);
  expect(batches.length).toBeGreaterThan(0);
  for (const b of batches) {
    expect(b.state).toBe(BatchState.CONFIRMED);
    expect((await h.devnet.destination.anvil.provider.getTransactionReceipt(b.txHash!))!.status).toBe(1);
  }
  console.log(`${locks.length} deposits on ${h.devnet.sources.length} chains credited ${creditSeconds.toFixed(1)} s after finality in ${batches.length} batches`);
  // Nonces: the receiver's lastNonce equals the number of locks per source.
  for (const source of h.devnet.sources) {
    const n = locks.filter((l) => l.source === source).length;
    expect(await receiver.getFunction('lastNonce')(source.eid, `0x${source.vaultAddress.slice(2).toLowerCase().padStart(64, '0')}`)).toBe(BigInt(n));
  }
});
