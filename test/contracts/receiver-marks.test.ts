/**
 * MarginCreditReceiver marks on anvil: submitMarks (78-byte REVALUATION bodies under MarkBatch) and its rules, the
 * Marked word and markOf, staleness of collateralValue against each asset's heartbeat, and exact values of
 * collateralValue / valueOf = floor(tiers(floor(raw · price / 10^decimals)) · (1 − haircut)), hand-computed.
 * (The randomized replay against @ccr/risk lives elsewhere.)
 */
import { ethers } from '../../contracts/ts/index';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import {
  FAR_FUTURE,
  SRC_EID,
  compactSubmitArgs,
  creditPacket,
  deployCreditSystem,
  encodeMarkMessage,
  markBatchDigest,
  signBatch,
  toBytes32,
  type CreditFields,
  type CreditSystem,
  type Domain,
  type MarkFields,
} from '../support/deploy';
import { expectRevert } from './expectRevert';
import { at, eventNames, fn, send } from './twoWay';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

const CHAIN_ID = 31337;
const E18 = 10n ** 18n;
const HEARTBEAT = 3600;
const OPEN = 2n ** 128n - 1n;
/** WETH on SRC_EID: an 18-decimals asset registered on the receiver (an address only: the receiver never calls it). */
const WETH = toBytes32('0x00000000000000000000000000000000000E7e18');
/** An asset registered nowhere. */
const NOBODY = toBytes32('0x000000000000000000000000000000000000dEaD');

let anvil: AnvilInstance;
let attester: ethers.Wallet;
let user: ethers.Wallet;
let stranger: ethers.Wallet;
/** 1-of-1 receiver, USDC (6 decimals) and WETH (18 decimals) registered on SRC_EID, heartbeat 3600 s, no mark. */
let s: CreditSystem;
let snapshot: string;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
  const [d, a, u, x] = anvil.accounts;
  if (d === undefined || a === undefined || u === undefined || x === undefined) throw new Error('anvil accounts');
  [attester, user, stranger] = [a, u, x];
  s = await deployCreditSystem({ deployer: d, attesters: [attester.address], threshold: 1, chainId: CHAIN_ID, heartbeat: HEARTBEAT });
  await send(s.receiver, 'registerAsset', [SRC_EID, WETH, 18, HEARTBEAT, 10n ** 30n]);
  snapshot = await anvil.rpc<string>('evm_snapshot');
});

afterAll(async () => {
  await anvil?.stop();
});

beforeEach(async () => {
  await anvil.rpc('evm_revert', [snapshot]);
  snapshot = await anvil.rpc<string>('evm_snapshot');
});

const ACCOUNT = () => toBytes32(user.address);
const USDC = () => toBytes32(s.tokenAddress);
const iface = () => s.receiver.interface;

/** The latest block's timestamp: the block.timestamp a call (and so a simulated submit) runs at. */
async function now(): Promise<bigint> {
  return BigInt((await anvil.provider.getBlock('latest'))?.timestamp ?? 0);
}

/** Mines one block at `timestamp`. */
async function mineAt(timestamp: bigint): Promise<void> {
  await anvil.rpc('evm_setNextBlockTimestamp', [Number(timestamp)]);
  await anvil.mine();
}

/** A REVALUATION body of `asset` on SRC_EID (default haircut 0). */
function mark(asset: string, markNonce: bigint, price: bigint, priceTimestamp: bigint, haircut = 0n, overrides: Partial<MarkFields> = {}): string {
  return encodeMarkMessage({ srcEid: SRC_EID, asset, markNonce, price, priceTimestamp, haircut, ...overrides });
}

/** Signatures of `signers` (sorted) over the MarkBatch of `marks` under `domain`. */
function signMarks(marks: readonly string[], validUntil: bigint = FAR_FUTURE, signers: readonly ethers.Wallet[] = [attester], domain: Domain = s.domain): string {
  const digest = markBatchDigest(domain, marks, validUntil);
  return ethers.concat([...signers].sort((x, y) => (BigInt(x.address) < BigInt(y.address) ? -1 : 1)).map((w) => w.signingKey.sign(digest).serialized));
}

