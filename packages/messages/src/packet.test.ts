import { PacketV1Codec } from '@layerzerolabs/lz-v2-utilities';
import { concat, encodeBase58, getAddress, keccak256, solidityPacked, solidityPackedKeccak256 } from 'ethers';
import fc from 'fast-check';
import {
  bytes32 as arbBytes32,
  creditMessage as arbCreditMessage,
  releaseResultMessage as arbReleaseResult,
  uint,
  uintNumber,
  voidMessage as arbVoid,
  withdrawalMessage as arbWithdrawal,
} from '../test-utils/arbitraries';
import { catchError } from '../test-utils/catchError';
import { loadVectors } from '../test-utils/vectors';
import { type CreditMessage, encodeCreditMessage } from './creditMessage';
import { creditMessageFromJson } from './creditMessageJson';
import {
  FieldOutOfRangeError,
  GuidMismatchError,
  HeaderMismatchError,
  InvalidLengthError,
  MessagesError,
  UnsupportedMessageTypeError,
  UnsupportedVersionError,
} from './errors';
import { bytesToHex, type Hex, toBytes } from './hex';
import {
  buildCreditPacket,
  buildCreditPacketWithCodec,
  buildPacket,
  buildReleaseResultPacket,
  buildVoidPacket,
  buildWithdrawalPacket,
  computeGuid,
  decodeCreditPacket,
  decodeMessagePacket,
  decodePacket,
  decodeReleaseResultPacket,
  decodeVoidPacket,
  decodeWithdrawalPacket,
  encodePacket,
  parsePacket,
  serializePacket,
} from './packet';
import { encodeReleaseResultMessage, releaseResultMessageFromJson } from './releaseResultMessage';
import { encodeVoidMessage, voidMessageFromJson } from './voidMessage';
import { encodeWithdrawalMessage, withdrawalMessageFromJson } from './withdrawalMessage';

const vectors = loadVectors();
const pad32 = (digits: string): Hex => `0x${digits.padStart(64, '0')}`;

/** Independent implementation of the envelope with ethers only (abi.encodePacked), to cross-check lz-v2-utilities. */
function ethersPacket(p: { nonce: bigint; srcEid: number; sender: Hex; dstEid: number; receiver: Hex; guid: Hex; message: Hex }): string {
  return solidityPacked(
    ['uint8', 'uint64', 'uint32', 'bytes32', 'uint32', 'bytes32', 'bytes32', 'bytes'],
    [1, p.nonce, p.srcEid, p.sender, p.dstEid, p.receiver, p.guid, p.message],
  );
}
function ethersGuid(p: { nonce: bigint; srcEid: number; sender: Hex; dstEid: number; receiver: Hex }): string {
  return solidityPackedKeccak256(['uint64', 'uint32', 'bytes32', 'uint32', 'bytes32'], [p.nonce, p.srcEid, p.sender, p.dstEid, p.receiver]);
}

