/**
 * CollateralVault.submitReleases on anvil (docs/two-way-book.md, "Vault"): payouts that never revert the batch,
 * ReleaseResult on the nonce sequence shared with locks, and every envelope, nonce and attestation rule, including
 * replays across vaults and chains.
 */
import { ethers, ReleaseFailure, ReleaseStatus } from '../../contracts/ts/index';
import { deployVault } from '../../contracts/ts/deploy';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import {
  DST_EID,
  FAR_FUTURE,
  SRC_EID,
  computeGuid,
  creditPacket,
  deployCreditSystem,
  encodePacket,
  encodeWithdrawalMessage,
  inboundHeader,
  malleate,
  releaseResults,
  signBatch,
  toBytes32,
  withdrawalHeader,
  withdrawalPacket,
  type CreditSystem,
  type Domain,
  type WithdrawalRequest,
} from '../support/deploy';
import { expectRevert } from './expectRevert';
import { at, eventArgs, eventNames, fn, send } from './twoWay';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

const CHAIN_ID = 31337;
const SOLANA_KEY = '0x06ddf6e1d765a193d9cbe146ceeb79ac1cb485ed5f5b37913a8cf5857eff00a9';

let anvil: AnvilInstance;
let deployer: ethers.Wallet;
let a1: ethers.Wallet;
let a2: ethers.Wallet;
let user: ethers.Wallet;
let recipient: ethers.Wallet;
let stranger: ethers.Wallet;
/** 1-of-1 vault (a1), restricted token, 10^6 locked by `user`. */
let s: CreditSystem;
/** 2-of-2 vault (a1, a2) over the same receiver path shape, 10^6 locked. */
let s2: CreditSystem;
/** A second vault with the same attester and the same receiver as `s`. */
let other: ethers.Contract;
let otherAddress: string;
let snapshot: string;

async function fund(system: CreditSystem): Promise<void> {
  await send(system.token, 'mint', [user.address, 10n ** 12n]);
  await send(system.token, 'approve', [system.vaultAddress, ethers.MaxUint256], user);
  await send(system.vault, 'lock', [system.tokenAddress, 1_000_000n, toBytes32(user.address)], user);
}

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
  const [d, x1, x2, u, r, st] = anvil.accounts;
  if (d === undefined || x1 === undefined || x2 === undefined || u === undefined || r === undefined || st === undefined) throw new Error('anvil accounts');
  [deployer, a1, a2, user, recipient, stranger] = [d, x1, x2, u, r, st];
  s = await deployCreditSystem({ deployer, attesters: [a1.address], threshold: 1, chainId: CHAIN_ID, restrictedToken: true });
  await fund(s);
  s2 = await deployCreditSystem({ deployer, attesters: [a1.address, a2.address], threshold: 2, chainId: CHAIN_ID });
  await fund(s2);
  other = await deployVault(deployer, { localEid: SRC_EID, attesters: [a1.address], threshold: 1 });
  otherAddress = await other.getAddress();
  await send(other, 'setDestination', [DST_EID, toBytes32(s.receiverAddress)]);
  await send(other, 'setAsset', [s.tokenAddress, true, 10n ** 30n]);
  await send(s.token, 'approve', [otherAddress, ethers.MaxUint256], user);
  await send(other, 'lock', [s.tokenAddress, 1_000_000n, toBytes32(user.address)], user);
  snapshot = await anvil.rpc<string>('evm_snapshot');
});

afterAll(async () => {
  await anvil?.stop();
});

beforeEach(async () => {
  await anvil.rpc('evm_revert', [snapshot]);
  snapshot = await anvil.rpc<string>('evm_snapshot');
});

/** A WITHDRAWAL request of `system` at `nonce` (as the receiver would emit it). */
function request(system: CreditSystem, nonce: bigint, overrides: Partial<WithdrawalRequest> = {}): WithdrawalRequest {
  return {
    guid: computeGuid(withdrawalHeader(system, nonce)),
    account: toBytes32(user.address),
    vaultEid: SRC_EID,
    vault: toBytes32(system.vaultAddress),
    nonce,
    asset: toBytes32(system.tokenAddress),
    rawAmount: 1_000n,
    recipient: toBytes32(recipient.address),
    voidedNonce: 0n,
    ...overrides,
  };
}

