/**
 * MarginCreditReceiver bounds on anvil: only registered pathways (vaultOf) and registered assets (decimals, cap)
 * are credited; replay protection is the per-path nonce order alone (there is no guidUsed); the compact batch envelope
 * (message blob, packed signatures, domain); owner-only administration, size tiers and the cap bound; and the raw
 * book and positions through credit → requestWithdrawal → RELEASE_RESULT / VOID → refund result.
 *
 * RELEASE_RESULT messages are built here directly (the vault side is release.test.ts and withdrawal.test.ts): the
 * receiver only checks that a result echoes its withdrawal.
 */
import { ethers, WithdrawalStatus } from '../../contracts/ts/index';
import { deployReceiver } from '../../contracts/ts/deploy';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import {
  DST_EID,
  FAR_FUTURE,
  SRC_EID,
  batchDigest,
  compactSubmitArgs,
  deployCreditSystem,
  encodeMessage,
  encodePacket,
  encodeReleaseResultMessage,
  encodeVoidMessage,
  malleate,
  messageOf,
  signBatch,
  toBytes32,
  withdrawalRequests,
  type CreditFields,
  type CreditSystem,
  type Domain,
  type ReleaseResultFields,
  type VoidFields,
  type WithdrawalRequest,
} from '../support/deploy';
import { expectRevert } from './expectRevert';
import { at, bookOf, eventArgs, eventNames, fn, positionOf, requestWithdrawal, send, statusOf } from './twoWay';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

const CHAIN_ID = 31337;
const MAX_UINT128 = 2n ** 128n - 1n;
/** The default cap deployCreditSystem registers the token with. */
const DEFAULT_CAP = 10n ** 30n;
/** A second pathway: a vault (an address only: the receiver never calls it) on another source chain. */
const OTHER_EID = 40102;
const OTHER_VAULT = toBytes32('0x0000000000000000000000000000000000000B0b');
/** An asset registered for OTHER_EID only. */
const OTHER_ONLY_ASSET = toBytes32('0x00000000000000000000000000000000000A55e7');
const NOBODY = toBytes32('0x000000000000000000000000000000000000dEaD');

let anvil: AnvilInstance;
let deployer: ethers.Wallet;
let a1: ethers.Wallet;
let a2: ethers.Wallet;
let a3: ethers.Wallet;
let user: ethers.Wallet;
let stranger: ethers.Wallet;
/** 2-of-3 receiver with SRC_EID → vault and the 6-decimals token (cap 10^30), plus the OTHER_EID pathway. */
let s: CreditSystem;
/** A second 2-of-3 receiver (same attesters, same eid) that knows the same vault and token. */
let twin: ethers.Contract;
let twinDomain: Domain;
/** A receiver deployed without attesters (threshold 0), knowing the same vault and token. */
let bare: ethers.Contract;
let snapshot: string;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
  const [d, x1, x2, x3, u, st] = anvil.accounts;
  if (d === undefined || x1 === undefined || x2 === undefined || x3 === undefined || u === undefined || st === undefined) throw new Error('anvil accounts');
  [deployer, a1, a2, a3, user, stranger] = [d, x1, x2, x3, u, st];
  s = await deployCreditSystem({ deployer, attesters: [a1.address, a2.address, a3.address], threshold: 2, chainId: CHAIN_ID });
  await send(s.receiver, 'setVault', [OTHER_EID, OTHER_VAULT]);
  await send(s.receiver, 'registerAsset', [OTHER_EID, toBytes32(s.tokenAddress), 6, 3600, DEFAULT_CAP]);
  await send(s.receiver, 'registerAsset', [OTHER_EID, OTHER_ONLY_ASSET, 18, 3600, DEFAULT_CAP]);
  twin = await deployReceiver(deployer, { localEid: DST_EID, attesters: [a1.address, a2.address, a3.address], threshold: 2 });
  await send(twin, 'setVault', [SRC_EID, toBytes32(s.vaultAddress)]);
  await send(twin, 'registerAsset', [SRC_EID, toBytes32(s.tokenAddress), 6, 3600, DEFAULT_CAP]);
  twinDomain = { ...s.domain, verifyingContract: await twin.getAddress() };
  bare = await deployReceiver(deployer, { localEid: DST_EID, attesters: [], threshold: 0 });
  await send(bare, 'setVault', [SRC_EID, toBytes32(s.vaultAddress)]);
  await send(bare, 'registerAsset', [SRC_EID, toBytes32(s.tokenAddress), 6, 3600, DEFAULT_CAP]);
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
const ASSET = () => toBytes32(s.tokenAddress);
const VAULT = () => toBytes32(s.vaultAddress);
const iface = () => s.receiver.interface;

/** A full packet (as the attesters sign it) carrying `message` on the path (srcEid, vault) at `nonce`, to `receiver`. */
function onPath(message: string, srcEid: number, vault: string, nonce: bigint, receiver: string = s.receiverAddress): string {
  return encodePacket({ nonce, srcEid, sender: vault, dstEid: DST_EID, receiver: toBytes32(receiver) }, message);
}

