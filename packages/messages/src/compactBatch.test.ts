import { Wallet, concat, keccak256, toUtf8Bytes } from 'ethers';
import fc from 'fast-check';
import { catchError } from '../test-utils/catchError';
import { loadVectors } from '../test-utils/vectors';
import { receiverDomain, recoverBatchSigners, recoverMarkBatchSigners, signBatch, signMarkBatch } from './attestation';
import { PACKED_SIGNATURE_LENGTH, concatMessages, packSignatures } from './compactBatch';
import { InvalidHexError, InvalidSignatureError } from './errors';
import { bytesToHex, type Hex } from './hex';
import { MARK_MESSAGE_LENGTH } from './markMessage';

const vectors = loadVectors();
const domain = receiverDomain({ chainId: 31337, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
const wallets = [1, 2, 3].map((i) => new Wallet(keccak256(toUtf8Bytes(`ccr attester ${i}`))));
const VALID_UNTIL = 1_700_003_600n;

/** Splits a blob into `size`-byte pieces, as the contract does. */
const split = (blob: Hex, size: number): Hex[] =>
  Array.from({ length: (blob.length - 2) / (2 * size) }, (_, i): Hex => `0x${blob.slice(2 + 2 * size * i, 2 + 2 * size * (i + 1))}`); // hex slices

describe('packSignatures', () => {
  it('is the concatenation of the signatures in order, and splits back every 65 bytes into what recovers', async () => {
    const marks = vectors.markBatches.find((b) => b.name === 'three marks of two assets')!.marks as Hex[]; // generated entry, vector hex
    const signatures = await signMarkBatch(wallets, domain, marks, VALID_UNTIL);
    const packed = packSignatures(signatures);
    expect(packed).toBe(concat(signatures));
    expect(packed.length).toBe(2 + 2 * PACKED_SIGNATURE_LENGTH * 3);
    expect(split(packed, PACKED_SIGNATURE_LENGTH)).toEqual(signatures);
    expect(recoverMarkBatchSigners(domain, marks, VALID_UNTIL, split(packed, PACKED_SIGNATURE_LENGTH))).toHaveLength(3);
    const ps = vectors.batches[0]!.packets as { guid: Hex; payloadHash: Hex }[]; // ≥ 1 batch, vector hex
    const { signatures: packetSigs, signers } = await signBatch(wallets, domain, ps, VALID_UNTIL);
    expect(recoverBatchSigners(domain, ps, VALID_UNTIL, split(packSignatures(packetSigs), 65))).toEqual(signers);
  });

  it('no signatures → 0x; uppercase hex comes back lowercase', () => {
    expect(packSignatures([])).toBe('0x');
    const sig: Hex = `0x${'AB'.repeat(65)}`; // 65 bytes of hex
    expect(packSignatures([sig, sig])).toBe(`0x${'ab'.repeat(130)}`);
  });

  it.each<[string, string, string]>([
    ['64 bytes', `0x${'11'.repeat(64)}`, 'expected 65 bytes, got 64'],
    ['66 bytes', `0x${'11'.repeat(66)}`, 'expected 65 bytes, got 66'],
    ['empty', '0x', 'expected 65 bytes, got 0'],
    ['not hex', `0x${'zz'.repeat(65)}`, 'not 0x hex'],
    ['odd length', `0x${'1'.repeat(129)}`, 'not 0x hex'],
  ])('InvalidSignatureError with its index for a signature of %s', (_n, bad, reason) => {
    const good: Hex = `0x${'11'.repeat(65)}`; // 65 bytes
    const e = catchError(() => packSignatures([good, bad as Hex])); // deliberately wrong
    expect(e).toBeInstanceOf(InvalidSignatureError);
    expect(e).toMatchObject({ index: 1, reason });
  });
});

describe('concatMessages', () => {
  it('marks of the vector file: concatenated in order, split back every 78 bytes', () => {
    const marks = vectors.markMessages.map((m) => m.message as Hex); // vector hex
    const blob = concatMessages(marks);
    expect(blob).toBe(concat(marks));
    expect(split(blob, MARK_MESSAGE_LENGTH)).toEqual(marks);
  });

  it('packets of different lengths: the plain concatenation', () => {
    const packets = [vectors.creditMessages[0]!.packet, vectors.voidMessages[0]!.packet, vectors.releaseResultMessages[0]!.packet] as Hex[]; // vector hex
    expect(concatMessages(packets)).toBe(concat(packets));
  });

  it('equals ethers concat on any byte strings; no messages → 0x; uppercase → lowercase', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 120 }).map(bytesToHex), { maxLength: 6 }), (ms) => {
        expect(concatMessages(ms)).toBe(concat(['0x', ...ms]));
      }),
      { numRuns: 100 },
    );
    expect(concatMessages([])).toBe('0x');
    expect(concatMessages(['0xAB', '0x', '0xcD'])).toBe('0xabcd');
  });

  it.each(['0xabc', 'abcd', '0xgg'])('InvalidHexError naming messages[1] for %j', (bad) => {
    const e = catchError(() => concatMessages(['0x01', bad as Hex])); // deliberately not hex
    expect(e).toBeInstanceOf(InvalidHexError);
    expect(e).toMatchObject({ field: 'messages[1]' });
  });
});
