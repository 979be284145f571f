import { AbiCoder, type Signer, Signature, TypedDataEncoder, Wallet, concat, id, keccak256, recoverAddress, toUtf8Bytes } from 'ethers';
import fc from 'fast-check';
import { anyBytes32, markMessage, uint } from '../test-utils/arbitraries';
import { catchAsyncError, catchError } from '../test-utils/catchError';
import { loadVectors } from '../test-utils/vectors';
import {
  type AttestationDomain,
  type AttestedPacket,
  type Credit,
  MARK_BATCH_TYPEHASH,
  PACKET_BATCH_TYPEHASH,
  PACKET_TYPEHASH,
  batchDigest,
  creditDomain,
  domainSeparator,
  hashPacket,
  hashMarkBatch,
  hashPacketBatch,
  markBatchDigest,
  packetDigest,
  receiverDomain,
  recoverBatchSigner,
  recoverBatchSigners,
  recoverMarkBatchSigners,
  signBatch,
  signMarkBatch,
  vaultDomain,
} from './attestation';
import { FieldOutOfRangeError, InvalidAddressError, InvalidHexError, InvalidSignatureError, SignerOrderError } from './errors';
import { bytesToHex, type Hex, toBytes } from './hex';
import { encodeMarkMessage } from './markMessage';

const vectors = loadVectors();
const abi = AbiCoder.defaultAbiCoder();
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The spec's hashing written out by hand (docs/two-way-book.md, "Attestation v2"), independent of TypedDataEncoder. */
const manual = {
  domainSeparator: (d: { name: string; version: string; chainId: number | bigint; verifyingContract: string }): string =>
    keccak256(
      abi.encode(
        ['bytes32', 'bytes32', 'bytes32', 'uint256', 'address'],
        [id('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'), id(d.name), id(d.version), d.chainId, d.verifyingContract],
      ),
    ),
  hashPacket: (p: AttestedPacket): string =>
    keccak256(abi.encode(['bytes32', 'bytes32', 'bytes32'], [id('Packet(bytes32 guid,bytes32 payloadHash)'), p.guid, p.payloadHash])),
  hashBatch: (ps: readonly AttestedPacket[], validUntil: bigint | number): string =>
    keccak256(
      abi.encode(
        ['bytes32', 'bytes32', 'uint256'],
        [
          id('PacketBatch(Packet[] packets,uint64 validUntil)Packet(bytes32 guid,bytes32 payloadHash)'),
          keccak256(concat(['0x', ...ps.map(manual.hashPacket)])),
          validUntil,
        ],
      ),
    ),
  /** EIP-712 bytes[]: keccak256 of the concatenation of keccak256(each element). */
  hashMarkBatch: (marks: readonly string[], validUntil: bigint | number): string =>
    keccak256(
      abi.encode(
        ['bytes32', 'bytes32', 'uint256'],
        [id('MarkBatch(bytes[] marks,uint64 validUntil)'), keccak256(concat(['0x', ...marks.map((m) => keccak256(m))])), validUntil],
      ),
    ),
  digest: (domainSep: string, structHash: string): string => keccak256(concat(['0x1901', domainSep, structHash])),
};

/** ethers' own EIP-712 encoder over the spec's types, written here rather than taken from attestation.ts. */
const ethersBatchDigest = (d: AttestationDomain, ps: readonly AttestedPacket[], validUntil: bigint): string =>
  TypedDataEncoder.hash(
    d,
    {
      PacketBatch: [
        { name: 'packets', type: 'Packet[]' },
        { name: 'validUntil', type: 'uint64' },
      ],
      Packet: [
        { name: 'guid', type: 'bytes32' },
        { name: 'payloadHash', type: 'bytes32' },
      ],
    },
    { packets: ps, validUntil },
  );

/** ethers' EIP-712 encoder over the MarkBatch type, written here rather than taken from attestation.ts. */
const ethersMarkBatchDigest = (d: AttestationDomain, marks: readonly string[], validUntil: bigint): string =>
  TypedDataEncoder.hash(
    d,
    {
      MarkBatch: [
        { name: 'marks', type: 'bytes[]' },
        { name: 'validUntil', type: 'uint64' },
      ],
    },
    { marks, validUntil },
  );

