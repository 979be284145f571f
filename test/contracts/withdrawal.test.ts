/**
 * The receiver's side of the two-way book on anvil (docs/two-way-book.md): requestWithdrawal (freeze, guard),
 * RELEASE_RESULT (finish / unfreeze), VOID (skip + refund), each round trip through a real CollateralVault. Positions
 * and the book hold raw amounts; a withdrawal's record is its status (its fields are in WithdrawalRequested).
 */
import { ethers, WithdrawalStatus } from '../../contracts/ts/index';
import { deployWithdrawalGuard } from '../../contracts/ts/deploy';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import {
  DST_EID,
  SRC_EID,
  computeGuid,
  creditPacket,
  deployCreditSystem,
  encodeMarkMessage,
  encodePacket,
  encodeReleaseResultMessage,
  encodeVoidMessage,
  inboundHeader,
  releaseResultPacket,
  submitMarks,
  toBytes32,
  voidPacket,
  withdrawalHeader,
  withdrawalRequests,
  type CreditSystem,
} from '../support/deploy';
import { expectRevert } from './expectRevert';
import { at, bookOf, eventArgs, eventNames, fn, lockAndCredit, positionOf, release, requestWithdrawal, send, settle, statusOf, submitToReceiver } from './twoWay';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

const CHAIN_ID = 31337;

let anvil: AnvilInstance;
let deployer: ethers.Wallet;
let attester: ethers.Wallet;
let user: ethers.Wallet;
let recipient: ethers.Wallet;
let stranger: ethers.Wallet;
let s: CreditSystem;
let snapshot: string;

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
  const [d, a, u, r, x] = anvil.accounts;
  if (d === undefined || a === undefined || u === undefined || r === undefined || x === undefined) throw new Error('anvil accounts');
  [deployer, attester, user, recipient, stranger] = [d, a, u, r, x];
  s = await deployCreditSystem({ deployer, attesters: [attester.address], threshold: 1, chainId: CHAIN_ID, restrictedToken: true });
  await send(s.token, 'mint', [user.address, 10n ** 12n]);
  await send(s.token, 'approve', [s.vaultAddress, ethers.MaxUint256], user);
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

/** The user's position: [credited raw, frozen raw]. */
function position(): Promise<[bigint, bigint]> {
  return positionOf(s, ACCOUNT());
}

/** The token's book: [credited raw, frozen raw]. */
function book(): Promise<[bigint, bigint]> {
  return bookOf(s);
}

function status(guid: string): Promise<number> {
  return statusOf(s, guid);
}

/** The user's collateralValue: [USD 18 decimals, stale]. */
async function value(): Promise<[bigint, boolean]> {
  const [v, stale] = (await fn(s.receiver, 'collateralValue')(ACCOUNT())) as [bigint, boolean]; // (uint256, bool)
  return [v, stale];
}

/** Marks the token at `price` (USD per whole token, 18 decimals), haircut 0, stamped with the latest block time. */
async function markToken(price: bigint): Promise<void> {
  const now = BigInt((await anvil.provider.getBlock('latest'))?.timestamp ?? 0);
  await (await submitMarks(s, [attester], [encodeMarkMessage({ srcEid: SRC_EID, asset: ASSET(), markNonce: 1n, price, priceTimestamp: now, haircut: 0n })])).wait();
}

/** A full packet carrying `message` on the path (srcEid, vault) at `nonce`, as the attesters sign it. */
function packetOn(srcEid: number, vault: string, nonce: bigint, message: string): string {
  return encodePacket({ nonce, srcEid, sender: vault, dstEid: DST_EID, receiver: toBytes32(s.receiverAddress) }, message);
}

async function totalLocked(): Promise<bigint> {
  return at([...(await fn(s.vault, 'assets').staticCallResult(s.tokenAddress))], 2) as bigint; // uint128 → bigint
}