/** Simulates, then sends `submitMarks(concat(marks), validUntil, signatures)` (signed by the attester by default). */
function submitMarks(marks: readonly string[], validUntil: bigint = FAR_FUTURE, signatures: string = signMarks(marks, validUntil)): Promise<ethers.TransactionReceipt> {
  return send(s.receiver, 'submitMarks', [ethers.concat([...marks]), validUntil, signatures]);
}

/** Credits `rawAmount` of `asset` (decimals `assetDecimals`) to `user` at deposit `nonce`. */
async function credit(nonce: bigint, asset: string, assetDecimals: number, rawAmount: bigint): Promise<void> {
  const overrides: Partial<CreditFields> = { asset, assetDecimals, rawAmount };
  const p = [creditPacket(s, nonce, user.address, overrides)];
  const [messages, signatures] = compactSubmitArgs(p, signBatch([attester], s.domain, p));
  await send(s.receiver, 'submit', [messages, FAR_FUTURE, signatures]);
}

async function collateralValue(account: string = ACCOUNT()): Promise<[bigint, boolean]> {
  const [value, stale] = (await fn(s.receiver, 'collateralValue')(account)) as [bigint, boolean]; // (uint256, bool)
  return [value, stale];
}

async function valueOf(asset: string, raw: bigint): Promise<[bigint, boolean]> {
  const [value, stale] = (await fn(s.receiver, 'valueOf')(SRC_EID, asset, raw)) as [bigint, boolean]; // (uint256, bool)
  return [value, stale];
}

async function markOf(asset: string): Promise<bigint[]> {
  return [...((await fn(s.receiver, 'markOf')(SRC_EID, asset)) as bigint[])]; // (uint128, uint64, uint64, uint64)
}

/** The user's positions as [asset, rawAmount, frozen, value, stale]. */
async function positions(): Promise<unknown[][]> {
  return ((await fn(s.receiver, 'positions')(ACCOUNT())) as ethers.Result[]).map((p): unknown[] => [p[1], p[2], p[3], p[4], p[5]]); // PositionView[] decodes as Result[]
}

async function setTiers(asset: string, tiers: readonly (readonly [bigint, bigint])[]): Promise<void> {
  await send(s.receiver, 'setSizeTiers', [SRC_EID, asset, tiers.map(([upTo, weight]) => ({ upTo, weight }))]);
}

/** The reason selector of InvalidMessage for a MarkMessage codec error. */
function reason(signature: 'UnsupportedVersion(uint8)' | 'UnsupportedMessageType(uint8)'): string {
  return ethers.id(signature).slice(0, 10);
}

