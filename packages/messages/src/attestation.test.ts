import { AbiCoder, type Signer, Signature, Wallet, concat, id, keccak256, toUtf8Bytes } from 'ethers';
import fc from 'fast-check';
import { anyBytes32 } from '../test-utils/arbitraries';
import { catchAsyncError, catchError } from '../test-utils/catchError';
import { loadVectors } from '../test-utils/vectors';
import {
  CREDIT_BATCH_TYPEHASH,
  CREDIT_TYPEHASH,
  type Credit,
  type CreditDomain,
  batchDigest,
  creditDigest,
  creditDomain,
  domainSeparator,
  hashCredit,
  hashCreditBatch,
  recoverBatchSigner,
  recoverBatchSigners,
  signBatch,
} from './attestation';
import { InvalidAddressError, InvalidSignatureError, SignerOrderError } from './errors';
import { bytesToHex, type Hex, toBytes } from './hex';

const vectors = loadVectors();
const abi = AbiCoder.defaultAbiCoder();
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The spec's hashing written out by hand (docs/credit-message.md), independent of TypedDataEncoder. */
const manual = {
  domainSeparator: (d: { chainId: number | bigint; verifyingContract: string }): string =>
    keccak256(
      abi.encode(
        ['bytes32', 'bytes32', 'bytes32', 'uint256', 'address'],
        [
          id('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'),
          id('MarginCreditReceiver'),
          id('1'),
          d.chainId,
          d.verifyingContract,
        ],
      ),
    ),
  hashCredit: (c: Credit): string =>
    keccak256(abi.encode(['bytes32', 'bytes32', 'bytes32'], [id('Credit(bytes32 guid,bytes32 payloadHash)'), c.guid, c.payloadHash])),
  hashBatch: (cs: readonly Credit[]): string =>
    keccak256(
      abi.encode(
        ['bytes32', 'bytes32'],
        [id('CreditBatch(Credit[] credits)Credit(bytes32 guid,bytes32 payloadHash)'), keccak256(concat(['0x', ...cs.map(manual.hashCredit)]))],
      ),
    ),
  digest: (domainSep: string, structHash: string): string => keccak256(concat(['0x1901', domainSep, structHash])),
};