describe('LayerZero public vectors (PROTOCOL-NOTES.md), hard-coded', () => {
  const LZ_PACKET =
    '0x0100000000000000010000000200000000000000000000000000000000000000000000000000000000000001230000000300000000000000000000000000000000000000000000000000000000000004560000000000000000000000000000000000000000000000000000000000000789aabbcc';
  const LZ_PAYLOAD_HASH = '0x8fb796ec8c7f6320786408c4f81501744ebb3ce9887ab6e6b80d30dff0b10a88';
  const LZ_GUID = '0x69302851d47b057d30fc0938b3710a510ea4fd8cdca3f1ddb860bb3269e25e25';
  const lzInput = { nonce: 1n, srcEid: 2, sender: pad32('123'), dstEid: 3, receiver: pad32('456'), guid: pad32('789'), message: '0xaabbcc' as Hex }; // a hex literal

  it('serializes the PacketV1 vector', () => {
    expect(serializePacket(lzInput)).toBe(LZ_PACKET);
    expect(ethersPacket(lzInput)).toBe(LZ_PACKET);
  });

  it('parses the PacketV1 vector (guid taken as is) and hashes its payload', () => {
    const p = parsePacket(LZ_PACKET);
    expect(p).toMatchObject({ ...lzInput, version: 1, payloadHash: LZ_PAYLOAD_HASH });
    expect(p.header).toBe(LZ_PACKET.slice(0, 2 + 2 * 81));
  });

  it('decodePacket rejects it: its guid is not computed from its header', () => {
    expect(() => decodePacket(LZ_PACKET)).toThrow(GuidMismatchError);
  });

  it('computes the GUID vector (20-byte addresses 0x11…11 / 0x22…22, left-padded)', () => {
    const input = { nonce: 42n, srcEid: 30101, sender: `0x${'11'.repeat(20)}`, dstEid: 30110, receiver: `0x${'22'.repeat(20)}` };
    expect(computeGuid(input)).toBe(LZ_GUID);
    expect(computeGuid({ ...input, sender: pad32('11'.repeat(20)), receiver: pad32('22'.repeat(20)) })).toBe(LZ_GUID);
  });

  it('the vector file holds the same values', () => {
    const [packet] = vectors.lzPacketV1;
    const [guid] = vectors.lzGuid;
    expect(packet).toMatchObject({ packet: LZ_PACKET, payloadHash: LZ_PAYLOAD_HASH, nonce: '1', srcEid: 2, dstEid: 3, message: '0xaabbcc' });
    expect(guid).toMatchObject({ guid: LZ_GUID, nonce: '42', srcEid: 30101, dstEid: 30110 });
  });
});

describe('vector file: envelope replay', () => {
  it.each(vectors.lzPacketV1.map((v) => [v.packet.slice(0, 20), v] as const))('lzPacketV1 %s', (_n, v) => {
    const input = { ...v, nonce: BigInt(v.nonce), guid: v.guid as Hex, message: v.message as Hex }; // vector hex
    expect(serializePacket(input)).toBe(v.packet);
    expect(parsePacket(v.packet as Hex)).toMatchObject({ guid: v.guid, message: v.message, payloadHash: v.payloadHash }); // vector hex
  });

  it.each(vectors.lzGuid.map((v) => [v.guid, v] as const))('lzGuid %s', (_n, v) => {
    expect(computeGuid({ ...v, nonce: BigInt(v.nonce) })).toBe(v.guid);
  });

  it.each(vectors.creditMessages.map((v) => [v.name, v] as const))('%s: packet, guid, payloadHash both ways', (_n, v) => {
    const built = buildCreditPacket(creditMessageFromJson(v.fields), { dstEid: v.dstEid, receiver: v.receiver });
    expect(built).toEqual({ packet: v.packet, guid: v.guid, payloadHash: v.payloadHash, message: v.message });
    const decoded = decodeCreditPacket(v.packet as Hex); // vector hex
    expect(decoded).toMatchObject({
      nonce: BigInt(v.fields.depositNonce),
      srcEid: v.fields.srcEid,
      sender: v.fields.srcVault,
      dstEid: v.dstEid,
      receiver: v.receiver,
      guid: v.guid,
      message: v.message,
      payloadHash: v.payloadHash,
    });
    expect(decoded.credit).toEqual(creditMessageFromJson(v.fields));
    // Independent: ethers abi.encodePacked and keccak256. (The `as Hex` are of vector hex.)
    const header = { nonce: BigInt(v.fields.depositNonce), srcEid: v.fields.srcEid, sender: v.fields.srcVault as Hex, dstEid: v.dstEid, receiver: v.receiver as Hex };
    expect(ethersGuid(header)).toBe(v.guid);
    expect(ethersPacket({ ...header, guid: v.guid as Hex, message: v.message as Hex })).toBe(v.packet); // vector hex
    expect(keccak256(concat([v.guid, v.message]))).toBe(v.payloadHash);
  });
});