/** CREDIT of deposit `nonce` (default: 1000 raw of the token to `user`, on the main path), header from its fields. */
function credit(nonce: bigint, overrides: Partial<CreditFields> = {}, receiver?: string): string {
  const f: CreditFields = {
    account: ACCOUNT(), srcEid: SRC_EID, srcVault: VAULT(), asset: ASSET(), assetDecimals: 6, depositNonce: nonce, rawAmount: 1_000n,
    haircutValue: 0n, price: 0n, priceTimestamp: 0n, haircut: 0n, sizeWeight: 10n ** 18n, ...overrides,
  };
  return onPath(encodeMessage(f), f.srcEid, f.srcVault, f.depositNonce, receiver);
}

/** VOID of deposit `nonce` (default: refund 300 raw of the token to `user`, reason 3), header from its fields. */
function voided(nonce: bigint, overrides: Partial<VoidFields> = {}): string {
  const f: VoidFields = { account: ACCOUNT(), srcEid: SRC_EID, srcVault: VAULT(), asset: ASSET(), depositNonce: nonce, rawAmount: 300n, refundTo: ACCOUNT(), reason: 3, ...overrides };
  return onPath(encodeVoidMessage(f), f.srcEid, f.srcVault, f.depositNonce);
}

/** RELEASE_RESULT at `nonce` echoing `w` (status 1 RELEASED, 2 FAILED), header from its fields. */
function result(nonce: bigint, w: WithdrawalRequest, status: 1 | 2, overrides: Partial<ReleaseResultFields> = {}): string {
  const f: ReleaseResultFields = {
    srcEid: SRC_EID, srcVault: VAULT(), resultNonce: nonce, withdrawalGuid: w.guid, withdrawalNonce: w.nonce, status,
    account: w.account, asset: w.asset, rawAmount: w.rawAmount, ...overrides,
  };
  return onPath(encodeReleaseResultMessage(f), f.srcEid, f.srcVault, f.resultNonce);
}

/** 2-of-3 signatures (a1, a2) over `packets` under `domain` (default the receiver's). */
function sign(packets: readonly string[], validUntil: bigint = FAR_FUTURE, domain: Domain = s.domain): string[] {
  return signBatch([a1, a2], domain, packets, validUntil);
}

/** Simulates (so a revert carries its data), sends `submit(messages, validUntil, signatures)` to `target`, waits. */
async function submitRaw(messages: string, signatures: string, validUntil: bigint = FAR_FUTURE, target: ethers.Contract = s.receiver): Promise<ethers.TransactionReceipt> {
  return send(target, 'submit', [messages, validUntil, signatures]);
}

/** Signs (a1, a2) and submits full `packets` as the receiver takes them. */
function submit(packets: string[], validUntil: bigint = FAR_FUTURE): Promise<ethers.TransactionReceipt> {
  return submitRaw(...compactSubmitArgs(packets, sign(packets, validUntil)), validUntil);
}

function position(): Promise<[bigint, bigint]> {
  return positionOf(s, ACCOUNT());
}

function book(): Promise<[bigint, bigint]> {
  return bookOf(s);
}

async function bookAt(srcEid: number, asset: string): Promise<[bigint, bigint]> {
  const [credited, frozen] = (await fn(s.receiver, 'book')(srcEid, asset)) as [bigint, bigint]; // (uint128, uint128)
  return [credited, frozen];
}

async function lastNonce(srcEid: number = SRC_EID, vault: string = VAULT()): Promise<bigint> {
  return (await fn(s.receiver, 'lastNonce')(srcEid, vault)) as bigint; // uint64 → bigint
}

async function setCap(cap: bigint): Promise<void> {
  await send(s.receiver, 'setAssetLimits', [SRC_EID, ASSET(), 3600, cap]);
}

/** A reason selector of InvalidMessage. */
function reason(signature: 'UnsupportedMessageType(uint8)' | 'UnsupportedVersion(uint8)'): string {
  return ethers.id(signature).slice(0, 10);
}

/** Signers sorted by address, as the contract wants them. */
function sorted(...ws: ethers.Wallet[]): ethers.Wallet[] {
  return [...ws].sort((x, y) => (BigInt(x.address) < BigInt(y.address) ? -1 : 1));
}