describe('submitMarks', () => {
  test('the first mark is stored: Marked carries the packed word of its fields, and markOf returns them', async () => {
    expect(await markOf(USDC())).toEqual([0n, 0n, 0n, 0n]);
    const t = await now();
    const price = 999n * 10n ** 15n;
    const haircut = 2n * 10n ** 16n;
    const receipt = await submitMarks([mark(USDC(), 1n, price, t, haircut)]);
    const key = (await fn(s.receiver, 'assetKey')(SRC_EID, USDC())) as string; // bytes32 → string
    const logs = receipt.logs.map((l) => iface().parseLog(l));
    expect(logs.map((l) => l?.name)).toEqual(['Marked']);
    const [loggedKey, word] = [...(at(logs, 0)?.args ?? [])] as [string, bigint]; // (bytes32, uint256)
    expect(loggedKey).toBe(key);
    expect(word).toBe(price | (haircut << 112n) | (t << 176n) | (1n << 216n) | (1n << 248n));
    // Decoded as IMarginCreditReceiver documents it.
    expect([word & (2n ** 112n - 1n), (word >> 112n) & (2n ** 64n - 1n), (word >> 176n) & (2n ** 40n - 1n), (word >> 216n) & (2n ** 32n - 1n), word >> 248n]).toEqual([price, haircut, t, 1n, 1n]);
    expect(await markOf(USDC())).toEqual([price, haircut, t, 1n]);
    // The other asset is untouched.
    expect(await markOf(WETH)).toEqual([0n, 0n, 0n, 0n]);
  });

  test('a batch marks several assets, the same one twice in increasing nonce order (the last one stays)', async () => {
    const t = await now();
    const receipt = await submitMarks([mark(USDC(), 1n, E18, t), mark(WETH, 1n, 2_000n * E18, t), mark(USDC(), 2n, E18 + 1n, t)]);
    expect(eventNames(s.receiver, s.receiverAddress, receipt)).toEqual(['Marked', 'Marked', 'Marked']);
    expect(await markOf(USDC())).toEqual([E18 + 1n, 0n, t, 2n]);
    expect(await markOf(WETH)).toEqual([2_000n * E18, 0n, t, 1n]);
  });

  test('the nonce must increase (InvalidMark reason 6), starting above 0', async () => {
    const t = await now();
    await expectRevert(submitMarks([mark(USDC(), 0n, E18, t)]), iface(), 'InvalidMark', [0n, 6n]);
    await submitMarks([mark(USDC(), 5n, E18, t)]);
    await expectRevert(submitMarks([mark(USDC(), 5n, E18, t)]), iface(), 'InvalidMark', [0n, 6n]);
    await expectRevert(submitMarks([mark(USDC(), 4n, E18, t)]), iface(), 'InvalidMark', [0n, 6n]);
    await expectRevert(submitMarks([mark(USDC(), 7n, E18, t), mark(USDC(), 7n, E18, t)]), iface(), 'InvalidMark', [1n, 6n]);
    await submitMarks([mark(USDC(), 7n, E18, t)]);
    expect(at(await markOf(USDC()), 3)).toBe(7n);
  });

  test('the price timestamp must not be older than the current mark (reason 5); the same timestamp is accepted', async () => {
    const t = await now();
    await submitMarks([mark(USDC(), 1n, E18, t)]);
    await expectRevert(submitMarks([mark(USDC(), 2n, E18, t - 1n)]), iface(), 'InvalidMark', [0n, 5n]);
    await submitMarks([mark(USDC(), 2n, 2n * E18, t)]);
    expect(await markOf(USDC())).toEqual([2n * E18, 0n, t, 2n]);
  });

  test('the price timestamp may be at most MAX_FUTURE_SKEW ahead of the block (reason 4)', async () => {
    expect(await fn(s.receiver, 'MAX_FUTURE_SKEW')()).toBe(300n);
    const t = await now();
    await expectRevert(submitMarks([mark(USDC(), 1n, E18, t + 301n)]), iface(), 'InvalidMark', [0n, 4n]);
    await submitMarks([mark(USDC(), 1n, E18, t + 300n)]);
    expect(at(await markOf(USDC()), 2)).toBe(t + 300n);
  });

  test.each([
    ['a price of 2^112 (reason 1)', { price: 2n ** 112n }, 1n],
    ['a price of 2^128 − 1 (reason 1)', { price: 2n ** 128n - 1n }, 1n],
    ['a haircut above 1e18 (reason 2)', { haircut: E18 + 1n }, 2n],
    ['a nonce of 2^32 (reason 3)', { markNonce: 2n ** 32n }, 3n],
  ] as const)('a mark with %s is refused', async (_name, overrides, why) => {
    const t = await now();
    await expectRevert(submitMarks([mark(USDC(), 1n, E18, t), mark(WETH, 1n, E18, t, 0n, overrides)]), iface(), 'InvalidMark', [1n, why]);
  });

  test('the range bounds themselves are accepted: price 2^112 − 1, haircut 1e18, nonce 2^32 − 1', async () => {
    const t = await now();
    await submitMarks([mark(USDC(), 2n ** 32n - 1n, 2n ** 112n - 1n, t, E18)]);
    expect(await markOf(USDC())).toEqual([2n ** 112n - 1n, E18, t, 2n ** 32n - 1n]);
    // The nonce space of the asset is spent: no later mark is accepted.
    await expectRevert(submitMarks([mark(USDC(), 2n ** 32n, E18, t)]), iface(), 'InvalidMark', [0n, 3n]);
  });

  test('a mark of an unregistered asset is refused (UnknownAsset), registration being per source chain', async () => {
    const t = await now();
    await expectRevert(submitMarks([mark(USDC(), 1n, E18, t), mark(NOBODY, 1n, E18, t)]), iface(), 'UnknownAsset', [1n, BigInt(SRC_EID), NOBODY]);
    await expectRevert(submitMarks([mark(USDC(), 1n, E18, t, 0n, { srcEid: SRC_EID + 1 })]), iface(), 'UnknownAsset', [0n, BigInt(SRC_EID + 1), USDC()]);
  });

  test.each([
    ['version 2', (m: string) => `0x02${m.slice(4)}`, ['InvalidMessage', [0n, reason('UnsupportedVersion(uint8)')]]],
    ['type 1 (CREDIT)', (m: string) => `0x0101${m.slice(6)}`, ['InvalidMessage', [0n, reason('UnsupportedMessageType(uint8)')]]],
    ['77 bytes', (m: string) => m.slice(0, -2), ['TruncatedMessage', [0n, 77n]]],
    ['one mark and 10 bytes', (m: string) => `${m}${m.slice(2, 22)}`, ['TruncatedMessage', [1n, 10n]]],
    ['empty', () => '0x', ['EmptyBatch', []]],
  ] as const)('a marks blob that is malformed is refused: %s', async (_name, mutate, [name, args]) => {
    const blob = mutate(mark(USDC(), 1n, E18, await now()));
    await expectRevert(send(s.receiver, 'submitMarks', [blob, FAR_FUTURE, signMarks([blob])]), iface(), name, args);
  });

  test('marks need the attesters: a stranger, another receiver, another validUntil, a bad blob, an expired batch, a pause', async () => {
    const t = await now();
    const marks = [mark(USDC(), 1n, E18, t)];
    await expectRevert(submitMarks(marks, FAR_FUTURE, signMarks(marks, FAR_FUTURE, [stranger])), iface(), 'SignerNotAttester', [0n, stranger.address]);
    const elsewhere = signMarks(marks, FAR_FUTURE, [attester], { ...s.domain, verifyingContract: s.vaultAddress });
    const here = markBatchDigest(s.domain, marks);
    await expectRevert(submitMarks(marks, FAR_FUTURE, elsewhere), iface(), 'SignerNotAttester', [0n, ethers.recoverAddress(here, elsewhere)]);
    const other = signMarks(marks, FAR_FUTURE - 1n);
    await expectRevert(submitMarks(marks, FAR_FUTURE, other), iface(), 'SignerNotAttester', [0n, ethers.recoverAddress(here, other)]);
    await expectRevert(submitMarks(marks, FAR_FUTURE, `${signMarks(marks)}00`), iface(), 'InvalidSignaturesLength', [66n]);
    await expectRevert(submitMarks(marks, t - 1n), iface(), 'AttestationExpired', [t - 1n, t]);
    await send(s.receiver, 'pause', []);
    await expectRevert(submitMarks(marks), iface(), 'EnforcedPause');
    await send(s.receiver, 'unpause', []);
    await submitMarks(marks);
    expect(at(await markOf(USDC()), 3)).toBe(1n);
  });
});