const domain = creditDomain({ chainId: 31337, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
const wallets = [1, 2, 3, 4].map((i) => new Wallet(keccak256(toUtf8Bytes(`ccr attester ${i}`))));
const credits: Credit[] = vectors.batches[1]!.credits.map((c) => ({ guid: c.guid as Hex, payloadHash: c.payloadHash as Hex })); // "three credits", vector hex

function domainFromJson(d: { chainId: number; verifyingContract: string }): CreditDomain {
  return creditDomain({ chainId: d.chainId, verifyingContract: d.verifyingContract });
}

describe('typehashes and domain', () => {
  it('typehashes are the spec strings', () => {
    expect(CREDIT_TYPEHASH).toBe(keccak256(toUtf8Bytes('Credit(bytes32 guid,bytes32 payloadHash)')));
    expect(CREDIT_BATCH_TYPEHASH).toBe(keccak256(toUtf8Bytes('CreditBatch(Credit[] credits)Credit(bytes32 guid,bytes32 payloadHash)')));
  });

  it('creditDomain checksums the contract and uses the fixed name and version', () => {
    expect(creditDomain({ chainId: 1n, verifyingContract: '0x5fbdb2315678afecb367f032d93f642f64180aa3' })).toEqual({
      name: 'MarginCreditReceiver', version: '1', chainId: 1n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    });
    expect(domainSeparator(domain)).toBe(manual.domainSeparator(domain));
  });

  it('creditDomain refuses a bad contract address or chain id', () => {
    expect(catchError(() => creditDomain({ chainId: 1, verifyingContract: '0x1234' }))).toBeInstanceOf(InvalidAddressError);
    expect(catchError(() => creditDomain({ chainId: -1, verifyingContract: domain.verifyingContract }))).toMatchObject({
      name: 'FieldOutOfRangeError', field: 'chainId',
    });
  });
});

describe('vector file digests', () => {
  it.each(vectors.creditMessages.map((v) => [v.name, v] as const))('%s: creditDigest', (_n, v) => {
    const d = domainFromJson(v.domain);
    const credit = { guid: v.guid as Hex, payloadHash: v.payloadHash as Hex }; // vector hex
    expect(v.domain).toMatchObject({ name: 'MarginCreditReceiver', version: '1' });
    expect(creditDigest(d, credit)).toBe(v.creditDigest);
    expect(manual.digest(manual.domainSeparator(v.domain), manual.hashCredit(credit))).toBe(v.creditDigest);
  });

  it('has a one-credit and a three-credit batch', () => {
    expect(vectors.batches.map((b) => b.credits.length)).toEqual(expect.arrayContaining([1, 3]));
  });

  it.each(vectors.batches.map((b) => [b.name, b] as const))('%s: batchDigest', (_n, b) => {
    const cs = b.credits.map((c) => ({ guid: c.guid as Hex, payloadHash: c.payloadHash as Hex })); // vector hex
    expect(batchDigest(domainFromJson(b.domain), cs)).toBe(b.digest);
    expect(manual.digest(manual.domainSeparator(b.domain), manual.hashBatch(cs))).toBe(b.digest);
  });
});

describe('hashing properties', () => {
  const credit = fc.record({ guid: anyBytes32, payloadHash: anyBytes32 });

  it('hashCredit / hashCreditBatch / batchDigest equal the hand-written EIP-712', () => {
    fc.assert(
      fc.property(fc.array(credit, { maxLength: 6 }), (cs) => {
        expect(hashCreditBatch(cs)).toBe(manual.hashBatch(cs));
        for (const c of cs) expect(hashCredit(c)).toBe(manual.hashCredit(c));
        expect(batchDigest(domain, cs)).toBe(manual.digest(manual.domainSeparator(domain), manual.hashBatch(cs)));
      }),
      { numRuns: 50 },
    );
  });

  it('the batch digest depends on credit order', () => {
    const reversed = [...credits].reverse();
    expect(batchDigest(domain, reversed)).not.toBe(batchDigest(domain, credits));
  });

  it('refuses a credit whose guid is not 32 bytes', () => {
    const bad = [{ guid: '0x1234' as Hex, payloadHash: credits[0]!.payloadHash }]; // credits has 3 entries
    expect(catchError(() => batchDigest(domain, bad))).toMatchObject({ name: 'InvalidLengthError', subject: 'credits[0].guid' });
  });
});

describe('signBatch / recoverBatchSigners', () => {
  const three = wallets.slice(0, 3);

  it('signs with 3 wallets; signatures come ordered by strictly increasing signer address and recover', async () => {
    const shuffled = [three[2]!, three[0]!, three[1]!]; // three has 3 entries
    const { digest, signers, signatures } = await signBatch(shuffled, domain, credits);
    expect(digest).toBe(batchDigest(domain, credits));
    const sorted = three.map((w) => w.address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect(signers).toEqual(sorted);
    for (let i = 1; i < signers.length; i++) expect(BigInt(signers[i]!) > BigInt(signers[i - 1]!)).toBe(true); // i in range
    expect(recoverBatchSigners({ domain, credits, signatures })).toEqual(signers);
    for (const sig of signatures) {
      const b = toBytes(sig);
      expect(b.length).toBe(65);
      expect([27, 28]).toContain(b[64]);
      expect(BigInt(bytesToHex(b.subarray(32, 64))) <= N / 2n).toBe(true);
    }
  });

  it('SignerOrderError when the signatures are out of order or duplicated', async () => {
    const { signers, signatures } = await signBatch(three, domain, credits);
    const reversed = catchError(() => recoverBatchSigners({ domain, credits, signatures: [...signatures].reverse() }));
    expect(reversed).toBeInstanceOf(SignerOrderError);
    expect(reversed).toMatchObject({ name: 'SignerOrderError', code: 'SignerOrder', index: 1 });
    const duplicate = catchError(() => recoverBatchSigners({ domain, credits, signatures: [signatures[0]!, signatures[0]!] })); // 3 signatures
    expect(duplicate).toMatchObject({ name: 'SignerOrderError', index: 1, previous: signers[0], current: signers[0] });
  });

  it('signBatch refuses the same signer twice', async () => {
    const e = await catchAsyncError(() => signBatch([three[0]!, three[1]!, three[0]!], domain, credits)); // three has 3 entries
    expect(e).toBeInstanceOf(SignerOrderError);
  });

  it('a signature for another chainId or verifyingContract recovers a different signer', async () => {
    const signer = wallets[0]!; // four wallets
    const otherChain = creditDomain({ chainId: 42161, verifyingContract: domain.verifyingContract });
    const otherContract = creditDomain({ chainId: domain.chainId, verifyingContract: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' });
    for (const other of [otherChain, otherContract]) {
      const { signatures } = await signBatch([signer], other, credits);
      const sig = signatures[0]!; // one signer, one signature
      expect(recoverBatchSigner({ domain: other, credits, signature: sig })).toBe(signer.address);
      expect(recoverBatchSigner({ domain, credits, signature: sig })).not.toBe(signer.address);
    }
  });

  it('a signature over other credits recovers a different signer', async () => {
    const { signatures } = await signBatch([wallets[0]!], domain, credits.slice(0, 2)); // four wallets
    expect(recoverBatchSigner({ domain, credits, signature: signatures[0]! })).not.toBe(wallets[0]!.address); // one signature
  });

  it('brings a high-s signature from a remote signer to low-s form', async () => {
    const wallet = wallets[3]!; // four wallets
    const highS: Pick<Signer, 'getAddress' | 'signTypedData'> = {
      getAddress: async () => wallet.address,
      signTypedData: async (d, t, v) => {
        const sig = Signature.from(await wallet.signTypedData(d, t, v));
        const s = N - BigInt(sig.s);
        return concat([sig.r, `0x${s.toString(16).padStart(64, '0')}`, sig.v === 27 ? '0x1c' : '0x1b']);
      },
    };
    // A minimal stand-in for a KMS-backed Signer: signBatch only calls these two methods.
    const { signatures } = await signBatch([highS as Signer], domain, credits);
    const expected = await signBatch([wallet], domain, credits);
    expect(signatures).toEqual(expected.signatures);
  });

  it('InvalidSignatureError when a signer returns a signature of someone else', async () => {
    const liar: Pick<Signer, 'getAddress' | 'signTypedData'> = {
      getAddress: async () => wallets[0]!.address, // four wallets
      signTypedData: (d, t, v) => wallets[1]!.signTypedData(d, t, v),
    };
    const e = await catchAsyncError(() => signBatch([liar as Signer], domain, credits)); // stand-in Signer, as above
    expect(e).toBeInstanceOf(InvalidSignatureError);
    expect(e).toMatchObject({ name: 'InvalidSignatureError', code: 'InvalidSignature', index: 0 });
  });

  describe('strict signature rules (as the receiver)', () => {
    let good: Hex;
    beforeAll(async () => {
      good = (await signBatch([wallets[0]!], domain, credits)).signatures[0]!; // one signer, one signature
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
      const e = catchError(() => recoverBatchSigners({ domain, credits, signatures: [f(good)] }));
      expect(e).toBeInstanceOf(InvalidSignatureError);
      expect((e as InvalidSignatureError).reason).toContain(reason); // checked to be an InvalidSignatureError above
      expect(e).toMatchObject({ index: 0 });
    });

    it('the unmodified signature recovers', () => {
      expect(recoverBatchSigners({ domain, credits, signatures: [good] })).toEqual([wallets[0]!.address]); // four wallets
    });
  });
});