describe('registered pathways and assets', () => {
  test('a credit from a chain with no vault is refused (UnknownPathway)', async () => {
    await expectRevert(submit([credit(1n, { srcEid: 40999 })]), iface(), 'UnknownPathway', [0n, 40999n, VAULT()]);
  });

  test('a credit from another vault of a known chain is refused, even one that is the pathway of another chain', async () => {
    await expectRevert(submit([credit(1n, { srcVault: NOBODY })]), iface(), 'UnknownPathway', [0n, BigInt(SRC_EID), NOBODY]);
    await expectRevert(submit([credit(1n, { srcVault: OTHER_VAULT })]), iface(), 'UnknownPathway', [0n, BigInt(SRC_EID), OTHER_VAULT]);
    // … and at its index in a batch, after a good message.
    await expectRevert(submit([credit(1n), credit(2n, { srcVault: NOBODY })]), iface(), 'UnknownPathway', [1n, BigInt(SRC_EID), NOBODY]);
  });

  test('a vault unset with setVault(srcEid, 0) is no longer a pathway, and vault 0 never is one', async () => {
    const receipt = await send(s.receiver, 'setVault', [SRC_EID, ethers.ZeroHash]);
    expect(eventArgs(s.receiver, s.receiverAddress, receipt, 'VaultSet')).toEqual([BigInt(SRC_EID), ethers.ZeroHash]);
    await expectRevert(submit([credit(1n)]), iface(), 'UnknownPathway', [0n, BigInt(SRC_EID), VAULT()]);
    await expectRevert(submit([credit(1n, { srcVault: ethers.ZeroHash })]), iface(), 'UnknownPathway', [0n, BigInt(SRC_EID), ethers.ZeroHash]);
  });

  test('a credit of 2^128 − 1 is refused: from an unknown chain id by its pathway, on the real path by the cap', async () => {
    await expectRevert(submit([credit(1n, { srcEid: 0xdead, rawAmount: MAX_UINT128 })]), iface(), 'UnknownPathway', [0n, 0xdeadn, VAULT()]);
    await expectRevert(submit([credit(1n, { srcEid: 2 ** 32 - 1, rawAmount: MAX_UINT128 })]), iface(), 'UnknownPathway', [0n, BigInt(2 ** 32 - 1), VAULT()]);
    await expectRevert(submit([credit(1n, { rawAmount: MAX_UINT128 })]), iface(), 'CapExceeded', [0n, MAX_UINT128, DEFAULT_CAP]);
    expect(await book()).toEqual([0n, 0n]);
    expect(await lastNonce()).toBe(0n);
  });

  // The cursor of `submit` starts at the path (0, 0): the first message of a batch on that path must still be checked
  // (it once was not, and a VOID there was applied: a refund WITHDRAWAL to vault 0 on eid 0).
  test('a VOID on the path (srcEid 0, vault 0) is refused (UnknownPathway), also as the first message of a batch', async () => {
    await expectRevert(submit([voided(1n, { srcEid: 0, srcVault: ethers.ZeroHash })]), iface(), 'UnknownPathway', [0n, 0n, ethers.ZeroHash]);
  });

  test('a credit of an unregistered asset is refused (UnknownAsset), registration being per source chain', async () => {
    await expectRevert(submit([credit(1n, { asset: NOBODY })]), iface(), 'UnknownAsset', [0n, BigInt(SRC_EID), NOBODY]);
    // Registered for OTHER_EID only.
    await expectRevert(submit([credit(1n, { asset: OTHER_ONLY_ASSET, assetDecimals: 18 })]), iface(), 'UnknownAsset', [0n, BigInt(SRC_EID), OTHER_ONLY_ASSET]);
    await expectRevert(submit([credit(1n), credit(2n, { asset: NOBODY })]), iface(), 'UnknownAsset', [1n, BigInt(SRC_EID), NOBODY]);
    // The same asset on its own chain is credited.
    await submit([credit(1n, { srcEid: OTHER_EID, srcVault: OTHER_VAULT, asset: OTHER_ONLY_ASSET, assetDecimals: 18 })]);
    expect(await bookAt(OTHER_EID, OTHER_ONLY_ASSET)).toEqual([1_000n, 0n]);
  });

  test('a credit whose assetDecimals differ from the registration is refused (DecimalsMismatch)', async () => {
    await expectRevert(submit([credit(1n, { assetDecimals: 18 })]), iface(), 'DecimalsMismatch', [0n, 6n, 18n]);
    await expectRevert(submit([credit(1n), credit(2n, { assetDecimals: 0 })]), iface(), 'DecimalsMismatch', [1n, 6n, 0n]);
  });

  test('the same token on two pathways has two books', async () => {
    await submit([credit(1n, { rawAmount: 5n }), credit(1n, { srcEid: OTHER_EID, srcVault: OTHER_VAULT, rawAmount: 7n })]);
    expect(await bookAt(SRC_EID, ASSET())).toEqual([5n, 0n]);
    expect(await bookAt(OTHER_EID, ASSET())).toEqual([7n, 0n]);
    expect(await positionOf(s, ACCOUNT())).toEqual([5n, 0n]);
    const [raw] = (await fn(s.receiver, 'position')(ACCOUNT(), OTHER_EID, ASSET())) as [bigint, bigint]; // (uint128, uint128)
    expect(raw).toBe(7n);
  });
});