const RECEIVER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const VAULT = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const domain = receiverDomain({ chainId: 31337, verifyingContract: RECEIVER });
const vault = vaultDomain({ chainId: 31337, verifyingContract: RECEIVER });
const VALID_UNTIL = 1_700_003_600n;
const wallets = [1, 2, 3, 4].map((i) => new Wallet(keccak256(toUtf8Bytes(`ccr attester ${i}`))));
const threeCredits = vectors.batches.find((b) => b.name === 'three credits');
if (threeCredits === undefined) throw new Error('vector batch "three credits" missing');
const packets: AttestedPacket[] = threeCredits.packets.map((c) => ({ guid: c.guid as Hex, payloadHash: c.payloadHash as Hex })); // vector hex

function domainFromJson(d: { name: string; version: string; chainId: number; verifyingContract: string }): AttestationDomain {
  const params = { chainId: d.chainId, verifyingContract: d.verifyingContract };
  if (d.name === 'MarginCreditReceiver') return receiverDomain(params);
  if (d.name === 'CollateralVault') return vaultDomain(params);
  throw new Error(`unknown domain ${d.name}`);
}

describe('typehashes and domains', () => {
  it('typehashes are the spec strings', () => {
    expect(PACKET_TYPEHASH).toBe(keccak256(toUtf8Bytes('Packet(bytes32 guid,bytes32 payloadHash)')));
    expect(PACKET_BATCH_TYPEHASH).toBe(keccak256(toUtf8Bytes('PacketBatch(Packet[] packets,uint64 validUntil)Packet(bytes32 guid,bytes32 payloadHash)')));
    expect(MARK_BATCH_TYPEHASH).toBe(keccak256(toUtf8Bytes('MarkBatch(bytes[] marks,uint64 validUntil)')));
  });

  it('receiverDomain is MarginCreditReceiver v2, vaultDomain is CollateralVault v1, both checksum the contract', () => {
    expect(receiverDomain({ chainId: 1n, verifyingContract: RECEIVER.toLowerCase() })).toEqual({
      name: 'MarginCreditReceiver', version: '2', chainId: 1n, verifyingContract: RECEIVER,
    });
    expect(vaultDomain({ chainId: 42161, verifyingContract: VAULT.toLowerCase() })).toEqual({
      name: 'CollateralVault', version: '1', chainId: 42161n, verifyingContract: VAULT,
    });
    expect(domainSeparator(domain)).toBe(manual.domainSeparator(domain));
    expect(domainSeparator(vault)).toBe(manual.domainSeparator(vault));
  });

  it('creditDomain is the deprecated alias of receiverDomain', () => {
    expect(creditDomain).toBe(receiverDomain);
    const legacy: Credit = packets[0]!; // three packets; Credit is AttestedPacket
    expect(packetDigest(creditDomain({ chainId: 31337, verifyingContract: RECEIVER }), legacy)).toBe(packetDigest(domain, legacy));
  });

  it.each([
    ['receiverDomain', receiverDomain],
    ['vaultDomain', vaultDomain],
  ] as const)('%s refuses a bad contract address or chain id', (_n, make) => {
    const bad = catchError(() => make({ chainId: 1, verifyingContract: '0x1234' }));
    expect(bad).toBeInstanceOf(InvalidAddressError);
    expect(bad).toMatchObject({ value: '0x1234' });
    const chain = catchError(() => make({ chainId: -1, verifyingContract: RECEIVER }));
    expect(chain).toBeInstanceOf(FieldOutOfRangeError);
    expect(chain).toMatchObject({ field: 'chainId' });
  });

  it('the receiver and vault domains differ even on the same chain and address, and v2 differs from v1', () => {
    expect(domainSeparator(domain)).not.toBe(domainSeparator(vault));
    expect(batchDigest(domain, packets, VALID_UNTIL)).not.toBe(batchDigest(vault, packets, VALID_UNTIL));
    const v1 = manual.domainSeparator({ ...domain, version: '1' });
    expect(domainSeparator(domain)).not.toBe(v1);
  });
});