describe('staleness', () => {
  test('an account without positions is worth 0, not stale; a position without a mark is stale', async () => {
    expect(await collateralValue(toBytes32(stranger.address))).toEqual([0n, false]);
    await credit(1n, USDC(), 6, 1_000_000n);
    expect(await collateralValue()).toEqual([0n, true]);
    expect(await positions()).toEqual([[USDC(), 1_000_000n, 0n, 0n, true]]);
    expect(await valueOf(USDC(), 1_000_000n)).toEqual([0n, true]);
  });

  test('a mark is fresh up to its timestamp + heartbeat, stale one second later (the value is still given)', async () => {
    await credit(1n, USDC(), 6, 1_000_000n);
    const t = await now();
    await submitMarks([mark(USDC(), 1n, E18, t)]);
    expect(await collateralValue()).toEqual([E18, false]);
    await mineAt(t + BigInt(HEARTBEAT));
    expect(await collateralValue()).toEqual([E18, false]);
    await mineAt(t + BigInt(HEARTBEAT) + 1n);
    expect(await collateralValue()).toEqual([E18, true]);
    expect(await valueOf(USDC(), 1_000_000n)).toEqual([E18, true]);
    expect(await positions()).toEqual([[USDC(), 1_000_000n, 0n, E18, true]]);
    // A newer mark makes it fresh again.
    await submitMarks([mark(USDC(), 2n, 2n * E18, await now())]);
    expect(await collateralValue()).toEqual([2n * E18, false]);
  });

  test('evm_increaseTime past the heartbeat makes the value stale', async () => {
    await credit(1n, USDC(), 6, 1_000_000n);
    await submitMarks([mark(USDC(), 1n, E18, await now())]);
    await anvil.rpc('evm_increaseTime', [HEARTBEAT + 10]);
    await anvil.mine();
    expect(await collateralValue()).toEqual([E18, true]);
  });

  test('one position without a fresh mark makes the whole account stale; the value sums what is marked', async () => {
    await credit(1n, USDC(), 6, 1_000_000n);
    await credit(2n, WETH, 18, E18);
    const t = await now();
    await submitMarks([mark(USDC(), 1n, E18, t)]);
    expect(await collateralValue()).toEqual([E18, true]);
    expect(await positions()).toEqual([[USDC(), 1_000_000n, 0n, E18, false], [WETH, E18, 0n, 0n, true]]);
    await submitMarks([mark(WETH, 1n, 2_000n * E18, t)]);
    expect(await collateralValue()).toEqual([2_001n * E18, false]);
  });

  test('the heartbeat is per asset and set by setAssetLimits', async () => {
    await credit(1n, USDC(), 6, 1_000_000n);
    const t = await now();
    await submitMarks([mark(USDC(), 1n, E18, t)]);
    await send(s.receiver, 'setAssetLimits', [SRC_EID, USDC(), 60, 10n ** 30n]);
    await mineAt(t + 60n);
    expect(await collateralValue()).toEqual([E18, false]);
    await mineAt(t + 61n);
    expect(await collateralValue()).toEqual([E18, true]);
    // WETH (heartbeat 3600) marked at t is still fresh.
    await submitMarks([mark(WETH, 1n, E18, t)]);
    expect(await valueOf(WETH, E18)).toEqual([E18, false]);
  });
});