describe('cap', () => {
  test('a credit exactly at the cap is accepted, one more is refused with the exact total', async () => {
    await setCap(1_000n);
    await submit([credit(1n, { rawAmount: 600n })]);
    await submit([credit(2n, { rawAmount: 400n })]);
    expect(await book()).toEqual([1_000n, 0n]);
    await expectRevert(submit([credit(3n, { rawAmount: 1n })]), iface(), 'CapExceeded', [0n, 1_001n, 1_000n]);
  });

  test('the cap holds within one batch (at the index that crosses it)', async () => {
    await setCap(1_000n);
    await expectRevert(submit([credit(1n, { rawAmount: 600n }), credit(2n, { rawAmount: 400n }), credit(3n, { rawAmount: 1n })]), iface(), 'CapExceeded', [2n, 1_001n, 1_000n]);
    // Credits of two accounts count together.
    await expectRevert(submit([credit(1n, { rawAmount: 600n }), credit(2n, { rawAmount: 401n, account: NOBODY })]), iface(), 'CapExceeded', [1n, 1_001n, 1_000n]);
    await submit([credit(1n, { rawAmount: 600n }), credit(2n, { rawAmount: 400n, account: NOBODY })]);
    expect(await book()).toEqual([1_000n, 0n]);
  });

  test('frozen withdrawals count toward the cap until their result', async () => {
    await setCap(1_000n);
    await submit([credit(1n)]);
    const w = await requestWithdrawal(s, user, 400n, user.address);
    expect(await book()).toEqual([600n, 400n]);
    await expectRevert(submit([credit(2n, { rawAmount: 1n })]), iface(), 'CapExceeded', [0n, 1_001n, 1_000n]);
    await submit([result(2n, w, 1)]);
    expect(await book()).toEqual([600n, 0n]);
    await submit([credit(3n, { rawAmount: 400n })]);
    expect(await book()).toEqual([1_000n, 0n]);
  });

  test('a refund pending or failed counts toward the cap', async () => {
    await setCap(1_000n);
    const receipt = await submit([voided(1n, { rawAmount: 300n })]);
    const refund = at(withdrawalRequests(s, receipt), 0);
    expect(await book()).toEqual([0n, 300n]);
    await expectRevert(submit([credit(2n, { rawAmount: 701n })]), iface(), 'CapExceeded', [0n, 1_001n, 1_000n]);
    await submit([credit(2n, { rawAmount: 700n })]);
    await submit([result(3n, refund, 2)]);
    expect(await statusOf(s, refund.guid)).toBe(WithdrawalStatus.RefundFailed);
    expect(await book()).toEqual([700n, 300n]);
    await expectRevert(submit([credit(4n, { rawAmount: 1n })]), iface(), 'CapExceeded', [0n, 1_001n, 1_000n]);
  });

  test('a cap lowered below the book refuses further credits and keeps the positions', async () => {
    await submit([credit(1n)]);
    const receipt = await send(s.receiver, 'setAssetLimits', [SRC_EID, ASSET(), 60, 500n]);
    const key = (await fn(s.receiver, 'assetKey')(SRC_EID, ASSET())) as string; // bytes32 → string
    expect(eventArgs(s.receiver, s.receiverAddress, receipt, 'AssetLimitsSet')).toEqual([key, 60n, 500n]);
    expect([...(await fn(s.receiver, 'assetConfig').staticCallResult(SRC_EID, ASSET()))]).toEqual([true, 6n, 60n, 500n]);
    await expectRevert(submit([credit(2n, { rawAmount: 1n })]), iface(), 'CapExceeded', [0n, 1_001n, 500n]);
    expect(await position()).toEqual([1_000n, 0n]);
  });
});

describe('replay protection: per-path nonce order, no guidUsed', () => {
  test('the same message twice in one batch is refused at its second index', async () => {
    const p = credit(1n);
    await expectRevert(submit([p, p]), iface(), 'UnexpectedNonce', [1n, 2n, 1n]);
    expect(await lastNonce()).toBe(0n);
  });

  test('a message applied in an earlier batch is refused again, alone or after new ones', async () => {
    await submit([credit(1n)]);
    await expectRevert(submit([credit(1n)]), iface(), 'UnexpectedNonce', [0n, 2n, 1n]);
    await expectRevert(submit([credit(2n), credit(1n)]), iface(), 'UnexpectedNonce', [1n, 3n, 1n]);
    expect(await position()).toEqual([1_000n, 0n]);
  });

  test('a replayed VOID or RELEASE_RESULT is refused by its nonce before anything else', async () => {
    await submit([voided(1n)]);
    await expectRevert(submit([voided(1n)]), iface(), 'UnexpectedNonce', [0n, 2n, 1n]);
    await submit([credit(2n)]);
    const w = await requestWithdrawal(s, user, 100n, user.address);
    await submit([result(3n, w, 1)]);
    await expectRevert(submit([result(3n, w, 1)]), iface(), 'UnexpectedNonce', [0n, 4n, 3n]);
    // At the next nonce, the settled withdrawal itself refuses it.
    await expectRevert(submit([result(4n, w, 1)]), iface(), 'WithdrawalNotPending', [0n, w.guid]);
  });

  test('a skipped nonce is refused, alone and within a batch', async () => {
    await expectRevert(submit([credit(2n)]), iface(), 'UnexpectedNonce', [0n, 1n, 2n]);
    await expectRevert(submit([credit(1n), credit(3n)]), iface(), 'UnexpectedNonce', [1n, 2n, 3n]);
  });

  test('messages of two paths interleave, each on its own nonce sequence', async () => {
    const other = (nonce: bigint, o: Partial<CreditFields> = {}) => credit(nonce, { srcEid: OTHER_EID, srcVault: OTHER_VAULT, ...o });
    await submit([credit(1n), other(1n), credit(2n), other(2n)]);
    expect([await lastNonce(), await lastNonce(OTHER_EID, OTHER_VAULT)]).toEqual([2n, 2n]);
    expect(await bookAt(SRC_EID, ASSET())).toEqual([2_000n, 0n]);
    expect(await bookAt(OTHER_EID, ASSET())).toEqual([2_000n, 0n]);
    // A replay of the other path, after a good message of this one.
    await expectRevert(submit([credit(3n), other(2n)]), iface(), 'UnexpectedNonce', [1n, 3n, 2n]);
    // A replay on this path after switching paths (the nonce was carried across the switch).
    await expectRevert(submit([credit(3n), other(3n), credit(3n)]), iface(), 'UnexpectedNonce', [2n, 4n, 3n]);
    // A skip on this path after a good message of the other one.
    await expectRevert(submit([other(3n), credit(4n)]), iface(), 'UnexpectedNonce', [1n, 3n, 4n]);
    await submit([other(3n), credit(3n), other(4n)]);
    expect([await lastNonce(), await lastNonce(OTHER_EID, OTHER_VAULT)]).toEqual([3n, 4n]);
  });
});