describe('encodePacket / decodePacket', () => {
  const base = { nonce: 9n, srcEid: 40101, sender: pad32('aa'), dstEid: 40200, receiver: pad32('bb'), message: '0x0102' as Hex }; // a hex literal

  it('accepts a 20-byte EVM receiver and pads it', () => {
    const a = encodePacket({ ...base, receiver: `0x${'00'.repeat(19)}bb` });
    expect(a).toEqual(encodePacket(base));
  });

  it('GuidMismatchError when any header byte changes after the guid was computed', () => {
    const { packet, guid } = encodePacket(base);
    const bytes = toBytes(packet);
    bytes[12] = (bytes[12] ?? 0) ^ 1; // last byte of srcEid
    const e = catchError(() => decodePacket(bytes));
    expect(e).toBeInstanceOf(GuidMismatchError);
    expect(e).toMatchObject({ name: 'GuidMismatchError', code: 'GuidMismatch', actual: guid });
    expect((e as GuidMismatchError).expected).not.toBe(guid); // checked to be a GuidMismatchError above
  });

  it('InvalidLengthError below 113 bytes, with comparison min', () => {
    const { packet } = encodePacket({ ...base, message: '0x' });
    expect(decodePacket(packet).message).toBe('0x');
    const e = catchError(() => decodePacket(packet.slice(0, -2) as Hex)); // still hex, one byte shorter
    expect(e).toBeInstanceOf(InvalidLengthError);
    expect(e).toMatchObject({ subject: 'packet', expected: 113, actual: 112, comparison: 'min' });
  });

  it('UnsupportedVersionError for a header version other than 1', () => {
    const { packet } = encodePacket(base);
    const e = catchError(() => decodePacket(`0x02${packet.slice(4)}`));
    expect(e).toBeInstanceOf(UnsupportedVersionError);
    expect(e).toMatchObject({ subject: 'packet', version: 2 });
  });

  it('FieldOutOfRangeError for nonce and eids', () => {
    expect(catchError(() => encodePacket({ ...base, nonce: 1n << 64n }))).toMatchObject({ name: 'FieldOutOfRangeError', field: 'nonce' });
    expect(catchError(() => encodePacket({ ...base, srcEid: 2 ** 32 }))).toMatchObject({ name: 'FieldOutOfRangeError', field: 'srcEid' });
    expect(catchError(() => computeGuid({ ...base, dstEid: -1 }))).toBeInstanceOf(FieldOutOfRangeError);
  });

  it('InvalidAddressError for a sender that is not an address', () => {
    expect(catchError(() => encodePacket({ ...base, sender: '0x1234' }))).toMatchObject({ name: 'InvalidAddressError' });
  });
});

describe('decodeCreditPacket header checks', () => {
  const msg = creditMessageFromJson(vectors.creditMessages[0]!.fields); // the file has ≥ 6 entries (checked in creditMessage.test.ts)
  const message = encodeCreditMessage(msg);
  const path = { nonce: msg.depositNonce, srcEid: msg.srcEid, sender: msg.srcVault, dstEid: 40200, receiver: pad32('bb'), message };

  it.each([
    ['nonce', { nonce: msg.depositNonce + 1n }],
    ['srcEid', { srcEid: msg.srcEid + 1 }],
    ['sender', { sender: pad32('dead') }],
  ] as const)('HeaderMismatchError when the header %s differs from the message', (field, change) => {
    const { packet } = encodePacket({ ...path, ...change });
    const e = catchError(() => decodeCreditPacket(packet));
    expect(e).toBeInstanceOf(HeaderMismatchError);
    expect(e).toMatchObject({ name: 'HeaderMismatchError', code: 'HeaderMismatch', field });
  });
});