function submitReleases(vault: ethers.Contract, packets: string[], signatures: string[], validUntil = FAR_FUTURE): Promise<ethers.TransactionReceipt> {
  return send(vault, 'submitReleases', [packets, validUntil, signatures]);
}

function signed(system: CreditSystem, packets: string[], signers: ethers.Wallet[] = [a1], domain: Domain = system.vaultDomain): Promise<ethers.TransactionReceipt> {
  return submitReleases(system.vault, packets, signBatch(signers, domain, packets));
}

async function totalLocked(system: CreditSystem): Promise<bigint> {
  return at([...(await fn(system.vault, 'assets').staticCallResult(system.tokenAddress))], 2) as bigint; // uint128 → bigint
}

describe('submitReleases', () => {
  test('submitReleases pays the recipient, lowers totalLocked and emits Released and ReleaseResult on the shared nonce', async () => {
    const w = request(s, 1n, { rawAmount: 250_000n });
    const receipt = await signed(s, [withdrawalPacket(s, w)]);
    expect(eventNames(s.vault, s.vaultAddress, receipt)).toEqual(['Released', 'ReleaseResult']);
    expect(eventArgs(s.vault, s.vaultAddress, receipt, 'Released')).toEqual([w.guid, recipient.address, s.tokenAddress, 250_000n]);
    const receiver = toBytes32(s.receiverAddress);
    // The lock took outbound nonce 1; the result takes 2.
    const resultGuid = computeGuid({ nonce: 2n, srcEid: SRC_EID, sender: toBytes32(s.vaultAddress), dstEid: DST_EID, receiver });
    expect(eventArgs(s.vault, s.vaultAddress, receipt, 'ReleaseResult')).toEqual([resultGuid, BigInt(DST_EID), receiver, 2n, w.guid, 1n, 1n, w.account, w.asset, 250_000n]);
    expect(await fn(s.token, 'balanceOf')(recipient.address)).toBe(250_000n);
    expect(await totalLocked(s)).toBe(750_000n);
    expect(await fn(s.vault, 'releaseStatus')(w.guid)).toBe(BigInt(ReleaseStatus.Released));
    expect(await fn(s.vault, 'inboundNonce')(DST_EID, receiver)).toBe(2n - 1n);
    expect(await fn(s.vault, 'outboundNonce')(DST_EID, receiver)).toBe(2n);
    // The next lock continues the same sequence.
    const lock = await send(s.vault, 'lock', [s.tokenAddress, 1n, toBytes32(user.address)], user);
    expect(eventArgs(s.vault, s.vaultAddress, lock, 'Locked')[1]).toBe(3n);
  });

  test('submitReleases goes on past failed payouts: blocked recipient, paused token, non-EVM recipient, above totalLocked', async () => {
    const ws = [
      request(s, 1n, { rawAmount: 100n }),
      request(s, 2n, { rawAmount: 200n, recipient: toBytes32(stranger.address) }),
      request(s, 3n, { rawAmount: 300n, recipient: SOLANA_KEY }),
      request(s, 4n, { rawAmount: 2_000_000n }),
      request(s, 5n, { rawAmount: 500n }),
    ];
    await send(s.token, 'setBlocked', [stranger.address, true]);
    const receipt = await signed(s, ws.map((w) => withdrawalPacket(s, w)));
    const results = releaseResults(s, receipt);
    expect(results.map((r) => [r.nonce, r.withdrawalNonce, r.status])).toEqual([[2n, 1n, 1], [3n, 2n, 2], [4n, 3n, 2], [5n, 4n, 2], [6n, 5n, 1]]);
    const failures = receipt.logs.map((l) => s.vault.interface.parseLog(l)).filter((l) => l?.name === 'ReleaseFailed').map((l): unknown[] => [l?.args[0], l?.args[4]]);
    expect(failures).toEqual([[ws[1]?.guid, BigInt(ReleaseFailure.TransferFailed)], [ws[2]?.guid, BigInt(ReleaseFailure.NotEvmAddress)], [ws[3]?.guid, BigInt(ReleaseFailure.AboveLocked)]]);
    expect(await totalLocked(s)).toBe(1_000_000n - 600n);
    expect(await fn(s.token, 'balanceOf')(recipient.address)).toBe(600n);
    expect(await fn(s.vault, 'releaseStatus')(at(ws, 1).guid)).toBe(BigInt(ReleaseStatus.Failed));
  });

  test('submitReleases records FAILED and keeps totalLocked when the token is paused', async () => {
    await send(s.token, 'setPaused', [true]);
    const w = request(s, 1n);
    const receipt = await signed(s, [withdrawalPacket(s, w)]);
    expect(eventNames(s.vault, s.vaultAddress, receipt)).toEqual(['ReleaseFailed', 'ReleaseResult']);
    expect(at(releaseResults(s, receipt), 0).status).toBe(ReleaseStatus.Failed);
    expect(await totalLocked(s)).toBe(1_000_000n);
  });

  test('submitReleases pays a refund (voidedNonce > 0) like any withdrawal', async () => {
    const w = request(s, 1n, { voidedNonce: 1n, recipient: toBytes32(user.address), rawAmount: 1_000_000n });
    const before = (await fn(s.token, 'balanceOf')(user.address)) as bigint; // uint256 → bigint
    await signed(s, [withdrawalPacket(s, w)]);
    expect(await fn(s.token, 'balanceOf')(user.address)).toBe(before + 1_000_000n);
    expect(await totalLocked(s)).toBe(0n);
  });

  test('submitReleases accepts 2-of-2 and reverts below the threshold', async () => {
    const p = [withdrawalPacket(s2, request(s2, 1n))];
    await expectRevert(signed(s2, p, [a1], s2.vaultDomain), s2.vault.interface, 'InsufficientSignatures', [1n, 2n]);
    await signed(s2, p, [a1, a2], s2.vaultDomain);
    expect(await fn(s2.vault, 'inboundNonce')(DST_EID, toBytes32(s2.receiverAddress))).toBe(1n);
  });

  test('submitReleases reverts if a signer is not an attester, or a signature is malleable', async () => {
    const p = [withdrawalPacket(s, request(s, 1n))];
    await expectRevert(signed(s, p, [stranger]), s.vault.interface, 'SignerNotAttester', [0n, stranger.address]);
    const [sig] = signBatch([a1], s.vaultDomain, p);
    await expectRevert(submitReleases(s.vault, p, [malleate(sig ?? '')]), s.vault.interface, 'MalleableSignature', [0n]);
  });

  test.each([
    ['the receiver domain (MarginCreditReceiver v2)', (d: Domain): Domain => ({ ...d, name: 'MarginCreditReceiver', version: '2' })],
    ['another version', (d: Domain): Domain => ({ ...d, version: '2' })],
    ['another chain id', (d: Domain): Domain => ({ ...d, chainId: 1 })],
    ['another vault', (d: Domain): Domain => ({ ...d, verifyingContract: otherAddress })],
  ])('submitReleases reverts if the signature is for the wrong domain: %s', async (_name, wrong) => {
    const p = [withdrawalPacket(s, request(s, 1n))];
    const err = await expectRevert(signed(s, p, [a1], wrong(s.vaultDomain)), s.vault.interface, 'SignerNotAttester');
    expect(err.args[1]).not.toBe(a1.address);
  });

  test('submitReleases reverts if a release of one vault is replayed on another vault', async () => {
    const p = [withdrawalPacket(s, request(s, 1n))];
    const sigs = signBatch([a1], s.vaultDomain, p);
    await submitReleases(s.vault, p, sigs);
    await expectRevert(submitReleases(other, p, sigs), other.interface, 'WrongReceiver', [0n, toBytes32(s.vaultAddress)]);
    // The same withdrawal addressed to the other vault, with the first vault's signatures: not attested there.
    const forOther = withdrawalPacket({ ...s, vaultAddress: otherAddress }, request({ ...s, vaultAddress: otherAddress }, 1n));
    await expectRevert(submitReleases(other, [forOther], signBatch([a1], s.vaultDomain, [forOther])), other.interface, 'SignerNotAttester');
    await submitReleases(other, [forOther], signBatch([a1], { ...s.vaultDomain, verifyingContract: otherAddress }, [forOther]));
  });

  test('submitReleases reverts if a release signed for one chain is replayed on a chain with another id', async () => {
    const p = [withdrawalPacket(s, request(s, 1n))];
    const sigs = signBatch([a1], s.vaultDomain, p);
    await anvil.rpc('anvil_setChainId', [CHAIN_ID + 1]);
    try {
      // Same contract, same state, another chain id: the domain separator is recomputed, the signature is worthless.
      const err = await expectRevert(fn(s.vault, 'submitReleases').staticCall(p, FAR_FUTURE, sigs), s.vault.interface, 'SignerNotAttester');
      expect(err.args[1]).not.toBe(a1.address);
      await fn(s.vault, 'submitReleases').staticCall(p, FAR_FUTURE, signBatch([a1], { ...s.vaultDomain, chainId: CHAIN_ID + 1 }, p));
    } finally {
      await anvil.rpc('anvil_setChainId', [CHAIN_ID]);
    }
  });

  test('submitReleases reverts if the same release is replayed', async () => {
    const p = [withdrawalPacket(s, request(s, 1n))];
    const sigs = signBatch([a1], s.vaultDomain, p);
    await submitReleases(s.vault, p, sigs);
    await expectRevert(submitReleases(s.vault, p, sigs), s.vault.interface, 'UnexpectedNonce', [0n, 2n, 1n]);
  });

  test('submitReleases reverts if the nonces skip ahead or are out of order', async () => {
    await expectRevert(signed(s, [withdrawalPacket(s, request(s, 2n))]), s.vault.interface, 'UnexpectedNonce', [0n, 1n, 2n]);
    const p = [request(s, 1n), request(s, 3n), request(s, 2n)].map((w) => withdrawalPacket(s, w));
    await expectRevert(signed(s, p), s.vault.interface, 'UnexpectedNonce', [1n, 2n, 3n]);
  });

  test('submitReleases reverts if the attestation expired', async () => {
    const p = [withdrawalPacket(s, request(s, 1n))];
    const now = BigInt((await anvil.provider.getBlock('latest'))?.timestamp ?? 0);
    const sigs = signBatch([a1], s.vaultDomain, p, now - 1n);
    const err = await expectRevert(submitReleases(s.vault, p, sigs, now - 1n), s.vault.interface, 'AttestationExpired');
    expect(err.args[0]).toBe(now - 1n);
  });

  test('submitReleases reverts if the sender is not the configured receiver', async () => {
    const w = request(s, 1n);
    const fromStranger = withdrawalPacket(s, w, {}, { sender: toBytes32(stranger.address) });
    await expectRevert(signed(s, [fromStranger]), s.vault.interface, 'UnknownSender', [0n, BigInt(DST_EID), toBytes32(stranger.address)]);
    const fromOtherChain = withdrawalPacket(s, w, {}, { srcEid: DST_EID + 1 });
    await expectRevert(signed(s, [fromOtherChain]), s.vault.interface, 'UnknownSender', [0n, BigInt(DST_EID + 1), toBytes32(s.receiverAddress)]);
  });

  test('submitReleases reverts if the packet is not addressed to this vault or its guid is wrong', async () => {
    const w = request(s, 1n);
    await expectRevert(signed(s, [withdrawalPacket(s, w, {}, { dstEid: SRC_EID + 1 })]), s.vault.interface, 'WrongDstEid', [0n, BigInt(SRC_EID + 1)]);
    const wrongGuid = ethers.id('wrong');
    const p = encodePacket(withdrawalHeader(s, 1n), encodeWithdrawalMessage({ ...w, withdrawalNonce: 1n }), wrongGuid);
    await expectRevert(signed(s, [p]), s.vault.interface, 'GuidMismatch', [0n, w.guid, wrongGuid]);
    await expectRevert(signed(s, []), s.vault.interface, 'EmptyBatch');
    await expectRevert(submitReleases(s.vault, ['0x01'], []), s.vault.interface, 'InvalidPacketLength', [0n, 1n]);
  });

  test.each([
    ['vaultEid', { vaultEid: SRC_EID + 1 }],
    ['vault', { vault: toBytes32('0x000000000000000000000000000000000000dEaD') }],
    ['withdrawalNonce', { withdrawalNonce: 2n }],
  ] as const)('submitReleases reverts if the WITHDRAWAL %s differs from the header', async (_name, override) => {
    await expectRevert(signed(s, [withdrawalPacket(s, request(s, 1n), override)]), s.vault.interface, 'MessageHeaderMismatch', [0n]);
  });

  test.each([
    ['zero rawAmount', { rawAmount: 0n }, 'InvalidField(string)'],
    ['zero recipient', { recipient: ethers.ZeroHash }, 'InvalidField(string)'],
    ['a CREDIT type', { messageType: 1 }, 'UnsupportedMessageType(uint8)'],
    ['version 2', { version: 2 }, 'UnsupportedVersion(uint8)'],
  ] as const)('submitReleases reverts if the message is invalid: %s', async (_name, override, reason) => {
    await expectRevert(signed(s, [withdrawalPacket(s, request(s, 1n), override)]), s.vault.interface, 'InvalidMessage', [0n, ethers.id(reason).slice(0, 10)]);
  });

  test('submitReleases reverts if a credit packet is sent to the vault', async () => {
    const credit = creditPacket(s, 1n, user.address);
    await expectRevert(signed(s, [credit]), s.vault.interface, 'WrongDstEid', [0n, BigInt(DST_EID)]);
    expect(inboundHeader(s, 1n).receiver).toBe(toBytes32(s.receiverAddress));
  });

  test('submitReleases is atomic for a bad signature: nothing is paid', async () => {
    const p = [withdrawalPacket(s, request(s, 1n))];
    await expectRevert(signed(s, p, [stranger]), s.vault.interface, 'SignerNotAttester');
    expect(await fn(s.token, 'balanceOf')(recipient.address)).toBe(0n);
    expect(await fn(s.vault, 'inboundNonce')(DST_EID, toBytes32(s.receiverAddress))).toBe(0n);
  });

  test('submitReleases reverts while paused, and releases after unpause', async () => {
    const p = [withdrawalPacket(s, request(s, 1n))];
    await send(s.vault, 'pause', []);
    await expectRevert(signed(s, p), s.vault.interface, 'EnforcedPause');
    await send(s.vault, 'unpause', []);
    await signed(s, p);
  });

  test('a vault deployed without attesters releases nothing until the owner configures them', async () => {
    const bare = await deployVault(deployer, { localEid: SRC_EID });
    const bareAddress = await bare.getAddress();
    await send(bare, 'setDestination', [DST_EID, toBytes32(s.receiverAddress)]);
    expect(await fn(bare, 'threshold')()).toBe(0n);
    const sys = { ...s, vault: bare, vaultAddress: bareAddress, vaultDomain: { ...s.vaultDomain, verifyingContract: bareAddress } };
    const p = [withdrawalPacket(sys, request(sys, 1n))];
    await expectRevert(signed(sys, p), bare.interface, 'ThresholdNotSet');
    await expectRevert(fn(bare, 'addAttester', stranger)(a1.address), bare.interface, 'OwnableUnauthorizedAccount', [stranger.address]);
    await expectRevert(fn(bare, 'setThreshold')(1), bare.interface, 'InvalidThreshold', [1n, 0n]);
    const added = await send(bare, 'addAttester', [a1.address]);
    expect(eventNames(bare, bareAddress, added)).toEqual(['AttesterAdded']);
    await send(bare, 'setThreshold', [1]);
    await signed(sys, p);
    // Nothing is locked in it: the payout fails, the batch does not.
    expect(await fn(bare, 'releaseStatus')(computeGuid(withdrawalHeader(sys, 1n)))).toBe(BigInt(ReleaseStatus.Failed));
  });
});