describe('compact batch envelope', () => {
  test('an empty batch is refused', async () => {
    await expectRevert(submitRaw('0x', ethers.concat(sign([]))), iface(), 'EmptyBatch');
  });

  test.each([
    ['a CREDIT cut after 100 bytes', () => ethers.dataSlice(messageOf(credit(2n)), 0, 100), 100n],
    ['one trailing byte', () => '0x01', 1n],
    ['a VOID one byte short', () => ethers.dataSlice(messageOf(voided(2n)), 0, 158), 158n],
  ])('a blob ending inside a message is refused (TruncatedMessage): %s', async (_name, tail, remaining) => {
    const messages = ethers.concat([messageOf(credit(1n)), tail()]);
    await expectRevert(submitRaw(messages, ethers.concat(sign([credit(1n)]))), iface(), 'TruncatedMessage', [1n, remaining]);
  });

  test.each([
    ['type 0', 0],
    ['type 2 (WITHDRAWAL)', 2],
    ['type 3 (REVALUATION)', 3],
    ['type 9', 9],
  ])('a message of an unknown type byte is refused: %s', async (_name, type) => {
    const m = messageOf(credit(2n));
    const unknown = `0x01${type.toString(16).padStart(2, '0')}${m.slice(6)}`;
    await expectRevert(submitRaw(ethers.concat([messageOf(credit(1n)), unknown]), ethers.concat(sign([credit(1n)]))), iface(), 'InvalidMessage', [1n, reason('UnsupportedMessageType(uint8)')]);
  });

  test('a signatures blob that is not a multiple of 65 bytes is refused', async () => {
    const p = [credit(1n)];
    const two = ethers.concat(sign(p));
    await expectRevert(submitRaw(messageOf(at(p, 0)), ethers.concat([two, '0x00'])), iface(), 'InvalidSignaturesLength', [131n]);
    await expectRevert(submitRaw(messageOf(at(p, 0)), ethers.dataSlice(two, 0, 129)), iface(), 'InvalidSignaturesLength', [129n]);
  });

  test('fewer signatures than the threshold are refused', async () => {
    const p = [credit(1n)];
    await expectRevert(submitRaw(messageOf(at(p, 0)), ethers.concat(signBatch([a1], s.domain, p))), iface(), 'InsufficientSignatures', [1n, 2n]);
    await expectRevert(submitRaw(messageOf(at(p, 0)), '0x'), iface(), 'InsufficientSignatures', [0n, 2n]);
  });

  test('a duplicate signer is refused', async () => {
    const p = [credit(1n)];
    const one = at(signBatch([a1], s.domain, p), 0);
    await expectRevert(submitRaw(messageOf(at(p, 0)), ethers.concat([one, one])), iface(), 'DuplicateSigner', [1n, a1.address]);
  });

  test('signers not in increasing address order are refused', async () => {
    const p = [credit(1n)];
    const [low, high] = sorted(a1, a2);
    if (low === undefined || high === undefined) throw new Error('signers');
    const reversed = signBatch([low, high], s.domain, p).reverse();
    await expectRevert(submitRaw(messageOf(at(p, 0)), ethers.concat(reversed)), iface(), 'SignersNotOrdered', [1n, low.address]);
  });

  test('a malleable (high-s) signature is refused at its index', async () => {
    const p = [credit(1n)];
    const [first, second] = sign(p);
    if (first === undefined || second === undefined) throw new Error('signatures');
    await expectRevert(submitRaw(messageOf(at(p, 0)), ethers.concat([first, malleate(second)])), iface(), 'MalleableSignature', [1n]);
  });

  test('a signature by a non-attester is refused with its signer', async () => {
    const p = [credit(1n)];
    const sigs = signBatch(sorted(a1, stranger), s.domain, p);
    const index = sorted(a1, stranger).indexOf(stranger);
    await expectRevert(submitRaw(messageOf(at(p, 0)), ethers.concat(sigs)), iface(), 'SignerNotAttester', [BigInt(index), stranger.address]);
  });

  test('an expired attestation is refused with its validUntil and the block time', async () => {
    const p = [credit(1n)];
    const now = BigInt((await anvil.provider.getBlock('latest'))?.timestamp ?? 0);
    const validUntil = now + 10n;
    await anvil.rpc('evm_setNextBlockTimestamp', [Number(validUntil + 1n)]);
    await anvil.mine();
    await expectRevert(submit(p, validUntil), iface(), 'AttestationExpired', [validUntil, validUntil + 1n]);
  });

  test('a batch signed for another receiver is refused here and accepted there (same calldata)', async () => {
    // The messages carry no receiver, so the two receivers take the very same bytes; only the domain and the GUIDs
    // they rebuild (receiver = itself) tell them apart.
    const forTwin = [credit(1n, {}, twinDomain.verifyingContract)];
    const [messages, sigs] = compactSubmitArgs(forTwin, sign(forTwin, FAR_FUTURE, twinDomain));
    expect(messages).toBe(messageOf(credit(1n)));
    const here = batchDigest(s.domain, [credit(1n)]);
    const signer = ethers.recoverAddress(here, ethers.dataSlice(sigs, 0, 65));
    expect([a1.address, a2.address, a3.address]).not.toContain(signer);
    await expectRevert(submitRaw(messages, sigs), iface(), 'SignerNotAttester', [0n, signer]);
    await submitRaw(messages, sigs, FAR_FUTURE, twin);
    expect(await fn(twin, 'lastNonce')(SRC_EID, VAULT())).toBe(1n);
    expect(await lastNonce()).toBe(0n);
  });

  test('a batch signed under this domain but for the GUIDs of another receiver is refused', async () => {
    const forTwin = [credit(1n, {}, twinDomain.verifyingContract)];
    const sigs = sign(forTwin);
    const signer = ethers.recoverAddress(batchDigest(s.domain, [credit(1n)]), at(sigs, 0));
    await expectRevert(submitRaw(messageOf(at(forTwin, 0)), ethers.concat(sigs)), iface(), 'SignerNotAttester', [0n, signer]);
  });

  test('a receiver without attesters refuses every batch (ThresholdNotSet)', async () => {
    expect(await fn(bare, 'threshold')()).toBe(0n);
    await expectRevert(submitRaw(messageOf(credit(1n)), '0x', FAR_FUTURE, bare), bare.interface, 'ThresholdNotSet');
  });
});