describe('properties', () => {
  const header = fc.record({ nonce: uint(64), srcEid: uintNumber(32), sender: arbBytes32, dstEid: uintNumber(32), receiver: arbBytes32 });

  it('encode → decode is the identity, and matches ethers and PacketV1Codec', () => {
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 300 }).map(bytesToHex), (h, message) => {
        const { packet, guid, payloadHash } = encodePacket({ ...h, message });
        expect(decodePacket(packet)).toEqual({
          version: 1, ...h, guid, message, payloadHash, header: packet.slice(0, 2 + 2 * 81),
        });
        expect(guid).toBe(ethersGuid(h));
        expect(packet).toBe(ethersPacket({ ...h, guid, message }));
        expect(PacketV1Codec.from(packet).payloadHash()).toBe(payloadHash);
      }),
      { numRuns: 200 },
    );
  });

  it('credit packet: build → decodeCreditPacket is the identity', () => {
    fc.assert(
      fc.property(arbCreditMessage, uintNumber(32), arbBytes32, (msg, dstEid, receiver) => {
        const built = buildCreditPacket(msg, { dstEid, receiver });
        const decoded = decodeCreditPacket(built.packet);
        expect(decoded.credit).toEqual(msg);
        expect(decoded).toMatchObject({ guid: built.guid, payloadHash: built.payloadHash, dstEid, receiver, nonce: msg.depositNonce });
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes never crash decodePacket / decodeCreditPacket with anything but a MessagesError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (b, asHex) => {
        if (b.length > 0) b[0] = 1;
        for (const decode of [decodePacket, decodeCreditPacket, parsePacket]) {
          try {
            decode(asHex ? bytesToHex(b) : b);
          } catch (e) {
            expect(e).toBeInstanceOf(MessagesError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('buildCreditPacket fast path = the lz-v2-utilities path', () => {
  /** encodeCreditMessage + encodePacket (lz-v2-utilities), written out here rather than trusted from packet.ts. */
  const viaCodec = (msg: CreditMessage, p: { dstEid: number; receiver: string }) => {
    const message = encodeCreditMessage(msg);
    return { ...encodePacket({ nonce: msg.depositNonce, srcEid: msg.srcEid, sender: msg.srcVault, ...p, message }), message };
  };
  /** Every receiver form addressToBytes32 takes: bytes32 (lower or upper case), EVM address (checksummed or lower), base58. */
  const receiver = fc.oneof(
    arbBytes32,
    arbBytes32.map((h) => `0x${h.slice(2).toUpperCase()}`),
    fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b))),
    fc.uint8Array({ minLength: 20, maxLength: 20 }).map(bytesToHex),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => encodeBase58(b)),
  );
  /** The fields of a credit message, mixed case where hex (encodeCreditMessage accepts either). */
  const message = fc
    .tuple(arbCreditMessage, fc.boolean())
    .map(([m, upper]) => (upper ? { ...m, account: `0x${m.account.slice(2).toUpperCase()}` satisfies Hex } : m)); // still 0x + 64 hex digits

  it('same packet, guid, payloadHash and message for random valid messages and receivers', () => {
    fc.assert(
      fc.property(message, uintNumber(32), receiver, (msg, dstEid, r) => {
        const fast = buildCreditPacket(msg, { dstEid, receiver: r });
        expect(fast).toEqual(viaCodec(msg, { dstEid, receiver: r }));
        expect(fast).toEqual(buildCreditPacketWithCodec(msg, { dstEid, receiver: r }));
      }),
      { numRuns: 300 },
    );
  });

  it('same for the vector file, with each receiver as a bytes32 and as a checksummed address', () => {
    for (const v of vectors.creditMessages) {
      const msg = creditMessageFromJson(v.fields);
      const receivers = [v.receiver, v.receiver.toUpperCase().replace('0X', '0x')];
      if (v.receiver.startsWith(`0x${'00'.repeat(12)}`)) receivers.push(getAddress(`0x${v.receiver.slice(26)}`));
      for (const r of receivers) {
        expect(buildCreditPacket(msg, { dstEid: v.dstEid, receiver: r })).toEqual({ packet: v.packet, guid: v.guid, payloadHash: v.payloadHash, message: v.message });
      }
    }
  });

  /** One field of a valid message replaced by a value the encoder must refuse. */
  const corruption: fc.Arbitrary<[string, unknown]> = fc.oneof(
    fc.constantFrom<[string, unknown]>(
      ['version', 2],
      ['version', 1n],
      ['messageType', 2],
      ['messageType', 3],
      ['srcEid', 2 ** 32],
      ['srcEid', -1],
      ['srcEid', 1.5],
      ['srcEid', 7n],
      ['assetDecimals', 256],
      ['depositNonce', 1n << 64n],
      ['depositNonce', 5],
      ['rawAmount', 1n << 128n],
      ['haircutValue', -1n],
      ['price', 1n << 128n],
      ['priceTimestamp', 1n << 64n],
      ['haircut', 1n << 64n],
      ['sizeWeight', 1n << 64n],
      ['account', '0x1234'],
      ['srcVault', `0x${'zz'.repeat(32)}`],
      ['asset', `0x${'00'.repeat(33)}`],
      ['asset', 'ab'.repeat(33)],
    ),
  );

  it('throws the same typed error as the lz-v2-utilities path for any invalid field, dstEid or receiver', () => {
    const invalidPath = fc.constantFrom<[number, string]>([2 ** 32, `0x${'00'.repeat(32)}`], [-1, 'not an address'], [0, '0x1234'], [0, `0x${'aB'.repeat(20)}`]);
    fc.assert(
      fc.property(arbCreditMessage, fc.option(corruption, { nil: undefined }), invalidPath, uintNumber(32), arbBytes32, fc.boolean(), (m, bad, path, dstEid, r, badPath) => {
        fc.pre(bad !== undefined || badPath);
        // A CreditMessage with one field replaced by a wrong value or type, as untyped input would give.
        const msg: CreditMessage = bad === undefined ? m : { ...m, [bad[0]]: bad[1] };
        const p = badPath ? { dstEid: path[0], receiver: path[1] } : { dstEid, receiver: r };
        const fast = catchError(() => buildCreditPacket(msg, p));
        const ref = catchError(() => viaCodec(msg, p));
        expect(fast).toBeInstanceOf(MessagesError);
        expect(fast).toBeInstanceOf((ref as object).constructor); // ref is an Error, caught above
        expect({ ...(fast as object), message: (fast as Error).message }).toEqual({ ...(ref as object), message: (ref as Error).message }); // both Errors
      }),
      { numRuns: 300 },
    );
  });

  it('takes bytes32 fields given as bytes (the reference path accepts them) and gives the same packet', () => {
    const [v] = vectors.creditMessages;
    const msg = creditMessageFromJson(v!.fields); // the file has ≥ 6 entries (checked in creditMessage.test.ts)
    // Uint8Array where the type says Hex: what an untyped caller may pass; toBytes accepts both at run time.
    const asBytes = { ...msg, srcVault: toBytes(msg.srcVault) as unknown as Hex };
    expect(buildCreditPacket(asBytes, { dstEid: v!.dstEid, receiver: v!.receiver })).toMatchObject({ packet: v!.packet, guid: v!.guid });
  });

  it('does not reuse a previous receiver: a valid address then an invalid one, then another valid one', () => {
    const [v] = vectors.creditMessages;
    const msg = creditMessageFromJson(v!.fields); // the file has ≥ 6 entries (checked in creditMessage.test.ts)
    const a = getAddress(`0x${'12'.repeat(20)}`);
    const b = getAddress(`0x${'34'.repeat(20)}`);
    expect(buildCreditPacket(msg, { dstEid: 1, receiver: a })).toEqual(viaCodec(msg, { dstEid: 1, receiver: a }));
    expect(catchError(() => buildCreditPacket(msg, { dstEid: 1, receiver: a.toLowerCase().replace('0x12', '0x1G') }))).toMatchObject({ name: 'InvalidAddressError' });
    expect(buildCreditPacket(msg, { dstEid: 1, receiver: b })).toEqual(viaCodec(msg, { dstEid: 1, receiver: b }));
    expect(buildCreditPacket(msg, { dstEid: 1, receiver: a })).toEqual(viaCodec(msg, { dstEid: 1, receiver: a }));
  });
});

// The two-way book (docs/two-way-book.md): WITHDRAWAL, RELEASE_RESULT, VOID packets ---------------------------------

describe('vector file: withdrawal, release result and void packets', () => {
  type Entry = { name: string; nonce: string; srcEid: number; sender: string; dstEid: number; receiver: string; message: string; guid: string; packet: string; payloadHash: string };
  const independent = (v: Entry) => {
    const header = { nonce: BigInt(v.nonce), srcEid: v.srcEid, sender: v.sender as Hex, dstEid: v.dstEid, receiver: v.receiver as Hex }; // vector hex
    expect(ethersGuid(header)).toBe(v.guid);
    expect(ethersPacket({ ...header, guid: v.guid as Hex, message: v.message as Hex })).toBe(v.packet); // vector hex
    expect(keccak256(concat([v.guid, v.message]))).toBe(v.payloadHash);
    expect(buildPacket({ ...header, message: v.message as Hex })).toEqual({ packet: v.packet, guid: v.guid, payloadHash: v.payloadHash, message: v.message }); // vector hex
  };

  it.each(vectors.withdrawalMessages.map((v) => [v.name, v] as const))('withdrawal %s: both ways', (_n, v) => {
    const msg = withdrawalMessageFromJson(v.fields);
    expect(buildWithdrawalPacket(msg, { srcEid: v.srcEid, sender: v.sender })).toEqual({ packet: v.packet, guid: v.guid, payloadHash: v.payloadHash, message: v.message });
    const decoded = decodeWithdrawalPacket(v.packet as Hex); // vector hex
    expect(decoded).toMatchObject({ nonce: BigInt(v.nonce), srcEid: v.srcEid, sender: v.sender, dstEid: v.dstEid, receiver: v.receiver, guid: v.guid, payloadHash: v.payloadHash });
    expect(decoded.withdrawal).toEqual(msg);
    expect([BigInt(v.nonce), v.dstEid, v.receiver]).toEqual([msg.withdrawalNonce, msg.vaultEid, msg.vault]);
    expect(decodeMessagePacket(v.packet as Hex)).toMatchObject({ messageType: 2, withdrawal: msg }); // vector hex
    independent(v);
  });

  it.each(vectors.releaseResultMessages.map((v) => [v.name, v] as const))('release result %s: both ways', (_n, v) => {
    const msg = releaseResultMessageFromJson(v.fields);
    expect(buildReleaseResultPacket(msg, { dstEid: v.dstEid, receiver: v.receiver })).toEqual({ packet: v.packet, guid: v.guid, payloadHash: v.payloadHash, message: v.message });
    const decoded = decodeReleaseResultPacket(v.packet as Hex); // vector hex
    expect(decoded).toMatchObject({ nonce: BigInt(v.nonce), srcEid: v.srcEid, sender: v.sender, dstEid: v.dstEid, receiver: v.receiver, guid: v.guid, payloadHash: v.payloadHash });
    expect(decoded.releaseResult).toEqual(msg);
    expect([BigInt(v.nonce), v.srcEid, v.sender]).toEqual([msg.resultNonce, msg.srcEid, msg.srcVault]);
    expect(decodeMessagePacket(v.packet as Hex)).toMatchObject({ messageType: 4, releaseResult: msg }); // vector hex
    independent(v);
  });

  it.each(vectors.voidMessages.map((v) => [v.name, v] as const))('void %s: both ways', (_n, v) => {
    const msg = voidMessageFromJson(v.fields);
    expect(buildVoidPacket(msg, { dstEid: v.dstEid, receiver: v.receiver })).toEqual({ packet: v.packet, guid: v.guid, payloadHash: v.payloadHash, message: v.message });
    const decoded = decodeVoidPacket(v.packet as Hex); // vector hex
    expect(decoded).toMatchObject({ nonce: BigInt(v.nonce), srcEid: v.srcEid, sender: v.sender, dstEid: v.dstEid, receiver: v.receiver, guid: v.guid, payloadHash: v.payloadHash });
    expect(decoded.void).toEqual(msg);
    expect([BigInt(v.nonce), v.srcEid, v.sender]).toEqual([msg.depositNonce, msg.srcEid, msg.srcVault]);
    expect(decodeMessagePacket(v.packet as Hex)).toMatchObject({ messageType: 5, void: msg }); // vector hex
    independent(v);
  });

  it.each(vectors.creditMessages.map((v) => [v.name, v] as const))('credit %s: decodeMessagePacket dispatches to the credit decoder', (_n, v) => {
    expect(decodeMessagePacket(v.packet as Hex)).toMatchObject({ messageType: 1, credit: creditMessageFromJson(v.fields) }); // vector hex
  });

  it('a VOID has the GUID of the CREDIT it replaces (same path, same nonce)', () => {
    const credit = vectors.creditMessages.find((c) => c.name === 'usdc 6 decimals')!; // generated entry
    const voided = vectors.voidMessages.find((x) => x.name.startsWith('unsupported asset, same path'))!; // generated entry
    expect(voided.guid).toBe(credit.guid);
    expect(voided.payloadHash).not.toBe(credit.payloadHash);
  });
});

describe('two-way packet header checks', () => {
  const w = withdrawalMessageFromJson(vectors.withdrawalMessages[0]!.fields); // ≥ 5 entries
  const wPath = { nonce: w.withdrawalNonce, srcEid: 40200, sender: pad32('aa'), dstEid: w.vaultEid, receiver: w.vault, message: encodeWithdrawalMessage(w) };
  it.each([
    ['nonce', { nonce: w.withdrawalNonce + 1n }],
    ['dstEid', { dstEid: w.vaultEid + 1 }],
    ['receiver', { receiver: pad32('dead') }],
  ] as const)('withdrawal: HeaderMismatchError when the header %s differs from the message', (field, change) => {
    const { packet } = encodePacket({ ...wPath, ...change });
    for (const decode of [decodeWithdrawalPacket, decodeMessagePacket]) {
      const e = catchError(() => decode(packet));
      expect(e).toBeInstanceOf(HeaderMismatchError);
      expect(e).toMatchObject({ name: 'HeaderMismatchError', code: 'HeaderMismatch', field });
    }
  });

  it('withdrawal: srcEid and sender are free (the receiver\'s own path)', () => {
    const { packet } = encodePacket({ ...wPath, srcEid: 1, sender: pad32('01') });
    expect(decodeWithdrawalPacket(packet).withdrawal).toEqual(w);
  });

  const r = releaseResultMessageFromJson(vectors.releaseResultMessages[0]!.fields); // ≥ 5 entries
  const v = voidMessageFromJson(vectors.voidMessages[0]!.fields); // ≥ 5 entries
  const vaultCases = [
    ['release result', decodeReleaseResultPacket, { nonce: r.resultNonce, srcEid: r.srcEid, sender: r.srcVault, message: encodeReleaseResultMessage(r) }],
    ['void', decodeVoidPacket, { nonce: v.depositNonce, srcEid: v.srcEid, sender: v.srcVault, message: encodeVoidMessage(v) }],
  ] as const;
  it.each(vaultCases.flatMap(([kind, decode, path]) =>
    (['nonce', 'srcEid', 'sender'] as const).map((field) => [kind, field, decode, path] as const),
  ))('%s: HeaderMismatchError when the header %s differs from the message', (_kind, field, decode, path) => {
    const change = field === 'nonce' ? { nonce: path.nonce + 1n } : field === 'srcEid' ? { srcEid: path.srcEid + 1 } : { sender: pad32('dead') };
    const { packet } = encodePacket({ ...path, dstEid: 40200, receiver: pad32('bb'), ...change });
    for (const d of [decode, decodeMessagePacket]) {
      const e = catchError(() => d(packet));
      expect(e).toBeInstanceOf(HeaderMismatchError);
      expect(e).toMatchObject({ field });
    }
  });

  it('decodeMessagePacket: UnsupportedMessageTypeError for REVALUATION, InvalidLengthError for a 1-byte message', () => {
    const base = { nonce: 1n, srcEid: 1, sender: pad32('aa'), dstEid: 2, receiver: pad32('bb') };
    const reval = catchError(() => decodeMessagePacket(encodePacket({ ...base, message: `0x0103${'00'.repeat(100)}` }).packet));
    expect(reval).toBeInstanceOf(UnsupportedMessageTypeError);
    expect(reval).toMatchObject({ messageType: 3, expected: null });
    expect((reval as UnsupportedMessageTypeError).details).toContain('never carried in a packet'); // checked above
    // Even a valid mark body: a REVALUATION has no nonce or path for a header to repeat.
    const mark = vectors.markMessages[0]!.message as Hex; // ≥ 5 entries, vector hex
    const wrapped = catchError(() => decodeMessagePacket(encodePacket({ ...base, message: mark }).packet));
    expect(wrapped).toBeInstanceOf(UnsupportedMessageTypeError);
    expect(wrapped).toMatchObject({ messageType: 3, expected: null });
    const short = catchError(() => decodeMessagePacket(encodePacket({ ...base, message: '0x01' }).packet));
    expect(short).toBeInstanceOf(InvalidLengthError);
    expect(short).toMatchObject({ subject: 'message', expected: 2, comparison: 'min' });
  });

  it.each([
    ['decodeWithdrawalPacket', decodeWithdrawalPacket, vectors.withdrawalMessages, 2, 5],
    ['decodeReleaseResultPacket', decodeReleaseResultPacket, vectors.releaseResultMessages, 4, 2],
    ['decodeVoidPacket', decodeVoidPacket, vectors.voidMessages, 5, 1],
  ] as const)('%s: a body of the right length but another type → UnsupportedMessageTypeError naming the expected type', (_n, decode, entries, expected, other) => {
    const v = entries[0]!; // ≥ 5 entries
    const message = `0x01${other.toString(16).padStart(2, '0')}${v.message.slice(6)}` as Hex; // the body with byte 1 replaced
    const { packet } = encodePacket({ nonce: BigInt(v.nonce), srcEid: v.srcEid, sender: v.sender, dstEid: v.dstEid, receiver: v.receiver, message });
    const e = catchError(() => decode(packet));
    expect(e).toBeInstanceOf(UnsupportedMessageTypeError);
    expect(e).toMatchObject({ messageType: other, expected });
    const wrongLength = catchError(() => decode(vectors.creditMessages[0]!.packet as Hex)); // ≥ 6 entries, vector hex
    expect(wrongLength).toBeInstanceOf(InvalidLengthError);
  });
});

describe('two-way packet properties', () => {
  it('build → decode is the identity for every type, and decodeMessagePacket agrees', () => {
    fc.assert(
      fc.property(arbWithdrawal, arbReleaseResult, arbVoid, uintNumber(32), arbBytes32, (w, r, v, eid, addr) => {
        const wp = buildWithdrawalPacket(w, { srcEid: eid, sender: addr });
        expect(decodeWithdrawalPacket(wp.packet)).toMatchObject({ withdrawal: w, srcEid: eid, sender: addr, guid: wp.guid, payloadHash: wp.payloadHash });
        const rp = buildReleaseResultPacket(r, { dstEid: eid, receiver: addr });
        expect(decodeReleaseResultPacket(rp.packet)).toMatchObject({ releaseResult: r, dstEid: eid, receiver: addr, guid: rp.guid });
        const vp = buildVoidPacket(v, { dstEid: eid, receiver: addr });
        expect(decodeVoidPacket(vp.packet)).toMatchObject({ void: v, dstEid: eid, receiver: addr, guid: vp.guid });
        expect(decodeMessagePacket(vp.packet)).toMatchObject({ messageType: 5, void: v });
      }),
      { numRuns: 100 },
    );
  });

  it('random bytes never escape the two-way packet decoders as anything but a MessagesError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 0, max: 6 }), (b, t) => {
        if (b.length > 0) b[0] = 1;
        if (b.length > 114) {
          b[113] = 1;
          b[114] = t;
        }
        for (const decode of [decodeWithdrawalPacket, decodeReleaseResultPacket, decodeVoidPacket, decodeMessagePacket]) {
          try {
            decode(b);
          } catch (e) {
            expect(e).toBeInstanceOf(MessagesError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
