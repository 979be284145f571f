import { PacketV1Codec } from '@layerzerolabs/lz-v2-utilities';
import { concat, keccak256, solidityPacked, solidityPackedKeccak256 } from 'ethers';
import fc from 'fast-check';
import { bytes32 as arbBytes32, creditMessage as arbCreditMessage, uint, uintNumber } from '../test-utils/arbitraries';
import { catchError } from '../test-utils/catchError';
import { loadVectors } from '../test-utils/vectors';
import { encodeCreditMessage } from './creditMessage';
import { creditMessageFromJson } from './creditMessageJson';
import {
  FieldOutOfRangeError,
  GuidMismatchError,
  HeaderMismatchError,
  InvalidLengthError,
  MessagesError,
  UnsupportedVersionError,
} from './errors';
import { bytesToHex, type Hex, toBytes } from './hex';
import {
  buildCreditPacket,
  computeGuid,
  decodeCreditPacket,
  decodePacket,
  encodePacket,
  parsePacket,
  serializePacket,
} from './packet';

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
  const lzInput = { nonce: 1n, srcEid: 2, sender: pad32('123'), dstEid: 3, receiver: pad32('456'), guid: pad32('789'), message: '0xaabbcc' as Hex };

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
    // Independent: ethers abi.encodePacked and keccak256.
    const header = { nonce: BigInt(v.fields.depositNonce), srcEid: v.fields.srcEid, sender: v.fields.srcVault as Hex, dstEid: v.dstEid, receiver: v.receiver as Hex };
    expect(ethersGuid(header)).toBe(v.guid);
    expect(ethersPacket({ ...header, guid: v.guid as Hex, message: v.message as Hex })).toBe(v.packet);
    expect(keccak256(concat([v.guid, v.message]))).toBe(v.payloadHash);
  });
});

describe('encodePacket / decodePacket', () => {
  const base = { nonce: 9n, srcEid: 40101, sender: pad32('aa'), dstEid: 40200, receiver: pad32('bb'), message: '0x0102' as Hex };

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