describe('owner-only administration', () => {
  test('every admin function reverts for a non-owner', async () => {
    const calls: [string, unknown[]][] = [
      ['setVault', [SRC_EID, NOBODY]],
      ['registerAsset', [SRC_EID, NOBODY, 6, 3600, 1n]],
      ['setAssetLimits', [SRC_EID, ASSET(), 3600, 1n]],
      ['setSizeTiers', [SRC_EID, ASSET(), []]],
      ['setWithdrawalGuard', [stranger.address]],
      ['setGuardian', [stranger.address]],
      ['unpause', []],
      ['addAttester', [stranger.address]],
      ['removeAttester', [a1.address]],
      ['setThreshold', [1]],
      ['transferOwnership', [stranger.address]],
      ['renounceOwnership', []],
    ];
    for (const [name, args] of calls) {
      await expectRevert(fn(s.receiver, name, stranger)(...args), iface(), 'OwnableUnauthorizedAccount', [stranger.address]);
    }
    // pause is the guardian's (or the owner's): test/contracts/timelock.test.ts
    await expectRevert(fn(s.receiver, 'pause', stranger)(), iface(), 'NotGuardian', [stranger.address]);
    expect(await fn(s.receiver, 'owner')()).toBe(deployer.address);
  });

  test('registerAsset records the asset once, with events, and refuses decimals above 36', async () => {
    const asset = NOBODY;
    const key = (await fn(s.receiver, 'assetKey')(SRC_EID, asset)) as string; // bytes32 → string
    const count = (await fn(s.receiver, 'assetCount')()) as bigint; // uint256 → bigint
    const receipt = await send(s.receiver, 'registerAsset', [SRC_EID, asset, 36, 120, 5n]);
    expect(eventNames(s.receiver, s.receiverAddress, receipt)).toEqual(['AssetRegistered', 'AssetLimitsSet']);
    expect(eventArgs(s.receiver, s.receiverAddress, receipt, 'AssetRegistered')).toEqual([key, BigInt(SRC_EID), asset, 36n]);
    expect(eventArgs(s.receiver, s.receiverAddress, receipt, 'AssetLimitsSet')).toEqual([key, 120n, 5n]);
    expect([...(await fn(s.receiver, 'assetConfig').staticCallResult(SRC_EID, asset))]).toEqual([true, 36n, 120n, 5n]);
    expect(await fn(s.receiver, 'assetCount')()).toBe(count + 1n);
    expect([...(await fn(s.receiver, 'assetAt').staticCallResult(count))]).toEqual([BigInt(SRC_EID), asset]);
    await expectRevert(fn(s.receiver, 'registerAsset')(SRC_EID, asset, 6, 120, 5n), iface(), 'AssetExists', [BigInt(SRC_EID), asset]);
    await expectRevert(fn(s.receiver, 'registerAsset')(SRC_EID, toBytes32(stranger.address), 37, 120, 5n), iface(), 'InvalidDecimals', [37n]);
    expect([...(await fn(s.receiver, 'assetConfig').staticCallResult(SRC_EID, toBytes32(stranger.address)))]).toEqual([false, 0n, 0n, 0n]);
  });

  test('setAssetLimits and setSizeTiers refuse an unregistered asset (index type(uint256).max: outside a batch)', async () => {
    await expectRevert(fn(s.receiver, 'setAssetLimits')(SRC_EID, NOBODY, 3600, 1n), iface(), 'UnknownAsset', [ethers.MaxUint256, BigInt(SRC_EID), NOBODY]);
    await expectRevert(fn(s.receiver, 'setSizeTiers')(OTHER_EID + 1, ASSET(), []), iface(), 'UnknownAsset', [ethers.MaxUint256, BigInt(OTHER_EID + 1), ASSET()]);
  });

  test('the cap is bounded by 2^84 · 10^decimals (CapTooLarge), at registration and after', async () => {
    const max6 = 2n ** 84n * 10n ** 6n;
    await expectRevert(fn(s.receiver, 'registerAsset')(SRC_EID, NOBODY, 6, 3600, max6 + 1n), iface(), 'CapTooLarge', [max6 + 1n, max6]);
    await send(s.receiver, 'registerAsset', [SRC_EID, NOBODY, 6, 3600, max6]);
    await expectRevert(fn(s.receiver, 'setAssetLimits')(SRC_EID, NOBODY, 3600, max6 + 1n), iface(), 'CapTooLarge', [max6 + 1n, max6]);
    await expectRevert(fn(s.receiver, 'registerAsset')(SRC_EID, toBytes32(stranger.address), 0, 3600, 2n ** 84n + 1n), iface(), 'CapTooLarge', [2n ** 84n + 1n, 2n ** 84n]);
    // From 12 decimals on, 2^84 · 10^decimals ≥ 2^128: every uint128 cap is allowed.
    await send(s.receiver, 'registerAsset', [SRC_EID, toBytes32(stranger.address), 18, 3600, MAX_UINT128]);
    expect(at([...(await fn(s.receiver, 'assetConfig').staticCallResult(SRC_EID, toBytes32(stranger.address)))], 3)).toBe(MAX_UINT128);
  });

  const ONE = 10n ** 18n;
  const OPEN = MAX_UINT128;
  test.each([
    ['a first bound of 0', [[0n, ONE]], 0n],
    ['bounds not strictly ascending', [[100n, ONE], [100n, ONE / 2n]], 1n],
    ['bounds descending', [[100n, ONE], [200n, ONE / 2n], [150n, ONE / 4n]], 2n],
    ['a weight above 1e18', [[100n, ONE + 1n]], 0n],
    ['an increasing weight', [[100n, ONE / 2n], [200n, ONE / 2n + 1n]], 1n],
    ['an open tier not last', [[100n, ONE], [OPEN, ONE / 2n], [OPEN, 0n]], 1n],
  ] as const)('setSizeTiers refuses %s (InvalidSizeTiers with its index)', async (_name, tiers, index) => {
    await expectRevert(fn(s.receiver, 'setSizeTiers')(SRC_EID, ASSET(), tiers.map(([upTo, weight]) => ({ upTo, weight }))), iface(), 'InvalidSizeTiers', [index]);
  });

  test('setSizeTiers stores valid tiers (equal weights, weight 0, an open end) and replaces them', async () => {
    const key = (await fn(s.receiver, 'assetKey')(SRC_EID, ASSET())) as string; // bytes32 → string
    const tiers = [{ upTo: 100n, weight: ONE }, { upTo: 200n, weight: ONE }, { upTo: 300n, weight: 0n }];
    const receipt = await send(s.receiver, 'setSizeTiers', [SRC_EID, ASSET(), tiers]);
    expect(eventArgs(s.receiver, s.receiverAddress, receipt, 'SizeTiersSet')).toEqual([key, 3n]);
    const read = async () => ((await fn(s.receiver, 'sizeTiers')(SRC_EID, ASSET())) as ethers.Result[]).map((t): unknown[] => [...t]); // SizeTier[] decodes as Result[]
    expect(await read()).toEqual([[100n, ONE], [200n, ONE], [300n, 0n]]);
    await send(s.receiver, 'setSizeTiers', [SRC_EID, ASSET(), [{ upTo: 10n ** 23n, weight: ONE }, { upTo: OPEN, weight: ONE / 2n }]]);
    expect(await read()).toEqual([[10n ** 23n, ONE], [OPEN, ONE / 2n]]);
    const cleared = await send(s.receiver, 'setSizeTiers', [SRC_EID, ASSET(), []]);
    expect(eventArgs(s.receiver, s.receiverAddress, cleared, 'SizeTiersSet')).toEqual([key, 0n]);
    expect(await read()).toEqual([]);
  });
});