describe('vector file digests', () => {
  it.each(vectors.creditMessages.map((v) => [v.name, v] as const))('%s: packetDigest under the v2 receiver domain', (_n, v) => {
    expect(v.domain).toMatchObject({ name: 'MarginCreditReceiver', version: '2' });
    const d = domainFromJson(v.domain);
    const p = { guid: v.guid as Hex, payloadHash: v.payloadHash as Hex }; // vector hex
    expect(packetDigest(d, p)).toBe(v.packetDigest);
    expect(manual.digest(manual.domainSeparator(v.domain), manual.hashPacket(p))).toBe(v.packetDigest);
  });

  it('has batches of 1 and several packets, under the receiver AND the vault domain', () => {
    expect(vectors.batches.map((b) => b.packets.length)).toEqual(expect.arrayContaining([1, 3, 4]));
    const names = new Set(vectors.batches.map((b) => `${b.domain.name} ${b.domain.version}`));
    expect(names).toEqual(new Set(['MarginCreditReceiver 2', 'CollateralVault 1']));
    expect(vectors.batches.some((b) => b.validUntil === ((1n << 64n) - 1n).toString())).toBe(true);
    expect(vectors.batches.some((b) => b.validUntil === '0')).toBe(true);
  });

  it.each(vectors.batches.map((b) => [b.name, b] as const))('%s: batchDigest = file = hand-written = ethers TypedDataEncoder', (_n, b) => {
    const ps = b.packets.map((c) => ({ guid: c.guid as Hex, payloadHash: c.payloadHash as Hex })); // vector hex
    const d = domainFromJson(b.domain);
    const validUntil = BigInt(b.validUntil);
    expect(batchDigest(d, ps, validUntil)).toBe(b.digest);
    expect(manual.digest(manual.domainSeparator(b.domain), manual.hashBatch(ps, validUntil))).toBe(b.digest);
    expect(ethersBatchDigest(d, ps, validUntil)).toBe(b.digest);
    expect(b.sources).toHaveLength(ps.length);
  });

  it('the two one-credit batches differ only by validUntil, and so do their digests', () => {
    const [a, b] = ['one credit', 'one credit, validUntil one second later'].map((n) => vectors.batches.find((x) => x.name === n));
    expect(a?.packets).toEqual(b?.packets);
    expect(BigInt(b?.validUntil ?? 0) - BigInt(a?.validUntil ?? 0)).toBe(1n);
    expect(a?.digest).not.toBe(b?.digest);
  });
});

describe('hashing properties', () => {
  const packet = fc.record({ guid: anyBytes32, payloadHash: anyBytes32 });

  it('hashPacket / hashPacketBatch / batchDigest equal the hand-written EIP-712 and ethers TypedDataEncoder', () => {
    fc.assert(
      fc.property(fc.array(packet, { maxLength: 6 }), uint(64), fc.boolean(), (ps, validUntil, useVault) => {
        const d = useVault ? vault : domain;
        expect(hashPacketBatch(ps, validUntil)).toBe(manual.hashBatch(ps, validUntil));
        for (const p of ps) expect(hashPacket(p)).toBe(manual.hashPacket(p));
        const digest = batchDigest(d, ps, validUntil);
        expect(digest).toBe(manual.digest(manual.domainSeparator(d), manual.hashBatch(ps, validUntil)));
        expect(digest).toBe(ethersBatchDigest(d, ps, validUntil));
      }),
      { numRuns: 50 },
    );
  });

  it('validUntil changes the digest', () => {
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 3 }), uint(64), uint(64), (ps, a, b) => {
        fc.pre(a !== b);
        expect(batchDigest(domain, ps, a)).not.toBe(batchDigest(domain, ps, b));
      }),
      { numRuns: 30 },
    );
  });

  it('validUntil as a number and as a bigint give the same digest', () => {
    expect(batchDigest(domain, packets, 1_700_003_600)).toBe(batchDigest(domain, packets, VALID_UNTIL));
  });

  it.each<[string, bigint | number]>([
    ['2^64', 1n << 64n],
    ['-1', -1n],
    ['1.5', 1.5],
    ['unsafe number 2^53 + 2', 2 ** 53 + 2],
  ])('FieldOutOfRangeError for validUntil = %s', (_n, validUntil) => {
    for (const f of [() => batchDigest(domain, packets, validUntil), () => hashPacketBatch(packets, validUntil)]) {
      const e = catchError(f);
      expect(e).toBeInstanceOf(FieldOutOfRangeError);
      expect(e).toMatchObject({ field: 'validUntil', max: (1n << 64n) - 1n });
    }
  });

  it('accepts validUntil = max uint64', () => {
    const max = (1n << 64n) - 1n;
    expect(batchDigest(domain, packets, max)).toBe(manual.digest(manual.domainSeparator(domain), manual.hashBatch(packets, max)));
  });

  it('the batch digest depends on packet order', () => {
    expect(batchDigest(domain, [...packets].reverse(), VALID_UNTIL)).not.toBe(batchDigest(domain, packets, VALID_UNTIL));
  });

  it('refuses a packet whose guid or payloadHash is not 32 bytes, naming it', () => {
    const badGuid = [packets[0]!, { guid: '0x1234' as Hex, payloadHash: packets[0]!.payloadHash }]; // three packets
    expect(catchError(() => batchDigest(domain, badGuid, VALID_UNTIL))).toMatchObject({ name: 'InvalidLengthError', subject: 'packets[1].guid' });
    const badHash: AttestedPacket[] = [{ guid: packets[0]!.guid, payloadHash: `0x${'zz'.repeat(32)}` }]; // deliberately not hex
    expect(catchError(() => batchDigest(domain, badHash, VALID_UNTIL))).toMatchObject({ name: 'InvalidHexError', field: 'packets[0].payloadHash' });
  });
});

