import { ethers } from '../../contracts/ts/index';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import {
  DST_EID,
  FAR_FUTURE,
  SRC_EID,
  batchDigest,
  computeGuid,
  creditOf,
  creditPacket,
  deployCreditSystem,
  encodeMessage,
  encodePacket,
  malleate,
  signBatch,
  toBytes32,
  type CreditSystem,
} from '../support/deploy';
import { expectRevert } from './expectRevert';

// Chain tests: the first file may compile the contracts and start anvil on a busy machine.
jest.setTimeout(120_000);

const CHAIN_ID = 31337;
const ACCOUNT = '0x70997970C51812dc3A010C7d01b50e0d17DC79C8';
const ACCOUNT_2 = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

let anvil: AnvilInstance;
let deployer: ethers.Wallet;
let attesters: ethers.Wallet[];
let stranger: ethers.Wallet;
let snapshot: string;
/** Receivers deployed once, keyed `threshold/attesterCount`; each test starts from the snapshot taken after. */
const systems = new Map<string, CreditSystem>();

beforeAll(async () => {
  ensureBuilt();
  anvil = await startAnvil({ chainId: CHAIN_ID });
  const [d, a1, a2, a3, s] = anvil.accounts;
  if (d === undefined || a1 === undefined || a2 === undefined || a3 === undefined || s === undefined) throw new Error('anvil accounts');
  deployer = d;
  attesters = [a1, a2, a3];
  stranger = s;
  for (const [threshold, count] of [[1, 1], [1, 3], [2, 2], [2, 3]] as const) {
    const deployed = await deployCreditSystem({ deployer, attesters: attesters.slice(0, count).map((a) => a.address), threshold, chainId: CHAIN_ID });
    systems.set(`${threshold}/${count}`, deployed);
  }
  snapshot = await anvil.rpc<string>('evm_snapshot');
});

afterAll(async () => {
  await anvil?.stop();
});

/** Each test starts from the freshly started chain. */
beforeEach(async () => {
  await anvil.rpc('evm_revert', [snapshot]);
  snapshot = await anvil.rpc<string>('evm_snapshot');
});