describe('book and positions through the two-way flow', () => {
  test('credit → requestWithdrawal → RELEASED result: PENDING then FINISHED, the frozen amount leaves the book', async () => {
    await submit([credit(1n)]);
    expect([await position(), await book()]).toEqual([[1_000n, 0n], [1_000n, 0n]]);
    const w = await requestWithdrawal(s, user, 400n, user.address);
    expect(await statusOf(s, w.guid)).toBe(WithdrawalStatus.Pending);
    expect([await position(), await book()]).toEqual([[600n, 400n], [600n, 400n]]);
    const receipt = await submit([result(2n, w, 1)]);
    expect(at(eventArgs(s.receiver, s.receiverAddress, receipt, 'WithdrawalSettled'), 2)).toBe(BigInt(WithdrawalStatus.Finished));
    expect(await statusOf(s, w.guid)).toBe(WithdrawalStatus.Finished);
    expect([await position(), await book()]).toEqual([[600n, 0n], [600n, 0n]]);
  });

  test('credit → requestWithdrawal → FAILED result: UNFROZEN, the amount is credited again', async () => {
    await submit([credit(1n)]);
    const w = await requestWithdrawal(s, user, 400n, user.address);
    await submit([result(2n, w, 2)]);
    expect(await statusOf(s, w.guid)).toBe(WithdrawalStatus.Unfrozen);
    expect([await position(), await book()]).toEqual([[1_000n, 0n], [1_000n, 0n]]);
  });

  test('VOID → REFUND_PENDING (frozen in the book only) → REFUNDED removes it', async () => {
    const receipt = await submit([voided(1n, { rawAmount: 300n })]);
    const refund = at(withdrawalRequests(s, receipt), 0);
    expect(refund).toMatchObject({ account: ACCOUNT(), nonce: 1n, rawAmount: 300n, recipient: ACCOUNT(), voidedNonce: 1n });
    expect(await statusOf(s, refund.guid)).toBe(WithdrawalStatus.RefundPending);
    expect([await position(), await book()]).toEqual([[0n, 0n], [0n, 300n]]);
    await submit([credit(2n)]);
    expect([await position(), await book()]).toEqual([[1_000n, 0n], [1_000n, 300n]]);
    await submit([result(3n, refund, 1)]);
    expect(await statusOf(s, refund.guid)).toBe(WithdrawalStatus.Refunded);
    expect([await position(), await book()]).toEqual([[1_000n, 0n], [1_000n, 0n]]);
  });

  test('VOID → REFUND_FAILED keeps the refund frozen in the book, and it cannot be settled again', async () => {
    const receipt = await submit([voided(1n, { rawAmount: 300n })]);
    const refund = at(withdrawalRequests(s, receipt), 0);
    await submit([result(2n, refund, 2)]);
    expect(await statusOf(s, refund.guid)).toBe(WithdrawalStatus.RefundFailed);
    expect([await position(), await book()]).toEqual([[0n, 0n], [0n, 300n]]);
    await expectRevert(submit([result(3n, refund, 1)]), iface(), 'WithdrawalNotPending', [0n, refund.guid]);
  });

  test.each([
    ['another amount', { rawAmount: 401n }],
    ['another account', { account: NOBODY }],
    ['another asset', { asset: NOBODY }],
    ['another withdrawal nonce', { withdrawalNonce: 2n }],
  ] as const)('a RELEASE_RESULT echoing %s is refused (ResultMismatch at its index)', async (_name, override) => {
    await submit([credit(1n)]);
    const w = await requestWithdrawal(s, user, 400n, user.address);
    await expectRevert(submit([credit(2n, { rawAmount: 1n }), result(3n, w, 1, override)]), iface(), 'ResultMismatch', [1n]);
    expect(await statusOf(s, w.guid)).toBe(WithdrawalStatus.Pending);
    expect([await position(), await book()]).toEqual([[600n, 400n], [600n, 400n]]);
  });

  test('a RELEASE_RESULT of a refund echoing another amount is refused (ResultMismatch)', async () => {
    const receipt = await submit([voided(1n, { rawAmount: 300n })]);
    const refund = at(withdrawalRequests(s, receipt), 0);
    await expectRevert(submit([result(2n, refund, 1, { rawAmount: 299n })]), iface(), 'ResultMismatch', [0n]);
    expect(await statusOf(s, refund.guid)).toBe(WithdrawalStatus.RefundPending);
  });
});
