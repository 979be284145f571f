/**
 * The receiver's value on read replays @ccr/risk's valuation to the last unit (docs/credit-message.md, "Read
 * interface"): for random assets (decimals 0–36, size tiers or none, any mark price below 2^112 and haircut in
 * [0, 1]) and random positions up to the asset's cap, `valueOf` and `collateralValue` on chain equal
 * `collateralValue(priceAsset(config, mark), raw, decimals)` of the risk package, summed per account.
 */
import fc from 'fast-check';
import { collateralValue as riskValue, priceAsset, type AssetRiskConfig, type SizeTier } from '@ccr/risk';
import { ethers } from '../../contracts/ts/index';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import { SRC_EID, creditPacket, deployCreditSystem, encodeMarkMessage, submitMarks, submitPackets, toBytes32, type CreditSystem } from '../support/deploy';

jest.setTimeout(300_000);

const CHAIN_ID = 31337;
const ONE = 10n ** 18n;
const OPEN = 2n ** 128n - 1n;

let anvil: AnvilInstance;
let s: CreditSystem;
let attester: ethers.Wallet;
let nonce = 0n;
let assetSeq = 0;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
  const [deployer, a] = anvil.accounts;
  attester = a!;
  s = await deployCreditSystem({ deployer: deployer!, attesters: [attester.address], threshold: 1, chainId: CHAIN_ID });
});

afterAll(async () => {
  await anvil?.stop();
});

type Case = { decimals: number; price: bigint; haircut: bigint; tiers: { upTo: bigint | null; weight: bigint }[]; amounts: bigint[] };

/** Prices across magnitudes: a mantissa times a power of ten, below 2^112. */
const priceArb = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 21 })).map(([m, e]) => {
  const p = m * 10n ** BigInt(e);
  return p >= 2n ** 112n ? 2n ** 112n - 1n : p;
});

/** 0–4 tiers: strictly ascending USD bounds (≤ 10^20 USD: a finite bound is below 2^128 at 18 decimals), non-increasing weights ≤ 1, the last one open or not. */
const tiersArb = fc
  .tuple(fc.array(fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.bigInt({ min: 0n, max: ONE })), { maxLength: 4 }), fc.boolean())
  .map(([raw, openLast]) => {
    const bounds = [...new Set(raw.map(([b]) => b))].sort((a, b) => (a < b ? -1 : 1));
    const weights = raw.map(([, w]) => w).sort((a, b) => (a > b ? -1 : 1));
    const tiers: { upTo: bigint | null; weight: bigint }[] = bounds.map((b, i) => ({ upTo: b * ONE, weight: weights[i]! }));
    const last = tiers[tiers.length - 1];
    if (openLast && last !== undefined) last.upTo = null;
    return tiers;
  });

const caseArb: fc.Arbitrary<Case> = fc
  .record({ decimals: fc.integer({ min: 0, max: 36 }), price: priceArb, haircut: fc.oneof(fc.constant(0n), fc.constant(ONE), fc.bigInt({ min: 0n, max: ONE })), tiers: tiersArb })
  .chain((c) => {
    const cap = capOf(c.decimals);
    const small = 10n ** BigInt(c.decimals + 6) < cap / 4n ? 10n ** BigInt(c.decimals + 6) : cap / 4n;
    const amount = fc.oneof(fc.bigInt({ min: 1n, max: small }), fc.bigInt({ min: 1n, max: cap / 4n })); // 3 of them stay under the cap
    return fc.array(amount, { minLength: 1, maxLength: 3 }).map((amounts) => ({ ...c, amounts }));
  });

/** The receiver's largest cap for `decimals`: min(2^128 − 1, 2^84 · 10^decimals). */
function capOf(decimals: number): bigint {
  const bound = 2n ** 84n * 10n ** BigInt(decimals);
  return bound < OPEN ? bound : OPEN;
}

function accountOf(i: number): string {
  return ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(0x5000 + i), 20));
}

/** The risk package's valuation of `raw` at the case's mark (the relayer's own code path: priceAsset, then collateralValue). */
function expected(c: Case, raw: bigint, now: bigint): bigint {
  const config: AssetRiskConfig = {
    symbol: 'X',
    decimals: c.decimals,
    haircut: c.haircut,
    ltv: 0n,
    liquidationThreshold: 0n,
    liquidationBonus: 0n,
    ...(c.tiers.length === 0 ? {} : { tiers: c.tiers.map((t): SizeTier => ({ upTo: t.upTo, weight: t.weight })) }),
    oracle: { heartbeatSeconds: 3600n },
  };
  return riskValue(priceAsset(config, { price: c.price, timestamp: now }, now), raw, c.decimals);
}

it('valueOf and collateralValue equal @ccr/risk valuation to the last unit, per position and per account', async () => {
  const shared = accountOf(0); // holds one position of every asset: collateralValue sums across assets
  let sharedExpected = 0n;
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      const asset = toBytes32(ethers.zeroPadValue(ethers.toBeHex(0xa55e7000 + ++assetSeq), 20));
      const now = BigInt((await anvil.provider.getBlock('latest'))!.timestamp);
      await (await s.receiver.getFunction('registerAsset').send(SRC_EID, asset, c.decimals, 3600, capOf(c.decimals))).wait();
      if (c.tiers.length > 0) await (await s.receiver.getFunction('setSizeTiers').send(SRC_EID, asset, c.tiers.map((t) => ({ upTo: t.upTo ?? OPEN, weight: t.weight })))).wait();
      await (await submitMarks(s, [attester], [encodeMarkMessage({ srcEid: SRC_EID, asset, markNonce: 1n, price: c.price, priceTimestamp: now, haircut: c.haircut })])).wait();
      // From the chain: a failing (shrunk) case may have left the local count ahead.
      nonce = (await s.receiver.getFunction('lastNonce')(SRC_EID, toBytes32(s.vaultAddress))) as bigint;
      const holders = c.amounts.map((_, i) => (i === 0 ? shared : accountOf(assetSeq * 10 + i)));
      const packets = c.amounts.map((raw, i) => creditPacket(s, ++nonce, holders[i]!, { asset, assetDecimals: c.decimals, rawAmount: raw }));
      await (await submitPackets(s, [attester], packets)).wait();
      for (const [i, raw] of c.amounts.entries()) {
        const want = expected(c, raw, now);
        const [value, stale] = (await s.receiver.getFunction('valueOf')(SRC_EID, asset, raw)) as [bigint, boolean]; // (uint256, bool)
        expect({ value, stale }).toEqual({ value: want, stale: false });
        if (i === 0) sharedExpected += want;
        else expect(((await s.receiver.getFunction('collateralValue')(toBytes32(holders[i]!))) as [bigint, boolean])[0]).toBe(want); // (uint256, bool)
      }
      const [sharedValue] = (await s.receiver.getFunction('collateralValue')(toBytes32(shared))) as [bigint, boolean]; // (uint256 value, bool stale)
      expect(sharedValue).toBe(sharedExpected);
    }),
    { numRuns: 30 },
  );
});