describe('signBatch / recoverBatchSigners', () => {
  const three = wallets.slice(0, 3);

  it.each([
    ['receiver', domain],
    ['vault', vault],
  ] as const)('%s domain: 3 wallets sign; signatures ordered by strictly increasing signer and recover', async (_n, d) => {
    const shuffled = [three[2]!, three[0]!, three[1]!]; // three has 3 entries
    const { digest, signers, signatures } = await signBatch(shuffled, d, packets, VALID_UNTIL);
    expect(digest).toBe(batchDigest(d, packets, VALID_UNTIL));
    const sorted = three.map((w) => w.address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect(signers).toEqual(sorted);
    for (let i = 1; i < signers.length; i++) expect(BigInt(signers[i]!) > BigInt(signers[i - 1]!)).toBe(true); // i in range
    expect(recoverBatchSigners(d, packets, VALID_UNTIL, signatures)).toEqual(signers);
    for (const sig of signatures) {
      const b = toBytes(sig);
      expect(b.length).toBe(65);
      expect([27, 28]).toContain(b[64]);
      expect(BigInt(bytesToHex(b.subarray(32, 64))) <= N / 2n).toBe(true);
    }
  });

  it('SignerOrderError when the signatures are out of order or duplicated', async () => {
    const { signers, signatures } = await signBatch(three, domain, packets, VALID_UNTIL);
    const reversed = catchError(() => recoverBatchSigners(domain, packets, VALID_UNTIL, [...signatures].reverse()));
    expect(reversed).toBeInstanceOf(SignerOrderError);
    expect(reversed).toMatchObject({ name: 'SignerOrderError', code: 'SignerOrder', index: 1, previous: signers[2], current: signers[1] });
    const duplicate = catchError(() => recoverBatchSigners(domain, packets, VALID_UNTIL, [signatures[0]!, signatures[0]!])); // 3 signatures
    expect(duplicate).toBeInstanceOf(SignerOrderError);
    expect(duplicate).toMatchObject({ index: 1, previous: signers[0], current: signers[0] });
  });

  it('signBatch refuses the same signer twice', async () => {
    const e = await catchAsyncError(() => signBatch([three[0]!, three[1]!, three[0]!], domain, packets, VALID_UNTIL)); // three has 3 entries
    expect(e).toBeInstanceOf(SignerOrderError);
    expect(e).toMatchObject({ current: three[0]!.address }); // three has 3 entries
  });

  it('a signature with another validUntil, domain kind, chainId or contract recovers a different signer', async () => {
    const signer = wallets[0]!; // four wallets
    const { signatures } = await signBatch([signer], domain, packets, VALID_UNTIL);
    const sig = signatures[0]!; // one signer, one signature
    expect(recoverBatchSigner(domain, packets, VALID_UNTIL, sig)).toBe(signer.address);
    expect(recoverBatchSigner(domain, packets, VALID_UNTIL + 1n, sig)).not.toBe(signer.address);
    expect(recoverBatchSigner(vault, packets, VALID_UNTIL, sig)).not.toBe(signer.address);
    expect(recoverBatchSigner(receiverDomain({ chainId: 42161, verifyingContract: RECEIVER }), packets, VALID_UNTIL, sig)).not.toBe(signer.address);
    expect(recoverBatchSigner(receiverDomain({ chainId: 31337, verifyingContract: VAULT }), packets, VALID_UNTIL, sig)).not.toBe(signer.address);
    expect(recoverBatchSigner(domain, packets.slice(0, 2), VALID_UNTIL, sig)).not.toBe(signer.address);
  });

  it('signBatch rejects an out-of-range validUntil before signing', async () => {
    const e = await catchAsyncError(() => signBatch([wallets[0]!], domain, packets, 1n << 64n)); // four wallets
    expect(e).toBeInstanceOf(FieldOutOfRangeError);
    expect(e).toMatchObject({ field: 'validUntil' });
  });

  it('brings a high-s signature from a remote signer to low-s form', async () => {
    const wallet = wallets[3]!; // four wallets
    const highS: Pick<Signer, 'getAddress' | 'signTypedData'> = {
      getAddress: () => Promise.resolve(wallet.address),
      signTypedData: async (d, t, v) => {
        const sig = Signature.from(await wallet.signTypedData(d, t, v));
        const s = N - BigInt(sig.s);
        return concat([sig.r, `0x${s.toString(16).padStart(64, '0')}`, sig.v === 27 ? '0x1c' : '0x1b']);
      },
    };
    // A minimal stand-in for a KMS-backed Signer: signBatch only calls these two methods.
    const { signatures } = await signBatch([highS as Signer], domain, packets, VALID_UNTIL);
    const expected = await signBatch([wallet], domain, packets, VALID_UNTIL);
    expect(signatures).toEqual(expected.signatures);
  });

  it('InvalidSignatureError when a signer returns a signature of someone else', async () => {
    const liar: Pick<Signer, 'getAddress' | 'signTypedData'> = {
      getAddress: () => Promise.resolve(wallets[0]!.address), // four wallets
      signTypedData: (d, t, v) => wallets[1]!.signTypedData(d, t, v),
    };
    const e = await catchAsyncError(() => signBatch([liar as Signer], domain, packets, VALID_UNTIL)); // stand-in Signer, as above
    expect(e).toBeInstanceOf(InvalidSignatureError);
    expect(e).toMatchObject({ name: 'InvalidSignatureError', code: 'InvalidSignature', index: 0 });
  });

  describe('strict signature rules (as the contracts)', () => {
    let good: Hex;
    beforeAll(async () => {
      good = (await signBatch([wallets[0]!], domain, packets, VALID_UNTIL)).signatures[0]!; // one signer, one signature
    });
    const mutate = (sig: Hex, f: (b: Uint8Array) => Uint8Array): Hex => bytesToHex(f(toBytes(sig)));

    it.each<[string, (sig: Hex) => string, string]>([
      ['64 bytes', (s) => s.slice(0, -2), 'expected 65 bytes'],
      ['66 bytes', (s) => `${s}00`, 'expected 65 bytes'],
      ['not hex', (s) => s.replace('0x', '0y'), 'not 0x hex'],
      ['v = 0', (s) => mutate(s, (b) => ((b[64] = 0), b)), 'v must be 27 or 28'],
      ['v = 1', (s) => mutate(s, (b) => ((b[64] = 1), b)), 'v must be 27 or 28'],
      ['r = 0', (s) => mutate(s, (b) => (b.fill(0, 0, 32), b)), 'r out of range'],
      ['s = 0', (s) => mutate(s, (b) => (b.fill(0, 32, 64), b)), 's is zero'],
      [
        'high s (malleable twin)',
        (s) => {
          const sig = Signature.from(s);
          return concat([sig.r, `0x${(N - BigInt(sig.s)).toString(16).padStart(64, '0')}`, sig.v === 27 ? '0x1c' : '0x1b']);
        },
        'upper half',
      ],
    ])('InvalidSignatureError: %s', (_n, f, reason) => {
      const e = catchError(() => recoverBatchSigners(domain, packets, VALID_UNTIL, [f(good)]));
      expect(e).toBeInstanceOf(InvalidSignatureError);
      expect((e as InvalidSignatureError).reason).toContain(reason); // checked to be an InvalidSignatureError above
      expect(e).toMatchObject({ index: 0 });
    });

    it('the unmodified signature recovers', () => {
      expect(recoverBatchSigners(domain, packets, VALID_UNTIL, [good])).toEqual([wallets[0]!.address]); // four wallets
    });
  });
});

describe('MarkBatch: markBatchDigest / hashMarkBatch', () => {
  const threeMarks = vectors.markBatches.find((b) => b.name === 'three marks of two assets');
  if (threeMarks === undefined) throw new Error('vector mark batch "three marks of two assets" missing');
  const marks = threeMarks.marks as Hex[]; // vector hex
  const receiverOf = (d: { chainId: number; verifyingContract: string }) => receiverDomain({ chainId: d.chainId, verifyingContract: d.verifyingContract });

  it('vector file: mark batches of 0, 1 and 3 marks, validUntil 0 and max uint64, two that differ only by validUntil', () => {
    expect(vectors.markBatches.map((b) => b.marks.length)).toEqual(expect.arrayContaining([0, 1, 3]));
    expect(vectors.markBatches.some((b) => b.validUntil === '0')).toBe(true);
    expect(vectors.markBatches.some((b) => b.validUntil === ((1n << 64n) - 1n).toString())).toBe(true);
    const [a, b] = ['one mark', 'one mark, validUntil one second later'].map((n) => vectors.markBatches.find((x) => x.name === n));
    expect(a?.marks).toEqual(b?.marks);
    expect(BigInt(b?.validUntil ?? 0) - BigInt(a?.validUntil ?? 0)).toBe(1n);
    expect(a?.digest).not.toBe(b?.digest);
  });

  it.each(vectors.markBatches.map((b) => [b.name, b] as const))('%s: markBatchDigest = file = hand-written = ethers TypedDataEncoder', (_n, b) => {
    expect(b.domain).toMatchObject({ name: 'MarginCreditReceiver', version: '2' });
    const d = receiverOf(b.domain);
    const ms = b.marks as Hex[]; // vector hex
    const validUntil = BigInt(b.validUntil);
    expect(markBatchDigest(d, ms, validUntil)).toBe(b.digest);
    expect(manual.digest(manual.domainSeparator(b.domain), manual.hashMarkBatch(ms, validUntil))).toBe(b.digest);
    expect(ethersMarkBatchDigest(d, ms, validUntil)).toBe(b.digest);
    expect(hashMarkBatch(ms, validUntil)).toBe(manual.hashMarkBatch(ms, validUntil));
    expect(b.sources).toHaveLength(ms.length);
  });

  it('equals the hand-written EIP-712 and ethers on random marks and on byte strings of any length', () => {
    const anyBytes = fc.uint8Array({ maxLength: 100 }).map(bytesToHex);
    fc.assert(
      fc.property(fc.array(fc.oneof(markMessage.map(encodeMarkMessage), anyBytes), { maxLength: 5 }), uint(64), (ms, validUntil) => {
        const digest = markBatchDigest(domain, ms, validUntil);
        expect(digest).toBe(manual.digest(manual.domainSeparator(domain), manual.hashMarkBatch(ms, validUntil)));
        expect(digest).toBe(ethersMarkBatchDigest(domain, ms, validUntil));
      }),
      { numRuns: 50 },
    );
  });

  it('depends on the order of the marks and on validUntil; uppercase hex hashes as lowercase; number = bigint', () => {
    expect(markBatchDigest(domain, [...marks].reverse(), VALID_UNTIL)).not.toBe(markBatchDigest(domain, marks, VALID_UNTIL));
    expect(markBatchDigest(domain, marks, VALID_UNTIL + 1n)).not.toBe(markBatchDigest(domain, marks, VALID_UNTIL));
    const upper = marks.map((m): Hex => `0x${m.slice(2).toUpperCase()}`); // still hex
    expect(markBatchDigest(domain, upper, VALID_UNTIL)).toBe(markBatchDigest(domain, marks, VALID_UNTIL));
    expect(markBatchDigest(domain, marks, 1_700_003_600)).toBe(markBatchDigest(domain, marks, VALID_UNTIL));
  });

  it('InvalidHexError names the mark that is not hex', () => {
    const e = catchError(() => markBatchDigest(domain, [marks[0]!, '0xabc'], VALID_UNTIL)); // 3 marks; odd-length hex on purpose
    expect(e).toBeInstanceOf(InvalidHexError);
    expect(e).toMatchObject({ field: 'marks[1]' });
  });

  it.each<[string, bigint | number]>([
    ['2^64', 1n << 64n],
    ['-1', -1n],
    ['1.5', 1.5],
  ])('FieldOutOfRangeError for validUntil = %s', (_n, validUntil) => {
    for (const f of [() => markBatchDigest(domain, marks, validUntil), () => hashMarkBatch(marks, validUntil)]) {
      const e = catchError(f);
      expect(e).toBeInstanceOf(FieldOutOfRangeError);
      expect(e).toMatchObject({ field: 'validUntil', max: (1n << 64n) - 1n });
    }
  });
});

describe('MarkBatch: signMarkBatch / recoverMarkBatchSigners', () => {
  const three = wallets.slice(0, 3);
  const marks = vectors.markBatches.find((b) => b.name === 'three marks of two assets')!.marks as Hex[]; // generated entry, vector hex
  const sortedAddresses = three.map((w) => w.address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));

  it('3 wallets sign in any order; signatures ordered by strictly increasing signer, 65 bytes low s, and recover', async () => {
    const signatures = await signMarkBatch([three[1]!, three[2]!, three[0]!], domain, marks, VALID_UNTIL); // three has 3 entries
    expect(signatures).toHaveLength(3);
    expect(recoverMarkBatchSigners(domain, marks, VALID_UNTIL, signatures)).toEqual(sortedAddresses);
    const digest = markBatchDigest(domain, marks, VALID_UNTIL);
    signatures.forEach((sig, i) => {
      const b = toBytes(sig);
      expect(b.length).toBe(65);
      expect([27, 28]).toContain(b[64]);
      expect(BigInt(bytesToHex(b.subarray(32, 64))) <= N / 2n).toBe(true);
      expect(recoverAddress(digest, sig)).toBe(sortedAddresses[i]); // ethers' own recovery
    });
  });

  it('SignerOrderError when the signatures are out of order or duplicated; signMarkBatch refuses one signer twice', async () => {
    const signatures = await signMarkBatch(three, domain, marks, VALID_UNTIL);
    const reversed = catchError(() => recoverMarkBatchSigners(domain, marks, VALID_UNTIL, [...signatures].reverse()));
    expect(reversed).toBeInstanceOf(SignerOrderError);
    expect(reversed).toMatchObject({ index: 1, previous: sortedAddresses[2], current: sortedAddresses[1] });
    const duplicate = catchError(() => recoverMarkBatchSigners(domain, marks, VALID_UNTIL, [signatures[1]!, signatures[1]!])); // 3 signatures
    expect(duplicate).toBeInstanceOf(SignerOrderError);
    expect(duplicate).toMatchObject({ index: 1, previous: sortedAddresses[1], current: sortedAddresses[1] });
    const twice = await catchAsyncError(() => signMarkBatch([three[0]!, three[0]!], domain, marks, VALID_UNTIL)); // three has 3 entries
    expect(twice).toBeInstanceOf(SignerOrderError);
  });

  it('InvalidSignatureError (with its index) for a malformed or high-s signature, as recoverBatchSigners', async () => {
    const signatures = await signMarkBatch(three, domain, marks, VALID_UNTIL);
    const short = catchError(() => recoverMarkBatchSigners(domain, marks, VALID_UNTIL, [signatures[0]!, signatures[1]!.slice(0, -2)])); // 3 signatures
    expect(short).toBeInstanceOf(InvalidSignatureError);
    expect(short).toMatchObject({ index: 1, reason: 'expected 65 bytes, got 64' });
    const sig = Signature.from(signatures[0]);
    const highS = concat([sig.r, `0x${(N - BigInt(sig.s)).toString(16).padStart(64, '0')}`, sig.v === 27 ? '0x1c' : '0x1b']);
    const e = catchError(() => recoverMarkBatchSigners(domain, marks, VALID_UNTIL, [highS]));
    expect(e).toBeInstanceOf(InvalidSignatureError);
    expect((e as InvalidSignatureError).reason).toContain('upper half'); // checked to be an InvalidSignatureError above
  });

  it('signMarkBatch rejects an out-of-range validUntil and a mark that is not hex before signing', async () => {
    const range = await catchAsyncError(() => signMarkBatch([wallets[0]!], domain, marks, 1n << 64n)); // four wallets
    expect(range).toBeInstanceOf(FieldOutOfRangeError);
    const hex = await catchAsyncError(() => signMarkBatch([wallets[0]!], domain, ['0xzz'], VALID_UNTIL)); // deliberately not hex
    expect(hex).toBeInstanceOf(InvalidHexError);
    expect(hex).toMatchObject({ field: 'marks[0]' });
  });

  it('a MarkBatch signature with another validUntil, chainId, contract or marks recovers a different signer', async () => {
    const signer = wallets[0]!; // four wallets
    const [sig] = await signMarkBatch([signer], domain, marks, VALID_UNTIL);
    expect(recoverMarkBatchSigners(domain, marks, VALID_UNTIL, [sig!])).toEqual([signer.address]); // one signature
    const others: [Parameters<typeof recoverMarkBatchSigners>[0], Hex[], bigint][] = [
      [domain, marks, VALID_UNTIL + 1n],
      [receiverDomain({ chainId: 42161, verifyingContract: RECEIVER }), marks, VALID_UNTIL],
      [receiverDomain({ chainId: 31337, verifyingContract: VAULT }), marks, VALID_UNTIL],
      [domain, marks.slice(0, 2), VALID_UNTIL],
      [domain, [...marks].reverse(), VALID_UNTIL],
    ];
    for (const [d, ms, v] of others) expect(recoverMarkBatchSigners(d, ms, v, [sig!])).not.toEqual([signer.address]); // one signature
  });

  it('a PacketBatch signature never verifies as a MarkBatch, nor the reverse', async () => {
    const signer = wallets[0]!; // four wallets
    const { signatures: [packetSig] } = await signBatch([signer], domain, packets, VALID_UNTIL);
    // Mark lists built from the very bytes the PacketBatch signed: its packets, guids, payloadHashes, struct hashes.
    const lookalikes: Hex[][] = [
      packets.map((p) => concat([p.guid, p.payloadHash]) as Hex), // concat of 0x hex is 0x hex
      packets.map((p) => p.guid),
      packets.map((p) => hashPacket(p)),
      [hashPacketBatch(packets, VALID_UNTIL)],
      marks,
      [],
    ];
    for (const ms of lookalikes) {
      expect(markBatchDigest(domain, ms, VALID_UNTIL)).not.toBe(batchDigest(domain, packets, VALID_UNTIL));
      expect(recoverMarkBatchSigners(domain, ms, VALID_UNTIL, [packetSig!])).not.toEqual([signer.address]); // one signature
    }
    const [markSig] = await signMarkBatch([signer], domain, marks, VALID_UNTIL);
    expect(recoverBatchSigners(domain, packets, VALID_UNTIL, [markSig!])).not.toEqual([signer.address]); // one signature
    expect(markSig).not.toBe(packetSig);
  });

  it('never collides with a PacketBatch digest on random inputs', () => {
    const packet = fc.record({ guid: anyBytes32, payloadHash: anyBytes32 });
    fc.assert(
      fc.property(fc.array(packet, { maxLength: 3 }), fc.array(fc.uint8Array({ maxLength: 80 }).map(bytesToHex), { maxLength: 3 }), uint(64), (ps, ms, v) => {
        expect(markBatchDigest(domain, ms, v)).not.toBe(batchDigest(domain, ps, v));
      }),
      { numRuns: 50 },
    );
  });
});