describe('requestWithdrawal', () => {
  test('requestWithdrawal freezes the amount in the position and the book, and emits WithdrawalRequested', async () => {
    await lockAndCredit(s, user, [attester], 3n);
    const receipt = await send(s.receiver, 'requestWithdrawal', [SRC_EID, ASSET(), 1n, toBytes32(recipient.address)], user);
    const w = at(withdrawalRequests(s, receipt), 0);
    const expectedGuid = computeGuid(withdrawalHeader(s, 1n));
    expect(w).toEqual({
      guid: expectedGuid, account: ACCOUNT(), vaultEid: SRC_EID, vault: toBytes32(s.vaultAddress), nonce: 1n, asset: ASSET(),
      rawAmount: 1n, recipient: toBytes32(recipient.address), voidedNonce: 0n,
    });
    expect(await position()).toEqual([2n, 1n]);
    expect(await book()).toEqual([2n, 1n]);
    expect(await fn(s.receiver, 'outboundNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(1n);
    // The record keeps the status only (its fields are the event's); an unknown guid is NONE.
    expect(await status(expectedGuid)).toBe(WithdrawalStatus.Pending);
    expect(await status(computeGuid(withdrawalHeader(s, 2n)))).toBe(WithdrawalStatus.None);
    const [guid, nonce] = (await fn(s.receiver, 'requestWithdrawal', user).staticCall(SRC_EID, ASSET(), 2n, toBytes32(recipient.address))) as [string, bigint]; // (bytes32 guid, uint64 nonce)
    expect([guid, nonce]).toEqual([computeGuid(withdrawalHeader(s, 2n)), 2n]);
  });

  test('requestWithdrawal takes the frozen amount out of the collateral value', async () => {
    await lockAndCredit(s, user, [attester], 3_000_000n);
    await markToken(10n ** 18n);
    expect(await value()).toEqual([3n * 10n ** 18n, false]);
    await requestWithdrawal(s, user, 1_000_000n, recipient.address);
    expect(await value()).toEqual([2n * 10n ** 18n, false]);
  });

  test('requestWithdrawal of everything freezes all the value', async () => {
    await lockAndCredit(s, user, [attester], 3_000_000n);
    await markToken(10n ** 18n);
    await requestWithdrawal(s, user, 3_000_000n, recipient.address);
    expect(await position()).toEqual([0n, 3_000_000n]);
    expect(await book()).toEqual([0n, 3_000_000n]);
    expect(await value()).toEqual([0n, false]);
    // Still listed (frozen), at value 0.
    const listed = ((await fn(s.receiver, 'positions')(ACCOUNT())) as ethers.Result[]).map((p): unknown[] => [...p]); // PositionView[] decodes as Result[]
    expect(listed).toEqual([[BigInt(SRC_EID), ASSET(), 0n, 3_000_000n, 0n, false]]);
  });

  test('requestWithdrawal reverts if the amount is above the available (credited and not frozen) amount', async () => {
    await lockAndCredit(s, user, [attester], 100n);
    const call = (amount: bigint) => fn(s.receiver, 'requestWithdrawal', user)(SRC_EID, ASSET(), amount, toBytes32(recipient.address));
    await expectRevert(call(101n), s.receiver.interface, 'InsufficientCredit', [100n, 101n]);
    await requestWithdrawal(s, user, 60n, recipient.address);
    await expectRevert(call(41n), s.receiver.interface, 'InsufficientCredit', [40n, 41n]);
    // Another account holds nothing.
    await expectRevert(fn(s.receiver, 'requestWithdrawal', stranger)(SRC_EID, ASSET(), 1n, toBytes32(recipient.address)), s.receiver.interface, 'InsufficientCredit', [0n, 1n]);
  });

  test('requestWithdrawal reverts if the amount or recipient is zero, or no vault is set for the source', async () => {
    await lockAndCredit(s, user, [attester], 100n);
    const call = (srcEid: number, amount: bigint, to: string) => fn(s.receiver, 'requestWithdrawal', user)(srcEid, ASSET(), amount, to);
    await expectRevert(call(SRC_EID, 0n, toBytes32(recipient.address)), s.receiver.interface, 'ZeroAmount');
    await expectRevert(call(SRC_EID, 1n, ethers.ZeroHash), s.receiver.interface, 'ZeroRecipient');
    await expectRevert(call(SRC_EID + 1, 1n, toBytes32(recipient.address)), s.receiver.interface, 'VaultNotSet', [BigInt(SRC_EID + 1)]);
    const receipt = await send(s.receiver, 'setVault', [SRC_EID, ethers.ZeroHash]);
    expect(eventArgs(s.receiver, s.receiverAddress, receipt, 'VaultSet')).toEqual([BigInt(SRC_EID), ethers.ZeroHash]);
    await expectRevert(call(SRC_EID, 1n, toBytes32(recipient.address)), s.receiver.interface, 'VaultNotSet', [BigInt(SRC_EID)]);
  });

  test('requestWithdrawal reverts if the guard returns false or reverts, and goes through when it returns true', async () => {
    await lockAndCredit(s, user, [attester], 100n);
    const call = () => fn(s.receiver, 'requestWithdrawal', user)(SRC_EID, ASSET(), 1n, toBytes32(recipient.address));
    const refusing = await deployWithdrawalGuard(deployer, { answer: false });
    const reverting = await deployWithdrawalGuard(deployer, { answer: 'revert' });
    const receipt = await send(s.receiver, 'setWithdrawalGuard', [await refusing.getAddress()]);
    expect(eventArgs(s.receiver, s.receiverAddress, receipt, 'WithdrawalGuardSet')).toEqual([await refusing.getAddress()]);
    expect(await fn(s.receiver, 'withdrawalGuard')()).toBe(await refusing.getAddress());
    await expectRevert(call(), s.receiver.interface, 'WithdrawalRefused', [await refusing.getAddress()]);

    await send(s.receiver, 'setWithdrawalGuard', [await reverting.getAddress()]);
    await expectRevert(call(), s.receiver.interface, 'WithdrawalRefused', [await reverting.getAddress()]);
    // A guard that is not a contract returns no data: refused too.
    await send(s.receiver, 'setWithdrawalGuard', [stranger.address]);
    await expectRevert(call(), s.receiver.interface, 'WithdrawalRefused', [stranger.address]);
    expect(await position()).toEqual([100n, 0n]);

    await send(refusing, 'setAllowed', [true]);
    await send(s.receiver, 'setWithdrawalGuard', [await refusing.getAddress()]);
    await requestWithdrawal(s, user, 1n, recipient.address);
    await send(s.receiver, 'setWithdrawalGuard', [ethers.ZeroAddress]);
    await requestWithdrawal(s, user, 1n, recipient.address);
    expect(await position()).toEqual([98n, 2n]);
  });

  test('requestWithdrawal reverts while paused', async () => {
    await lockAndCredit(s, user, [attester], 100n);
    await send(s.receiver, 'pause', []);
    await expectRevert(fn(s.receiver, 'requestWithdrawal', user)(SRC_EID, ASSET(), 1n, toBytes32(recipient.address)), s.receiver.interface, 'EnforcedPause');
  });

  test('setVault and setWithdrawalGuard revert for a non-owner', async () => {
    await expectRevert(fn(s.receiver, 'setVault', stranger)(SRC_EID, ethers.ZeroHash), s.receiver.interface, 'OwnableUnauthorizedAccount', [stranger.address]);
    await expectRevert(fn(s.receiver, 'setWithdrawalGuard', stranger)(stranger.address), s.receiver.interface, 'OwnableUnauthorizedAccount', [stranger.address]);
  });
});

describe('round trip', () => {
  test('a released withdrawal pays the recipient, and its RELEASED result finishes it (frozen removed)', async () => {
    await lockAndCredit(s, user, [attester], 1_000n);
    const w = await requestWithdrawal(s, user, 400n, recipient.address);
    const { receipt, results } = await release(s, [attester], [w]);
    expect(eventNames(s.vault, s.vaultAddress, receipt)).toEqual(['Released', 'ReleaseResult']);
    expect(await fn(s.token, 'balanceOf')(recipient.address)).toBe(400n);
    expect(await totalLocked()).toBe(600n);
    const r = at(results, 0);
    expect(r).toMatchObject({ nonce: 2n, withdrawalGuid: w.guid, withdrawalNonce: 1n, status: 1, account: ACCOUNT(), asset: ASSET(), rawAmount: 400n });

    const settled = await settle(s, [attester], [r]);
    expect(eventArgs(s.receiver, s.receiverAddress, settled, 'WithdrawalSettled')).toEqual([w.guid, r.guid, BigInt(WithdrawalStatus.Finished)]);
    expect(await status(w.guid)).toBe(WithdrawalStatus.Finished);
    expect(await position()).toEqual([600n, 0n]);
    expect(await book()).toEqual([600n, 0n]);
    expect(await fn(s.receiver, 'lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(2n);
  });

  test('a failed payout (blocked recipient) returns FAILED, which unfreezes the withdrawal back to credited', async () => {
    await lockAndCredit(s, user, [attester], 1_000n);
    const w = await requestWithdrawal(s, user, 400n, recipient.address);
    await send(s.token, 'setBlocked', [recipient.address, true]);
    const { receipt, results } = await release(s, [attester], [w]);
    expect(eventNames(s.vault, s.vaultAddress, receipt)).toEqual(['ReleaseFailed', 'ReleaseResult']);
    expect(await totalLocked()).toBe(1_000n);
    const r = at(results, 0);
    expect(r.status).toBe(2);
    const settled = await settle(s, [attester], [r]);
    expect(eventArgs(s.receiver, s.receiverAddress, settled, 'WithdrawalSettled')).toEqual([w.guid, r.guid, BigInt(WithdrawalStatus.Unfrozen)]);
    expect(await status(w.guid)).toBe(WithdrawalStatus.Unfrozen);
    expect(await position()).toEqual([1_000n, 0n]);
    expect(await book()).toEqual([1_000n, 0n]);
    // Unfrozen credit can be withdrawn again.
    await requestWithdrawal(s, user, 1_000n, recipient.address);
  });

  test('submit reverts if a result finishes a withdrawal twice', async () => {
    await lockAndCredit(s, user, [attester], 1_000n);
    const w = await requestWithdrawal(s, user, 400n, recipient.address);
    const { results } = await release(s, [attester], [w]);
    const r = at(results, 0);
    await settle(s, [attester], [r]);
    const again = releaseResultPacket(s, { ...r, nonce: r.nonce + 1n, guid: '' });
    await expectRevert(submitToReceiver(s, [attester], [again]), s.receiver.interface, 'WithdrawalNotPending', [0n, w.guid]);
  });

  test('submit reverts if a result answers an unknown withdrawal', async () => {
    await lockAndCredit(s, user, [attester], 1_000n);
    const unknown = ethers.id('no such withdrawal');
    const p = releaseResultPacket(s, { guid: '', dstEid: 0, receiver: '', nonce: 2n, withdrawalGuid: unknown, withdrawalNonce: 1n, status: 1, account: ACCOUNT(), asset: ASSET(), rawAmount: 1n });
    await expectRevert(submitToReceiver(s, [attester], [p]), s.receiver.interface, 'WithdrawalNotPending', [0n, unknown]);
  });

  test.each([
    ['from another registered pathway', 'path'],
    ['with another withdrawal nonce', 'withdrawalNonce'],
    ['with another account', 'account'],
    ['with another asset', 'asset'],
    ['with another amount', 'rawAmount'],
  ] as const)('submit reverts if a result does not match its withdrawal: %s', async (_name, what) => {
    await lockAndCredit(s, user, [attester], 1_000n);
    const w = await requestWithdrawal(s, user, 400n, recipient.address);
    const { results } = await release(s, [attester], [w]);
    const r = at(results, 0);
    let p: string;
    if (what === 'path') {
      // A vault the receiver knows, on another chain, echoing the withdrawal field for field: the record names the
      // path the withdrawal was sent on, so the result of another path never settles it.
      const otherEid = SRC_EID + 7;
      const other = toBytes32(stranger.address);
      await send(s.receiver, 'setVault', [otherEid, other]);
      p = packetOn(otherEid, other, 1n, encodeReleaseResultMessage({ srcEid: otherEid, srcVault: other, resultNonce: 1n, withdrawalGuid: w.guid, withdrawalNonce: 1n, status: 1, account: ACCOUNT(), asset: ASSET(), rawAmount: 400n }));
    } else {
      const changed = { withdrawalNonce: 2n, account: toBytes32(stranger.address), asset: toBytes32(stranger.address), rawAmount: 401n }[what];
      p = releaseResultPacket(s, r, { [what]: changed });
    }
    await expectRevert(submitToReceiver(s, [attester], [p]), s.receiver.interface, 'ResultMismatch', [0n]);
    expect(await status(w.guid)).toBe(WithdrawalStatus.Pending);
    expect(await position()).toEqual([600n, 400n]);
  });

  test('submit reverts if a result comes from a vault that is not the pathway of its chain', async () => {
    await lockAndCredit(s, user, [attester], 1_000n);
    const w = await requestWithdrawal(s, user, 400n, recipient.address);
    const other = toBytes32(stranger.address);
    const p = packetOn(SRC_EID, other, 1n, encodeReleaseResultMessage({ srcEid: SRC_EID, srcVault: other, resultNonce: 1n, withdrawalGuid: w.guid, withdrawalNonce: 1n, status: 1, account: ACCOUNT(), asset: ASSET(), rawAmount: 400n }));
    await expectRevert(submitToReceiver(s, [attester], [p]), s.receiver.interface, 'UnknownPathway', [0n, BigInt(SRC_EID), other]);
    expect(await status(w.guid)).toBe(WithdrawalStatus.Pending);
  });

  test('the result header is rebuilt from the message: another resultNonce or srcEid is refused by nonce or pathway', async () => {
    await lockAndCredit(s, user, [attester], 1_000n);
    const w = await requestWithdrawal(s, user, 400n, recipient.address);
    const r = at((await release(s, [attester], [w])).results, 0);
    expect(r.nonce).toBe(2n);
    await expectRevert(submitToReceiver(s, [attester], [releaseResultPacket(s, r, { resultNonce: 3n })]), s.receiver.interface, 'UnexpectedNonce', [0n, 2n, 3n]);
    await expectRevert(submitToReceiver(s, [attester], [releaseResultPacket(s, r, { srcEid: SRC_EID + 1 })]), s.receiver.interface, 'UnknownPathway', [0n, BigInt(SRC_EID + 1), toBytes32(s.vaultAddress)]);
    await settle(s, [attester], [r]);
    expect(await status(w.guid)).toBe(WithdrawalStatus.Finished);
  });

  test('submit reverts if a result has a status other than RELEASED or FAILED', async () => {
    await lockAndCredit(s, user, [attester], 1_000n);
    const w = await requestWithdrawal(s, user, 400n, recipient.address);
    const r = at((await release(s, [attester], [w])).results, 0);
    await expectRevert(submitToReceiver(s, [attester], [releaseResultPacket(s, r, { status: 3 })]), s.receiver.interface, 'InvalidMessage', [0n, ethers.id('InvalidField(string)').slice(0, 10)]);
  });

  test('results of several withdrawals settle in one batch with credits of the same path', async () => {
    await lockAndCredit(s, user, [attester], 1_000n);
    const w1 = await requestWithdrawal(s, user, 100n, recipient.address);
    const w2 = await requestWithdrawal(s, user, 200n, stranger.address);
    await send(s.token, 'setBlocked', [stranger.address, true]);
    const { results } = await release(s, [attester], [w1, w2]);
    expect(results.map((r) => [r.nonce, r.status])).toEqual([[2n, 1], [3n, 2]]);
    const lock = await send(s.vault, 'lock', [s.tokenAddress, 50n, ACCOUNT()], user);
    const lockNonce = eventArgs(s.vault, s.vaultAddress, lock, 'Locked')[1] as bigint; // uint64 → bigint
    expect(lockNonce).toBe(4n);
    const packets = [...results.map((r) => releaseResultPacket(s, r)), creditPacket(s, 4n, user.address, { rawAmount: 50n })];
    const receipt = await submitToReceiver(s, [attester], packets);
    expect(eventNames(s.receiver, s.receiverAddress, receipt)).toEqual(['WithdrawalSettled', 'WithdrawalSettled', 'Credited']);
    expect([await status(w1.guid), await status(w2.guid)]).toEqual([WithdrawalStatus.Finished, WithdrawalStatus.Unfrozen]);
    expect(await position()).toEqual([950n, 0n]);
    expect(await book()).toEqual([950n, 0n]);
    expect(await fn(s.receiver, 'lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(4n);
  });
});

describe('VOID', () => {
  test('a VOID skips the deposit nonce, credits nothing, and requests a refund that the vault releases to the depositor', async () => {
    const lock = await send(s.vault, 'lock', [s.tokenAddress, 700n, ACCOUNT()], user);
    const guid = eventArgs(s.vault, s.vaultAddress, lock, 'Locked')[2] as string; // bytes32 → string
    const before = (await fn(s.token, 'balanceOf')(user.address)) as bigint; // uint256 → bigint
    const p = voidPacket(s, 1n, user.address, user.address, { rawAmount: 700n, reason: 2 });
    const receipt = await submitToReceiver(s, [attester], [p]);
    expect(eventNames(s.receiver, s.receiverAddress, receipt)).toEqual(['WithdrawalRequested', 'Voided']);
    const w = at(withdrawalRequests(s, receipt), 0);
    expect(w).toMatchObject({ account: ACCOUNT(), vaultEid: SRC_EID, vault: toBytes32(s.vaultAddress), nonce: 1n, asset: ASSET(), rawAmount: 700n, recipient: ACCOUNT(), voidedNonce: 1n });
    // The Voided GUID is the one the receiver rebuilt from the message: the Locked one.
    expect(eventArgs(s.receiver, s.receiverAddress, receipt, 'Voided')).toEqual([guid, ACCOUNT(), BigInt(SRC_EID), ASSET(), 700n, ACCOUNT(), 1n, 2n, w.guid]);
    expect(await fn(s.receiver, 'lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(1n);
    // Nothing credited; the refund is frozen in the book until its result.
    expect(await position()).toEqual([0n, 0n]);
    expect(await book()).toEqual([0n, 700n]);
    expect(await status(w.guid)).toBe(WithdrawalStatus.RefundPending);
    // The CREDIT of the voided nonce can never come after it.
    await expectRevert(submitToReceiver(s, [attester], [creditPacket(s, 1n, user.address)]), s.receiver.interface, 'UnexpectedNonce', [0n, 2n, 1n]);

    const { results } = await release(s, [attester], [w]);
    expect(await fn(s.token, 'balanceOf')(user.address)).toBe(before + 700n);
    expect(await totalLocked()).toBe(0n);
    const settled = await settle(s, [attester], results);
    expect(eventArgs(s.receiver, s.receiverAddress, settled, 'WithdrawalSettled')).toEqual([w.guid, at(results, 0).guid, BigInt(WithdrawalStatus.Refunded)]);
    expect(await status(w.guid)).toBe(WithdrawalStatus.Refunded);
    expect(await position()).toEqual([0n, 0n]);
    expect(await book()).toEqual([0n, 0n]);
  });

  test('a refund that fails is REFUND_FAILED: the collateral stays counted in the vault and frozen in the book', async () => {
    await send(s.vault, 'lock', [s.tokenAddress, 700n, ACCOUNT()], user);
    const receipt = await submitToReceiver(s, [attester], [voidPacket(s, 1n, user.address, user.address, { rawAmount: 700n })]);
    const w = at(withdrawalRequests(s, receipt), 0);
    await send(s.token, 'setPaused', [true]);
    const { results } = await release(s, [attester], [w]);
    expect(at(results, 0).status).toBe(2);
    expect(await totalLocked()).toBe(700n);
    await settle(s, [attester], results);
    expect(await status(w.guid)).toBe(WithdrawalStatus.RefundFailed);
    expect(await position()).toEqual([0n, 0n]);
    expect(await book()).toEqual([0n, 700n]);
  });

  test('a VOID of nothing skips the nonce and requests no refund', async () => {
    const receipt = await submitToReceiver(s, [attester], [voidPacket(s, 1n, user.address, user.address, { rawAmount: 0n, reason: 1 })]);
    expect(eventNames(s.receiver, s.receiverAddress, receipt)).toEqual(['Voided']);
    expect(at(eventArgs(s.receiver, s.receiverAddress, receipt, 'Voided'), 8)).toBe(ethers.ZeroHash);
    expect(await fn(s.receiver, 'outboundNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(0n);
    expect(await book()).toEqual([0n, 0n]);
    await submitToReceiver(s, [attester], [creditPacket(s, 2n, user.address)]);
    expect(await fn(s.receiver, 'lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(2n);
  });

  const DEAD = toBytes32('0x000000000000000000000000000000000000dEaD');
  test.each([
    ['depositNonce 2 (skips nonce 1)', { depositNonce: 2n }, (): [string, unknown[]] => ['UnexpectedNonce', [0n, 1n, 2n]]],
    ['srcEid without a vault', { srcEid: SRC_EID + 1 }, (): [string, unknown[]] => ['UnknownPathway', [0n, BigInt(SRC_EID + 1), toBytes32(s.vaultAddress)]]],
    ['srcVault not the pathway of srcEid', { srcVault: DEAD }, (): [string, unknown[]] => ['UnknownPathway', [0n, BigInt(SRC_EID), DEAD]]],
  ] as const)('the VOID header is rebuilt from the message: %s is refused', async (_name, override, expected) => {
    const m = encodeVoidMessage({ account: ACCOUNT(), srcEid: SRC_EID, srcVault: toBytes32(s.vaultAddress), asset: ASSET(), depositNonce: 1n, rawAmount: 1n, refundTo: ACCOUNT(), reason: 3, ...override });
    const [name, args] = expected();
    await expectRevert(submitToReceiver(s, [attester], [encodePacket(inboundHeader(s, 1n), m)]), s.receiver.interface, name, args);
  });

  test.each([
    ['reason 0', { reason: 0 }],
    ['reason 4', { reason: 4 }],
    ['refundTo zero', { refundTo: ethers.ZeroHash }],
  ] as const)('submit reverts if the VOID is invalid: %s', async (_name, override) => {
    await expectRevert(submitToReceiver(s, [attester], [voidPacket(s, 1n, user.address, user.address, override)]), s.receiver.interface, 'InvalidMessage', [0n, ethers.id('InvalidField(string)').slice(0, 10)]);
  });

  test('submit reverts if a VOID comes out of nonce order', async () => {
    await expectRevert(submitToReceiver(s, [attester], [voidPacket(s, 2n, user.address, user.address)]), s.receiver.interface, 'UnexpectedNonce', [0n, 1n, 2n]);
  });
});