describe('exact values', () => {
  test('6-decimals USDC at 0.999 with haircut 0.02: 1000 USDC is worth 979.02', async () => {
    await credit(1n, USDC(), 6, 1_000_000_000n);
    await submitMarks([mark(USDC(), 1n, 999n * 10n ** 15n, await now(), 2n * 10n ** 16n)]);
    // gross = 10^9 · 0.999e18 / 10^6 = 999e18; value = 999e18 · 0.98 = 979.02e18.
    expect(await collateralValue()).toEqual([979_020_000_000_000_000_000n, false]);
    expect(await valueOf(USDC(), 1_000_000_000n)).toEqual([979_020_000_000_000_000_000n, false]);
  });

  test('both floors: the gross value and the final value round down', async () => {
    await submitMarks([mark(USDC(), 1n, 333_333_333_333_333_333n, await now(), 2n * 10n ** 16n)]);
    // gross = floor(3 · 333333333333333333 / 10^6) = floor(999999999999.999999) = 999999999999;
    // value = floor(999999999999 · 0.98) = floor(979999999999.02) = 979999999999.
    expect(await valueOf(USDC(), 3n)).toEqual([979_999_999_999n, false]);
    // 1 base unit: gross = floor(333333333333.333333) = 333333333333; value = floor(326666666666.34) = 326666666666.
    expect(await valueOf(USDC(), 1n)).toEqual([326_666_666_666n, false]);
    // At a price below 10^6 (USD 1e-12 per whole token), 1 base unit has a gross value of 0.
    await submitMarks([mark(USDC(), 2n, 999_999n, await now())]);
    expect(await valueOf(USDC(), 1n)).toEqual([0n, false]);
    expect(await valueOf(USDC(), 2n)).toEqual([1n, false]);
  });

  describe('18-decimals WETH at 2000 with haircut 0.1', () => {
    const TIERS = [[100_000n * E18, E18], [OPEN, E18 / 2n]] as const;

    beforeEach(async () => {
      await submitMarks([mark(WETH, 1n, 2_000n * E18, await now(), E18 / 10n)]);
    });

    test('without tiers: 100 ETH = 200,000 → 180,000', async () => {
      expect(await valueOf(WETH, 100n * E18)).toEqual([180_000n * E18, false]);
    });

    test('within the first tier [100,000 @ 1, open @ 0.5]: 3 ETH = 6,000 → 5,400', async () => {
      await setTiers(WETH, TIERS);
      await credit(1n, WETH, 18, 3n * E18);
      expect(await collateralValue()).toEqual([5_400n * E18, false]);
      expect(await valueOf(WETH, 3n * E18)).toEqual([5_400n * E18, false]);
    });

    test('crossing the tier: 100 ETH = 200,000 → 100,000 + 100,000 · 0.5 = 150,000 → 135,000', async () => {
      await setTiers(WETH, TIERS);
      await credit(1n, WETH, 18, 100n * E18);
      expect(await collateralValue()).toEqual([135_000n * E18, false]);
      expect(await positions()).toEqual([[WETH, 100n * E18, 0n, 135_000n * E18, false]]);
    });

    test('above a finite last tier the value counts 0: [100,000 @ 1, 150,000 @ 0.5], 100 ETH → 125,000 → 112,500', async () => {
      await setTiers(WETH, [[100_000n * E18, E18], [150_000n * E18, E18 / 2n]]);
      expect(await valueOf(WETH, 100n * E18)).toEqual([112_500n * E18, false]);
      // Exactly at the first bound: 50 ETH = 100,000 → 90,000.
      expect(await valueOf(WETH, 50n * E18)).toEqual([90_000n * E18, false]);
    });

    test('two assets add up: 1000 USDC (979.02) + 3 ETH (5,400) = 6,379.02', async () => {
      await setTiers(WETH, TIERS);
      await submitMarks([mark(USDC(), 1n, 999n * 10n ** 15n, await now(), 2n * 10n ** 16n)]);
      await credit(1n, USDC(), 6, 1_000_000_000n);
      await credit(2n, WETH, 18, 3n * E18);
      expect(await collateralValue()).toEqual([6_379_020_000_000_000_000_000n, false]);
    });
  });

  test('the tiers and the haircut round once, at the end: floor(3.5 · 0.6) = 2, not floor(3) · 0.6 → 1', async () => {
    // 4 wei of WETH at 1 USD: gross = 4 (USD 1e-18 units); tiers [3 @ 1, open @ 0.5] → 3.5; haircut 0.4.
    await setTiers(WETH, [[3n, E18], [OPEN, E18 / 2n]]);
    await submitMarks([mark(WETH, 1n, E18, await now(), 4n * 10n ** 17n)]);
    expect(await valueOf(WETH, 4n)).toEqual([2n, false]);
  });

  test('a haircut of 1e18 values a position at 0 (fresh)', async () => {
    await credit(1n, USDC(), 6, 1_000_000n);
    await submitMarks([mark(USDC(), 1n, E18, await now(), E18)]);
    expect(await collateralValue()).toEqual([0n, false]);
  });
});