function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no element ${i}`);
  return x;
}

async function system(threshold: number, attesterCount = threshold): Promise<CreditSystem> {
  const found = systems.get(`${threshold}/${attesterCount}`);
  if (found === undefined) throw new Error(`no receiver deployed for ${threshold}-of-${attesterCount}`);
  return found;
}

/** Simulates, then sends `submit(packets, validUntil, signatures)` (validUntil defaults to what signBatch signs). */
function submit(s: CreditSystem, packets: string[], signatures: string[], validUntil: bigint = FAR_FUTURE): Promise<unknown> {
  const fn = s.receiver.getFunction('submit');
  return fn.staticCall(packets, validUntil, signatures).then(() => fn(packets, validUntil, signatures).then((tx: ethers.ContractTransactionResponse) => tx.wait()));
}

describe('MarginCreditReceiver', () => {
  test('submit credits one packet and records nonce, guid and totals', async () => {
    const s = await system(1);
    const packet = creditPacket(s, 1n, ACCOUNT);
    const receipt = (await submit(s, [packet], signBatch([at(attesters, 0)], s.domain, [packet]))) as ethers.TransactionReceipt;

    const { guid } = creditOf(packet);
    const sender = toBytes32(s.vaultAddress);
    const asset = toBytes32(s.tokenAddress);
    expect(await s.receiver.getFunction('lastNonce')(SRC_EID, sender)).toBe(1n);
    expect(await s.receiver.getFunction('guidUsed')(guid)).toBe(true);
    const [raw, value] = (await s.receiver.getFunction('credits')(toBytes32(ACCOUNT), SRC_EID, asset)) as [bigint, bigint];
    expect(raw).toBe(1_000_000_000n);
    expect(value).toBe(980n * 10n ** 18n);
    expect(await s.receiver.getFunction('totalHaircutValue')(toBytes32(ACCOUNT))).toBe(980n * 10n ** 18n);

    const logs = receipt.logs.map((l) => s.receiver.interface.parseLog(l)).filter((l) => l !== null);
    expect(logs).toHaveLength(1);
    const credited = at(logs, 0);
    expect(credited.name).toBe('Credited');
    expect([...credited.args]).toEqual([guid, toBytes32(ACCOUNT), BigInt(SRC_EID), asset, 1_000_000_000n, 980n * 10n ** 18n, 1n]);
  });

  test('submit applies a batch of consecutive nonces for two accounts', async () => {
    const s = await system(1);
    const packets = [
      creditPacket(s, 1n, ACCOUNT, { haircutValue: 1n }),
      creditPacket(s, 2n, ACCOUNT_2, { haircutValue: 2n }),
      creditPacket(s, 3n, ACCOUNT, { haircutValue: 4n, rawAmount: 5n }),
    ];
    await submit(s, packets, signBatch([at(attesters, 0)], s.domain, packets));
    expect(await s.receiver.getFunction('lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(3n);
    expect(await s.receiver.getFunction('totalHaircutValue')(toBytes32(ACCOUNT))).toBe(5n);
    expect(await s.receiver.getFunction('totalHaircutValue')(toBytes32(ACCOUNT_2))).toBe(2n);
    const [raw] = (await s.receiver.getFunction('credits')(toBytes32(ACCOUNT), SRC_EID, toBytes32(s.tokenAddress))) as [bigint, bigint];
    expect(raw).toBe(1_000_000_005n);
  });

  test('domainSeparator is the EIP-712 domain of this receiver on this chain', async () => {
    const s = await system(1);
    const expected = ethers.TypedDataEncoder.hashDomain({ name: 'MarginCreditReceiver', version: '2', chainId: CHAIN_ID, verifyingContract: s.receiverAddress });
    expect(await s.receiver.getFunction('domainSeparator')()).toBe(expected);
  });

  describe('packet rules', () => {
    let s: CreditSystem;
    const iface = () => s.receiver.interface;
    const signed = (packets: string[]) => submit(s, packets, signBatch([at(attesters, 0)], s.domain, packets));
    const header = (nonce = 1n) => ({ nonce, srcEid: SRC_EID, sender: toBytes32(s.vaultAddress), dstEid: DST_EID, receiver: toBytes32(s.receiverAddress) });
    const message = (nonce = 1n) => creditPacket(s, nonce, ACCOUNT).slice(2 + 113 * 2);

    beforeEach(async () => {
      s = await system(1);
    });

    test('submit reverts if the batch is empty', async () => {
      await expectRevert(signed([]), iface(), 'EmptyBatch');
    });

    test('submit reverts if a packet is shorter than header and guid', async () => {
      const good = creditPacket(s, 1n, ACCOUNT);
      const short = good.slice(0, 2 + 112 * 2);
      await expectRevert(submit(s, [good, short], signBatch([at(attesters, 0)], s.domain, [good])), iface(), 'InvalidPacketLength', [1n, 112n]);
    });

    test('submit reverts if the packet version is not 1', async () => {
      const p = encodePacket({ ...header(), version: 2 }, `0x${message()}`, computeGuid(header()));
      await expectRevert(signed([p]), iface(), 'UnsupportedPacketVersion', [0n, 2n]);
    });

    test('submit reverts if the header dstEid is not the receiver eid', async () => {
      const h = { ...header(), dstEid: DST_EID + 1 };
      await expectRevert(signed([encodePacket(h, `0x${message()}`)]), iface(), 'WrongDstEid', [0n, BigInt(DST_EID + 1)]);
    });

    test('submit reverts if the header receiver is another contract', async () => {
      const h = { ...header(), receiver: toBytes32(s.vaultAddress) };
      await expectRevert(signed([encodePacket(h, `0x${message()}`)]), iface(), 'WrongReceiver', [0n, toBytes32(s.vaultAddress)]);
    });

    test('submit reverts if the guid does not match the header', async () => {
      const wrong = computeGuid({ ...header(), nonce: 2n });
      const p = encodePacket(header(), `0x${message()}`, wrong);
      await expectRevert(signed([p]), iface(), 'GuidMismatch', [0n, computeGuid(header()), wrong]);
    });

    test.each([
      ['too short', (m: string) => m.slice(0, -2), 'InvalidLength'],
      ['one byte', (m: string) => m.slice(0, 2), 'InvalidLength'],
      ['version 2', (m: string) => `02${m.slice(2)}`, 'UnsupportedVersion'],
      ['version 2 of an unknown type', (m: string) => `0209${m.slice(4)}`, 'UnsupportedVersion'],
      ['type 2 (withdrawal: the receiver sends those, never takes them)', (m: string) => `01${'02'}${m.slice(4)}`, 'UnsupportedMessageType'],
      ['type 3 (revaluation: reserved)', (m: string) => `01${'03'}${m.slice(4)}`, 'UnsupportedMessageType'],
    ])('submit reverts if the message is invalid: %s', async (_name, mutate, reason) => {
      const p = encodePacket(header(), `0x${mutate(message())}`);
      const err = await expectRevert(signed([p]), iface(), 'InvalidMessage');
      expect(err.args[0]).toBe(0n);
      const reasonSelector = ethers.id(`${reason}(${reason === 'InvalidLength' ? 'uint256' : 'uint8'})`).slice(0, 10);
      expect(err.args[1]).toBe(reasonSelector);
    });

    test.each([
      ['srcEid', { srcEid: SRC_EID + 1 }],
      ['srcVault', { srcVault: toBytes32('0x000000000000000000000000000000000000dEaD') }],
      ['depositNonce', { depositNonce: 2n }],
    ])('submit reverts if the message %s differs from the header', async (_name, override) => {
      const m = encodeMessage({
        account: toBytes32(ACCOUNT), srcEid: SRC_EID, srcVault: toBytes32(s.vaultAddress), asset: toBytes32(s.tokenAddress), assetDecimals: 6,
        depositNonce: 1n, rawAmount: 1n, haircutValue: 1n, price: 1n, priceTimestamp: 1n, haircut: 0n, sizeWeight: 10n ** 18n, ...override,
      });
      await expectRevert(signed([encodePacket(header(), m)]), iface(), 'MessageHeaderMismatch', [0n]);
    });

    test('submit reverts if the guid was credited before', async () => {
      const p1 = creditPacket(s, 1n, ACCOUNT);
      await signed([p1]);
      await expectRevert(signed([p1]), iface(), 'GuidAlreadyUsed', [0n, creditOf(p1).guid]);
    });

    test('submit reverts if the same guid appears twice in a batch', async () => {
      const p1 = creditPacket(s, 1n, ACCOUNT);
      await expectRevert(signed([p1, p1]), iface(), 'GuidAlreadyUsed', [1n, creditOf(p1).guid]);
    });

    test('submit reverts if the nonce skips ahead', async () => {
      await expectRevert(signed([creditPacket(s, 2n, ACCOUNT)]), iface(), 'UnexpectedNonce', [0n, 1n, 2n]);
    });

    test('submit reverts if the nonces in a batch are out of order', async () => {
      const packets = [creditPacket(s, 1n, ACCOUNT), creditPacket(s, 3n, ACCOUNT), creditPacket(s, 2n, ACCOUNT)];
      await expectRevert(signed(packets), iface(), 'UnexpectedNonce', [1n, 2n, 3n]);
    });

    test('submit is atomic: one bad packet leaves nothing applied', async () => {
      const good = creditPacket(s, 1n, ACCOUNT);
      const bad = encodePacket({ ...header(2n), dstEid: 1 }, `0x${message(2n)}`);
      await expectRevert(signed([good, bad]), iface(), 'WrongDstEid', [1n, 1n]);
      // Sending it for real (no simulation) reverts too and changes nothing.
      await expect(s.receiver.getFunction('submit')([good, bad], FAR_FUTURE, signBatch([at(attesters, 0)], s.domain, [good, bad]), { gasLimit: 1_000_000 }).then((tx: ethers.ContractTransactionResponse) => tx.wait())).rejects.toThrow();
      expect(await s.receiver.getFunction('lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(0n);
      expect(await s.receiver.getFunction('guidUsed')(creditOf(good).guid)).toBe(false);
      expect(await s.receiver.getFunction('totalHaircutValue')(toBytes32(ACCOUNT))).toBe(0n);
      await signed([good]);
      expect(await s.receiver.getFunction('lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(1n);
    });

    test('submit is atomic: a bad signature leaves the packets unapplied', async () => {
      const good = creditPacket(s, 1n, ACCOUNT);
      await expectRevert(submit(s, [good], signBatch([stranger], s.domain, [good])), iface(), 'SignerNotAttester', [0n, stranger.address]);
      expect(await s.receiver.getFunction('guidUsed')(creditOf(good).guid)).toBe(false);
    });
  });

  describe('signature rules', () => {
    test('submit reverts if signatures are fewer than the threshold', async () => {
      const s = await system(2, 3);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      await expectRevert(submit(s, p, signBatch([at(attesters, 0)], s.domain, p)), s.receiver.interface, 'InsufficientSignatures', [1n, 2n]);
      await expectRevert(submit(s, p, []), s.receiver.interface, 'InsufficientSignatures', [0n, 2n]);
    });

    test('submit accepts 2-of-3 and 3-of-3 but not 1-of-3 when the threshold is 2', async () => {
      const s = await system(2, 3);
      const p1 = [creditPacket(s, 1n, ACCOUNT)];
      await submit(s, p1, signBatch([at(attesters, 2), at(attesters, 0)], s.domain, p1));
      const p2 = [creditPacket(s, 2n, ACCOUNT)];
      await submit(s, p2, signBatch(attesters, s.domain, p2));
      const p3 = [creditPacket(s, 3n, ACCOUNT)];
      await expectRevert(submit(s, p3, signBatch([at(attesters, 1)], s.domain, p3)), s.receiver.interface, 'InsufficientSignatures', [1n, 2n]);
      expect(await s.receiver.getFunction('lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(2n);
    });

    test('submit reverts if a signer is not an attester', async () => {
      const s = await system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      await expectRevert(submit(s, p, signBatch([stranger], s.domain, p)), s.receiver.interface, 'SignerNotAttester', [0n, stranger.address]);
    });

    test('submit reverts if signer is duplicated', async () => {
      const s = await system(2, 3);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const [sig] = signBatch([at(attesters, 0)], s.domain, p);
      if (sig === undefined) throw new Error('no signature');
      await expectRevert(submit(s, p, [sig, sig]), s.receiver.interface, 'DuplicateSigner', [1n, at(attesters, 0).address]);
    });

    test('submit reverts if signers are not in increasing order', async () => {
      const s = await system(2, 3);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const sigs = signBatch([at(attesters, 0), at(attesters, 1)], s.domain, p).reverse();
      const sorted = [at(attesters, 0), at(attesters, 1)].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
      await expectRevert(submit(s, p, sigs), s.receiver.interface, 'SignersNotOrdered', [1n, at(sorted, 0).address]);
    });

    test('submit reverts if a signature is malleable (high s)', async () => {
      const s = await system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const [sig] = signBatch([at(attesters, 0)], s.domain, p);
      if (sig === undefined) throw new Error('no signature');
      // The malleated signature still recovers the attester with the bare ecrecover precompile.
      const high = malleate(sig);
      const input = ethers.AbiCoder.defaultAbiCoder().encode(
        ['bytes32', 'uint8', 'bytes32', 'bytes32'],
        [batchDigest(s.domain, p), Number.parseInt(high.slice(130), 16), high.slice(0, 66), `0x${high.slice(66, 130)}`],
      );
      const recovered = await anvil.provider.call({ to: '0x0000000000000000000000000000000000000001', data: input });
      expect(ethers.getAddress(ethers.dataSlice(recovered, 12))).toBe(at(attesters, 0).address);
      await expectRevert(submit(s, p, [high]), s.receiver.interface, 'MalleableSignature', [0n]);
    });

    test.each([
      ['v = 29', (sig: string) => `${sig.slice(0, 130)}1d`],
      ['v = 0', (sig: string) => `${sig.slice(0, 130)}00`],
      ['64 bytes', (sig: string) => sig.slice(0, 130)],
      ['66 bytes', (sig: string) => `${sig}00`],
    ])('submit reverts if a signature is malformed: %s', async (_name, mutate) => {
      const s = await system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const [sig] = signBatch([at(attesters, 0)], s.domain, p);
      if (sig === undefined) throw new Error('no signature');
      await expectRevert(submit(s, p, [mutate(sig)]), s.receiver.interface, 'InvalidSignature', [0n]);
    });

    test.each([
      ['another chain id', (d: { chainId: number | bigint; verifyingContract: string }) => ({ ...d, chainId: 1 })],
      ['another contract', (d: { chainId: number | bigint; verifyingContract: string }) => ({ ...d, verifyingContract: '0x000000000000000000000000000000000000dEaD' })],
    ])('submit reverts if the signature is for the wrong domain: %s', async (_name, wrongDomain) => {
      const s = await system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const err = await expectRevert(submit(s, p, signBatch([at(attesters, 0)], wrongDomain(s.domain), p)), s.receiver.interface, 'SignerNotAttester');
      expect(err.args[1]).not.toBe(at(attesters, 0).address);
    });

    test('submit reverts if the signature covers another batch', async () => {
      const s = await system(1);
      const p = [creditPacket(s, 1n, ACCOUNT), creditPacket(s, 2n, ACCOUNT)];
      const sigsForFirstOnly = signBatch([at(attesters, 0)], s.domain, p.slice(0, 1));
      await expectRevert(submit(s, p, sigsForFirstOnly), s.receiver.interface, 'SignerNotAttester');
    });

    test('submit reverts if the signature covers another validUntil', async () => {
      const s = await system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      await expectRevert(submit(s, p, signBatch([at(attesters, 0)], s.domain, p, FAR_FUTURE), FAR_FUTURE + 1n), s.receiver.interface, 'SignerNotAttester');
    });

    test('submit reverts if the signature is a v1 one (domain version 1)', async () => {
      const s = await system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      await expectRevert(submit(s, p, signBatch([at(attesters, 0)], { ...s.domain, version: '1' }, p)), s.receiver.interface, 'SignerNotAttester');
    });

    test('submit reverts if the attestation expired, and accepts it up to validUntil', async () => {
      const s = await system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const now = BigInt((await anvil.provider.getBlock('latest'))?.timestamp ?? 0);
      const validUntil = now + 100n;
      const sigs = signBatch([at(attesters, 0)], s.domain, p, validUntil);
      await anvil.rpc('evm_setNextBlockTimestamp', [Number(validUntil + 1n)]);
      await anvil.mine();
      const err = await expectRevert(submit(s, p, sigs, validUntil), s.receiver.interface, 'AttestationExpired');
      expect(err.args[0]).toBe(validUntil);
      expect(err.args[1]).toBeGreaterThan(validUntil);
      await anvil.rpc('evm_revert', [snapshot]);
      snapshot = await anvil.rpc<string>('evm_snapshot');
      await anvil.rpc('evm_setNextBlockTimestamp', [Number(validUntil)]);
      await (await s.receiver.getFunction('submit')(p, validUntil, sigs)).wait();
      expect(await s.receiver.getFunction('lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(1n);
    });
  });

  describe('administration', () => {
    test('attester rotation: a removed attester no longer counts, the new one does', async () => {
      const s = await system(1);
      const [a0, , , ] = attesters;
      if (a0 === undefined) throw new Error('no attester');
      const newcomer = at(anvil.accounts, 5);
      const added = await (await s.receiver.getFunction('addAttester')(newcomer.address)).wait();
      expect(added.logs.map((l: ethers.Log) => s.receiver.interface.parseLog(l)?.name)).toEqual(['AttesterAdded']);
      const removed = await (await s.receiver.getFunction('removeAttester')(a0.address)).wait();
      expect(removed.logs.map((l: ethers.Log) => s.receiver.interface.parseLog(l)?.name)).toEqual(['AttesterRemoved']);
      expect(await s.receiver.getFunction('isAttester')(a0.address)).toBe(false);

      const p = [creditPacket(s, 1n, ACCOUNT)];
      await expectRevert(submit(s, p, signBatch([a0], s.domain, p)), s.receiver.interface, 'SignerNotAttester', [0n, a0.address]);
      await submit(s, p, signBatch([newcomer], s.domain, p));
      expect(await s.receiver.getFunction('lastNonce')(SRC_EID, toBytes32(s.vaultAddress))).toBe(1n);
    });

    test('setThreshold reverts if zero or above the attester count', async () => {
      const s = await system(1, 3);
      await expectRevert(s.receiver.getFunction('setThreshold')(0), s.receiver.interface, 'InvalidThreshold', [0n, 3n]);
      await expectRevert(s.receiver.getFunction('setThreshold')(4), s.receiver.interface, 'InvalidThreshold', [4n, 3n]);
      const receipt = await (await s.receiver.getFunction('setThreshold')(3)).wait();
      expect(s.receiver.interface.parseLog(at(receipt.logs, 0))?.args[0]).toBe(3n);
      expect(await s.receiver.getFunction('threshold')()).toBe(3n);
    });

    test('removeAttester reverts if the threshold would exceed the remaining attesters', async () => {
      const s = await system(2, 2);
      await expectRevert(s.receiver.getFunction('removeAttester')(at(attesters, 0).address), s.receiver.interface, 'InvalidThreshold', [2n, 1n]);
      await expectRevert(s.receiver.getFunction('removeAttester')(stranger.address), s.receiver.interface, 'AttesterNotFound', [stranger.address]);
    });

    test('addAttester reverts if the attester exists or is zero', async () => {
      const s = await system(1);
      await expectRevert(s.receiver.getFunction('addAttester')(at(attesters, 0).address), s.receiver.interface, 'AttesterExists', [at(attesters, 0).address]);
      await expectRevert(s.receiver.getFunction('addAttester')(ethers.ZeroAddress), s.receiver.interface, 'AttesterExists', [ethers.ZeroAddress]);
    });

    test('admin functions revert for a non-owner', async () => {
      const s = await system(1);
      const asStranger = s.receiver.connect(stranger) as ethers.Contract; // connect() returns BaseContract; same ABI
      for (const call of [
        asStranger.getFunction('addAttester')(stranger.address),
        asStranger.getFunction('removeAttester')(at(attesters, 0).address),
        asStranger.getFunction('setThreshold')(1),
        asStranger.getFunction('pause')(),
      ]) {
        await expectRevert(call, s.receiver.interface, 'OwnableUnauthorizedAccount', [stranger.address]);
      }
    });

    test('submit reverts while paused and works again after unpause', async () => {
      const s = await system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const sigs = signBatch([at(attesters, 0)], s.domain, p);
      await (await s.receiver.getFunction('pause')()).wait();
      await expectRevert(submit(s, p, sigs), s.receiver.interface, 'EnforcedPause');
      await (await s.receiver.getFunction('unpause')()).wait();
      await submit(s, p, sigs);
      expect(await s.receiver.getFunction('guidUsed')(creditOf(at(p, 0)).guid)).toBe(true);
    });

    test('constructor reverts if the threshold is invalid', async () => {
      await expect(deployCreditSystem({ deployer, attesters: [at(attesters, 0).address], threshold: 2, chainId: CHAIN_ID })).rejects.toThrow();
    });
  });
});
