/**
 * MarginCreditReceiver.submit on anvil: the compact batch (message bodies only; the receiver rebuilds every header and
 * GUID), per-path nonce order as the only replay protection, raw positions and the book, signature rules, and
 * administration. Pathway/asset bounds, caps and accounting are in receiver-bounds.test.ts, marks in
 * receiver-marks.test.ts.
 */
import { ethers } from '../../contracts/ts/index';
import { startAnvil, type AnvilInstance } from '../support/anvil';
import { ensureBuilt } from '../support/ensureBuilt';
import { mined } from '../support/tx';
import {
  DST_EID,
  FAR_FUTURE,
  SRC_EID,
  batchDigest,
  compactSubmitArgs,
  computeGuid,
  creditOf,
  creditPacket,
  deployCreditSystem,
  encodeMessage,
  encodePacket,
  inboundHeader,
  malleate,
  messageOf,
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

function system(threshold: number, attesterCount = threshold): CreditSystem {
  const found = systems.get(`${threshold}/${attesterCount}`);
  if (found === undefined) throw new Error(`no receiver deployed for ${threshold}-of-${attesterCount}`);
  return found;
}

/** Simulates (so a revert carries its data), then sends `submit(messages, validUntil, signatures)` and waits. */
async function submitRaw(s: CreditSystem, messages: string, signatures: string, validUntil: bigint = FAR_FUTURE): Promise<ethers.TransactionReceipt> {
  const fn = s.receiver.getFunction('submit');
  await fn.staticCall(messages, validUntil, signatures);
  return mined(fn.send(messages, validUntil, signatures));
}

/** Submits full `packets` as the receiver takes them: their message bodies and the signatures, each concatenated. */
function submit(s: CreditSystem, packets: string[], signatures: string[], validUntil: bigint = FAR_FUTURE): Promise<ethers.TransactionReceipt> {
  return submitRaw(s, ...compactSubmitArgs(packets, signatures), validUntil);
}

/**
 * The address a signature recovers to over the digest the receiver computes for `packets` (valid headers), i.e. the
 * `signer` a SignerNotAttester names when the signature was made over something else.
 */
function recoveredBy(s: CreditSystem, packets: readonly string[], signature: string, validUntil: bigint = FAR_FUTURE): string {
  return ethers.recoverAddress(batchDigest(s.domain, packets, validUntil), signature);
}

async function position(s: CreditSystem, account: string): Promise<[bigint, bigint]> {
  const [raw, frozen] = (await s.receiver.getFunction('position')(toBytes32(account), SRC_EID, toBytes32(s.tokenAddress))) as [bigint, bigint]; // (uint128, uint128)
  return [raw, frozen];
}

async function book(s: CreditSystem): Promise<[bigint, bigint]> {
  const [credited, frozen] = (await s.receiver.getFunction('book')(SRC_EID, toBytes32(s.tokenAddress))) as [bigint, bigint]; // (uint128, uint128)
  return [credited, frozen];
}

async function lastNonce(s: CreditSystem): Promise<bigint> {
  return (await s.receiver.getFunction('lastNonce')(SRC_EID, toBytes32(s.vaultAddress))) as bigint; // uint64 → bigint
}

/** The Credited events of `receipt`, as [guid, account, key, rawAmount]. */
function creditedEvents(s: CreditSystem, receipt: ethers.TransactionReceipt): unknown[][] {
  return receipt.logs.map((l) => s.receiver.interface.parseLog(l)).filter((l) => l?.name === 'Credited').map((l): unknown[] => [...(l?.args ?? [])]);
}

/** A reason selector of InvalidMessage (the codec error names). */
function reason(name: 'InvalidLength' | 'UnsupportedVersion' | 'UnsupportedMessageType' | 'InvalidField'): string {
  const params = { InvalidLength: 'uint256', UnsupportedVersion: 'uint8', UnsupportedMessageType: 'uint8', InvalidField: 'string' }[name];
  return ethers.id(`${name}(${params})`).slice(0, 10);
}

describe('MarginCreditReceiver', () => {
  test('submit credits one message and records the nonce, the position, the book and the Credited event', async () => {
    const s = system(1);
    const packet = creditPacket(s, 1n, ACCOUNT);
    const receipt = await submit(s, [packet], signBatch([at(attesters, 0)], s.domain, [packet]));

    // The receiver rebuilt the packet's GUID from the message alone.
    const { guid } = creditOf(packet);
    expect(guid).toBe(computeGuid(inboundHeader(s, 1n)));
    const asset = toBytes32(s.tokenAddress);
    const key = (await s.receiver.getFunction('assetKey')(SRC_EID, asset)) as string; // bytes32 → string
    expect(key).toBe(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(['uint32', 'bytes32'], [SRC_EID, asset])));
    expect(await lastNonce(s)).toBe(1n);
    expect(await position(s, ACCOUNT)).toEqual([1_000_000_000n, 0n]);
    expect(await book(s)).toEqual([1_000_000_000n, 0n]);

    const logs = receipt.logs.map((l) => s.receiver.interface.parseLog(l)).filter((l) => l !== null);
    expect(logs).toHaveLength(1);
    const credited = at(logs, 0);
    expect(credited.name).toBe('Credited');
    expect([...credited.args]).toEqual([guid, toBytes32(ACCOUNT), key, 1_000_000_000n]);
    // Valued on read: no mark yet, so the value is 0 and stale.
    expect([...(await s.receiver.getFunction('collateralValue').staticCallResult(toBytes32(ACCOUNT)))]).toEqual([0n, true]);
  });

  test('submit applies a batch of consecutive nonces for two accounts', async () => {
    const s = system(1);
    const packets = [
      creditPacket(s, 1n, ACCOUNT, { rawAmount: 1n }),
      creditPacket(s, 2n, ACCOUNT_2, { rawAmount: 2n }),
      creditPacket(s, 3n, ACCOUNT, { rawAmount: 4n }),
    ];
    const receipt = await submit(s, packets, signBatch([at(attesters, 0)], s.domain, packets));
    expect(await lastNonce(s)).toBe(3n);
    expect(await position(s, ACCOUNT)).toEqual([5n, 0n]);
    expect(await position(s, ACCOUNT_2)).toEqual([2n, 0n]);
    expect(await book(s)).toEqual([7n, 0n]);
    expect(creditedEvents(s, receipt).map((e) => [e[0], e[3]])).toEqual(packets.map((p, i) => [creditOf(p).guid, [1n, 2n, 4n][i]]));
  });

  test('domainSeparator is the EIP-712 domain of this receiver on this chain', async () => {
    const s = system(1);
    const expected = ethers.TypedDataEncoder.hashDomain({ name: 'MarginCreditReceiver', version: '2', chainId: CHAIN_ID, verifyingContract: s.receiverAddress });
    expect(await s.receiver.getFunction('domainSeparator')()).toBe(expected);
  });

  describe('message rules', () => {
    let s: CreditSystem;
    const iface = () => s.receiver.interface;
    const signed = (packets: string[]) => submit(s, packets, signBatch([at(attesters, 0)], s.domain, packets));
    const header = (nonce = 1n) => inboundHeader(s, nonce);
    const message = (nonce = 1n) => messageOf(creditPacket(s, nonce, ACCOUNT)).slice(2);
    /** A valid 1-of-1 signature blob (messages are checked before signatures, so any blob will do). */
    const anySignature = () => ethers.concat(signBatch([at(attesters, 0)], s.domain, [creditPacket(s, 1n, ACCOUNT)]));

    beforeEach(() => {
      s = system(1);
    });

    test('submit reverts if the batch is empty', async () => {
      await expectRevert(signed([]), iface(), 'EmptyBatch');
    });

    test('submit reverts if the blob ends inside a message', async () => {
      const good = messageOf(creditPacket(s, 1n, ACCOUNT));
      const short = `0x${message(2n).slice(0, 112 * 2)}`;
      await expectRevert(submitRaw(s, ethers.concat([good, short]), anySignature()), iface(), 'TruncatedMessage', [1n, 112n]);
    });

    test('submit reverts if given full packets (header ‖ guid ‖ message): the receiver takes message bodies only', async () => {
      // Byte 0 is the packet version (1), byte 1 the nonce's top byte (0): read as a message of unknown type 0.
      const p = creditPacket(s, 1n, ACCOUNT);
      await expectRevert(submitRaw(s, p, anySignature()), iface(), 'InvalidMessage', [0n, reason('UnsupportedMessageType')]);
    });

    test.each([
      ['dstEid another eid', (h: ReturnType<typeof header>) => ({ h: { ...h, dstEid: DST_EID + 1 }, guid: undefined })],
      ['receiver another contract', (h: ReturnType<typeof header>) => ({ h: { ...h, receiver: toBytes32(s.vaultAddress) }, guid: undefined })],
      ['a GUID not of the header', (h: ReturnType<typeof header>) => ({ h, guid: computeGuid({ ...h, nonce: 2n }) })],
    ])('a message attested under another header (%s) does not verify', async (_name, mutate) => {
      // A header field the message does not carry cannot be sent any more: the receiver rebuilds it as (localEid,
      // itself), so a signature over another header is a signature over another digest.
      const good = creditPacket(s, 1n, ACCOUNT);
      const { h, guid } = mutate(header());
      const forged = encodePacket(h, `0x${message()}`, guid ?? computeGuid(h));
      const [sig] = signBatch([at(attesters, 0)], s.domain, [forged]);
      if (sig === undefined) throw new Error('no signature');
      const signer = recoveredBy(s, [good], sig);
      expect(signer).not.toBe(at(attesters, 0).address);
      await expectRevert(submit(s, [forged], [sig]), iface(), 'SignerNotAttester', [0n, signer]);
      expect(await lastNonce(s)).toBe(0n);
    });

    test.each([
      ['too short', (m: string) => m.slice(0, -2), ['TruncatedMessage', [0n, 182n]]],
      ['one byte', (m: string) => m.slice(0, 2), ['TruncatedMessage', [0n, 1n]]],
      ['version 2', (m: string) => `02${m.slice(2)}`, ['InvalidMessage', [0n, reason('UnsupportedVersion')]]],
      // The type byte decides the length, so it is read first.
      ['version 2 of an unknown type', (m: string) => `0209${m.slice(4)}`, ['InvalidMessage', [0n, reason('UnsupportedMessageType')]]],
      ['type 2 (withdrawal: the receiver sends those, never takes them)', (m: string) => `01${'02'}${m.slice(4)}`, ['InvalidMessage', [0n, reason('UnsupportedMessageType')]]],
      ['type 3 (revaluation: submitMarks takes those)', (m: string) => `01${'03'}${m.slice(4)}`, ['InvalidMessage', [0n, reason('UnsupportedMessageType')]]],
    ] as const)('submit reverts if the message is invalid: %s', async (_name, mutate, [name, args]) => {
      await expectRevert(submitRaw(s, `0x${mutate(message())}`, anySignature()), iface(), name, args);
    });

    test.each([
      ['srcEid (a chain without a vault)', { srcEid: SRC_EID + 1 }, (): [string, unknown[]] => ['UnknownPathway', [0n, BigInt(SRC_EID + 1), toBytes32(s.vaultAddress)]]],
      ['srcVault (not the vault of srcEid)', { srcVault: toBytes32('0x000000000000000000000000000000000000dEaD') }, (): [string, unknown[]] => ['UnknownPathway', [0n, BigInt(SRC_EID), toBytes32('0x000000000000000000000000000000000000dEaD')]]],
      ['depositNonce (not the next one)', { depositNonce: 2n }, (): [string, unknown[]] => ['UnexpectedNonce', [0n, 1n, 2n]]],
    ])('the header is rebuilt from the message: another %s is refused', async (_name, override, expected) => {
      const m = encodeMessage({
        account: toBytes32(ACCOUNT), srcEid: SRC_EID, srcVault: toBytes32(s.vaultAddress), asset: toBytes32(s.tokenAddress), assetDecimals: 6,
        depositNonce: 1n, rawAmount: 1n, haircutValue: 1n, price: 1n, priceTimestamp: 1n, haircut: 0n, sizeWeight: 10n ** 18n, ...override,
      });
      const [name, args] = expected();
      await expectRevert(signed([encodePacket(header(), m)]), iface(), name, args);
    });

    test('submit reverts if a message is replayed in a later batch (the path nonce moved on)', async () => {
      const p1 = creditPacket(s, 1n, ACCOUNT);
      await signed([p1]);
      await expectRevert(signed([p1]), iface(), 'UnexpectedNonce', [0n, 2n, 1n]);
      expect(await position(s, ACCOUNT)).toEqual([1_000_000_000n, 0n]);
    });

    test('submit reverts if the same message appears twice in a batch', async () => {
      const p1 = creditPacket(s, 1n, ACCOUNT);
      await expectRevert(signed([p1, p1]), iface(), 'UnexpectedNonce', [1n, 2n, 1n]);
    });

    test('submit reverts if the nonce skips ahead', async () => {
      await expectRevert(signed([creditPacket(s, 2n, ACCOUNT)]), iface(), 'UnexpectedNonce', [0n, 1n, 2n]);
    });

    test('submit reverts if the nonces in a batch are out of order', async () => {
      const packets = [creditPacket(s, 1n, ACCOUNT), creditPacket(s, 3n, ACCOUNT), creditPacket(s, 2n, ACCOUNT)];
      await expectRevert(signed(packets), iface(), 'UnexpectedNonce', [1n, 2n, 3n]);
    });

    test('submit is atomic: one bad message leaves nothing applied', async () => {
      const good = creditPacket(s, 1n, ACCOUNT);
      const bad = creditPacket(s, 2n, ACCOUNT, { srcEid: 1 });
      const sigs = signBatch([at(attesters, 0)], s.domain, [good, bad]);
      await expectRevert(submit(s, [good, bad], sigs), iface(), 'UnknownPathway', [1n, 1n, toBytes32(s.vaultAddress)]);
      // Sending it for real (no simulation) reverts too and changes nothing.
      const [messages, packed] = compactSubmitArgs([good, bad], sigs);
      await expect(s.receiver.getFunction('submit')(messages, FAR_FUTURE, packed, { gasLimit: 1_000_000 }).then((tx: ethers.ContractTransactionResponse) => tx.wait())).rejects.toThrow();
      expect(await lastNonce(s)).toBe(0n);
      expect(await position(s, ACCOUNT)).toEqual([0n, 0n]);
      expect(await book(s)).toEqual([0n, 0n]);
      await signed([good]);
      expect(await lastNonce(s)).toBe(1n);
    });

    test('submit is atomic: a bad signature leaves the messages unapplied', async () => {
      const good = creditPacket(s, 1n, ACCOUNT);
      await expectRevert(submit(s, [good], signBatch([stranger], s.domain, [good])), iface(), 'SignerNotAttester', [0n, stranger.address]);
      expect(await lastNonce(s)).toBe(0n);
      expect(await position(s, ACCOUNT)).toEqual([0n, 0n]);
    });
  });

  describe('signature rules', () => {
    test('submit reverts if signatures are fewer than the threshold', async () => {
      const s = system(2, 3);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      await expectRevert(submit(s, p, signBatch([at(attesters, 0)], s.domain, p)), s.receiver.interface, 'InsufficientSignatures', [1n, 2n]);
      await expectRevert(submit(s, p, []), s.receiver.interface, 'InsufficientSignatures', [0n, 2n]);
    });

    test('submit accepts 2-of-3 and 3-of-3 but not 1-of-3 when the threshold is 2', async () => {
      const s = system(2, 3);
      const p1 = [creditPacket(s, 1n, ACCOUNT)];
      await submit(s, p1, signBatch([at(attesters, 2), at(attesters, 0)], s.domain, p1));
      const p2 = [creditPacket(s, 2n, ACCOUNT)];
      await submit(s, p2, signBatch(attesters, s.domain, p2));
      const p3 = [creditPacket(s, 3n, ACCOUNT)];
      await expectRevert(submit(s, p3, signBatch([at(attesters, 1)], s.domain, p3)), s.receiver.interface, 'InsufficientSignatures', [1n, 2n]);
      expect(await lastNonce(s)).toBe(2n);
    });

    test('submit reverts if a signer is not an attester', async () => {
      const s = system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      await expectRevert(submit(s, p, signBatch([stranger], s.domain, p)), s.receiver.interface, 'SignerNotAttester', [0n, stranger.address]);
    });

    test('submit reverts if signer is duplicated', async () => {
      const s = system(2, 3);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const [sig] = signBatch([at(attesters, 0)], s.domain, p);
      if (sig === undefined) throw new Error('no signature');
      await expectRevert(submit(s, p, [sig, sig]), s.receiver.interface, 'DuplicateSigner', [1n, at(attesters, 0).address]);
    });

    test('submit reverts if signers are not in increasing order', async () => {
      const s = system(2, 3);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const sigs = signBatch([at(attesters, 0), at(attesters, 1)], s.domain, p).reverse();
      const sorted = [at(attesters, 0), at(attesters, 1)].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
      await expectRevert(submit(s, p, sigs), s.receiver.interface, 'SignersNotOrdered', [1n, at(sorted, 0).address]);
    });

    test('submit reverts if a signature is malleable (high s)', async () => {
      const s = system(1);
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
      ['v = 29', (sig: string) => `${sig.slice(0, 130)}1d`, ['InvalidSignature', [0n]]],
      ['v = 0', (sig: string) => `${sig.slice(0, 130)}00`, ['InvalidSignature', [0n]]],
      // Packed signatures: a blob that is not a whole number of 65-byte signatures is refused as a whole.
      ['64 bytes', (sig: string) => sig.slice(0, 130), ['InvalidSignaturesLength', [64n]]],
      ['66 bytes', (sig: string) => `${sig}00`, ['InvalidSignaturesLength', [66n]]],
    ] as const)('submit reverts if a signature is malformed: %s', async (_name, mutate, [name, args]) => {
      const s = system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const [sig] = signBatch([at(attesters, 0)], s.domain, p);
      if (sig === undefined) throw new Error('no signature');
      await expectRevert(submit(s, p, [mutate(sig)]), s.receiver.interface, name, args);
    });

    test.each([
      ['another chain id', (d: { chainId: number | bigint; verifyingContract: string }) => ({ ...d, chainId: 1 })],
      ['another contract', (d: { chainId: number | bigint; verifyingContract: string }) => ({ ...d, verifyingContract: '0x000000000000000000000000000000000000dEaD' })],
      ['domain version 1 (a v1 signature)', (d: { chainId: number | bigint; verifyingContract: string }) => ({ ...d, version: '1' })],
    ])('submit reverts if the signature is for the wrong domain: %s', async (_name, wrongDomain) => {
      const s = system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const [sig] = signBatch([at(attesters, 0)], wrongDomain(s.domain), p);
      if (sig === undefined) throw new Error('no signature');
      const signer = recoveredBy(s, p, sig);
      expect(signer).not.toBe(at(attesters, 0).address);
      await expectRevert(submit(s, p, [sig]), s.receiver.interface, 'SignerNotAttester', [0n, signer]);
    });

    test('submit reverts if the signature covers another batch', async () => {
      const s = system(1);
      const p = [creditPacket(s, 1n, ACCOUNT), creditPacket(s, 2n, ACCOUNT)];
      const [sig] = signBatch([at(attesters, 0)], s.domain, p.slice(0, 1));
      if (sig === undefined) throw new Error('no signature');
      await expectRevert(submit(s, p, [sig]), s.receiver.interface, 'SignerNotAttester', [0n, recoveredBy(s, p, sig)]);
    });

    test('submit reverts if the signature covers another validUntil', async () => {
      const s = system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const [sig] = signBatch([at(attesters, 0)], s.domain, p, FAR_FUTURE);
      if (sig === undefined) throw new Error('no signature');
      await expectRevert(submit(s, p, [sig], FAR_FUTURE + 1n), s.receiver.interface, 'SignerNotAttester', [0n, recoveredBy(s, p, sig, FAR_FUTURE + 1n)]);
    });

    test('submit reverts if the attestation expired, and accepts it up to validUntil', async () => {
      const s = system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const now = BigInt((await anvil.provider.getBlock('latest'))?.timestamp ?? 0);
      const validUntil = now + 100n;
      const sigs = signBatch([at(attesters, 0)], s.domain, p, validUntil);
      await anvil.rpc('evm_setNextBlockTimestamp', [Number(validUntil + 1n)]);
      await anvil.mine();
      // A call runs at the latest block's time: validUntil + 1.
      await expectRevert(submit(s, p, sigs, validUntil), s.receiver.interface, 'AttestationExpired', [validUntil, validUntil + 1n]);
      await anvil.rpc('evm_revert', [snapshot]);
      snapshot = await anvil.rpc<string>('evm_snapshot');
      await anvil.rpc('evm_setNextBlockTimestamp', [Number(validUntil)]);
      const [messages, packed] = compactSubmitArgs(p, sigs);
      await mined(s.receiver.getFunction('submit').send(messages, validUntil, packed));
      expect(await lastNonce(s)).toBe(1n);
    });
  });

  describe('administration', () => {
    test('attester rotation: a removed attester no longer counts, the new one does', async () => {
      const s = system(1);
      const [a0, , , ] = attesters;
      if (a0 === undefined) throw new Error('no attester');
      const newcomer = at(anvil.accounts, 5);
      const added = await mined(s.receiver.getFunction('addAttester').send(newcomer.address));
      expect(added.logs.map((l: ethers.Log) => s.receiver.interface.parseLog(l)?.name)).toEqual(['AttesterAdded']);
      const removed = await mined(s.receiver.getFunction('removeAttester').send(a0.address));
      expect(removed.logs.map((l: ethers.Log) => s.receiver.interface.parseLog(l)?.name)).toEqual(['AttesterRemoved']);
      expect(await s.receiver.getFunction('isAttester')(a0.address)).toBe(false);
      expect(await s.receiver.getFunction('attesterCount')()).toBe(1n);

      const p = [creditPacket(s, 1n, ACCOUNT)];
      await expectRevert(submit(s, p, signBatch([a0], s.domain, p)), s.receiver.interface, 'SignerNotAttester', [0n, a0.address]);
      await submit(s, p, signBatch([newcomer], s.domain, p));
      expect(await lastNonce(s)).toBe(1n);
    });

    test('setThreshold reverts if zero or above the attester count', async () => {
      const s = system(1, 3);
      await expectRevert(s.receiver.getFunction('setThreshold')(0), s.receiver.interface, 'InvalidThreshold', [0n, 3n]);
      await expectRevert(s.receiver.getFunction('setThreshold')(4), s.receiver.interface, 'InvalidThreshold', [4n, 3n]);
      const receipt = await mined(s.receiver.getFunction('setThreshold').send(3));
      expect(s.receiver.interface.parseLog(at(receipt.logs, 0))?.args[0]).toBe(3n);
      expect(await s.receiver.getFunction('threshold')()).toBe(3n);
    });

    test('removeAttester reverts if the threshold would exceed the remaining attesters', async () => {
      const s = system(2, 2);
      await expectRevert(s.receiver.getFunction('removeAttester')(at(attesters, 0).address), s.receiver.interface, 'InvalidThreshold', [2n, 1n]);
      await expectRevert(s.receiver.getFunction('removeAttester')(stranger.address), s.receiver.interface, 'AttesterNotFound', [stranger.address]);
    });

    test('addAttester reverts if the attester exists or is zero', async () => {
      const s = system(1);
      await expectRevert(s.receiver.getFunction('addAttester')(at(attesters, 0).address), s.receiver.interface, 'AttesterExists', [at(attesters, 0).address]);
      await expectRevert(s.receiver.getFunction('addAttester')(ethers.ZeroAddress), s.receiver.interface, 'AttesterExists', [ethers.ZeroAddress]);
    });

    test('admin functions revert for a non-owner', async () => {
      const s = system(1);
      const asStranger = s.receiver.connect(stranger) as ethers.Contract; // connect() returns BaseContract; same ABI
      for (const call of [
        asStranger.getFunction('addAttester')(stranger.address),
        asStranger.getFunction('removeAttester')(at(attesters, 0).address),
        asStranger.getFunction('setThreshold')(1),
        asStranger.getFunction('unpause')(),
      ]) {
        await expectRevert(call, s.receiver.interface, 'OwnableUnauthorizedAccount', [stranger.address]);
      }
      await expectRevert(asStranger.getFunction('pause')(), s.receiver.interface, 'NotGuardian', [stranger.address]);
    });

    test('submit reverts while paused and works again after unpause', async () => {
      const s = system(1);
      const p = [creditPacket(s, 1n, ACCOUNT)];
      const sigs = signBatch([at(attesters, 0)], s.domain, p);
      await (await s.receiver.getFunction('pause').send()).wait();
      await expectRevert(submit(s, p, sigs), s.receiver.interface, 'EnforcedPause');
      await (await s.receiver.getFunction('unpause').send()).wait();
      await submit(s, p, sigs);
      expect(await lastNonce(s)).toBe(1n);
      expect(await position(s, ACCOUNT)).toEqual([1_000_000_000n, 0n]);
    });

    test('constructor reverts if the threshold is invalid', async () => {
      await expect(deployCreditSystem({ deployer, attesters: [at(attesters, 0).address], threshold: 2, chainId: CHAIN_ID })).rejects.toThrow();
    });
  });
});
