import { decodeMarkMessage, FieldOutOfRangeError, InvalidFieldError, MARK_MESSAGE_LENGTH } from '@ccr/messages';
import { buildMarkBatch, type MarkToPost } from './build-mark-batch';

const E18 = 10n ** 18n;
const asset = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;
const item = (n: number, over: Partial<MarkToPost> = {}): MarkToPost => ({
  srcEid: 40101 + n,
  asset: asset(n),
  currentNonce: BigInt(n * 10),
  candidate: { price: 2_000n * E18 + BigInt(n), haircut: E18 / 10n, priceTimestamp: 1_750_000_000n + BigInt(n) },
  ...over,
});

describe('buildMarkBatch', () => {
  it('one 78-byte REVALUATION per asset, markNonce = on-chain nonce + 1, the blob their concatenation in order', () => {
    const batch = buildMarkBatch([item(0), item(1), item(2)]);
    expect(batch.bodies.map((b) => (b.length - 2) / 2)).toEqual([MARK_MESSAGE_LENGTH, MARK_MESSAGE_LENGTH, MARK_MESSAGE_LENGTH]);
    expect(batch.blob).toBe(`0x${batch.bodies.map((b) => b.slice(2)).join('')}`);
    expect(batch.bodies.map((b) => decodeMarkMessage(b))).toEqual([0, 1, 2].map((n) => ({
      version: 1,
      messageType: 3,
      srcEid: 40101 + n,
      asset: asset(n),
      markNonce: BigInt(n * 10 + 1),
      price: 2_000n * E18 + BigInt(n),
      priceTimestamp: 1_750_000_000n + BigInt(n),
      haircut: E18 / 10n,
    })));
    expect(batch.marks).toEqual(batch.bodies.map((b) => decodeMarkMessage(b)));
  });

  it('the first mark of an asset takes nonce 1; the byte layout is the wire format’s', () => {
    const { bodies } = buildMarkBatch([item(0, { currentNonce: 0n, candidate: { price: 1n, haircut: 2n, priceTimestamp: 3n } })]);
    expect(bodies[0]).toBe(`0x0103${'00009ca5'}${asset(0).slice(2)}${'0000000000000001'}${'00000000000000000000000000000001'}${'0000000000000003'}${'0000000000000002'}`);
  });

  it('an empty batch is an empty blob', () => {
    expect(buildMarkBatch([])).toEqual({ marks: [], bodies: [], blob: '0x' });
  });

  it('refuses values the wire format cannot carry, naming the field', () => {
    expect(() => buildMarkBatch([item(0, { candidate: { price: 1n << 128n, haircut: 0n, priceTimestamp: 0n } })])).toThrow(FieldOutOfRangeError);
    expect(() => buildMarkBatch([item(0, { candidate: { price: 1n, haircut: E18 + 1n, priceTimestamp: 0n } })])).toThrow(InvalidFieldError);
    expect(() => buildMarkBatch([item(0, { candidate: { price: 1n, haircut: E18 + 1n, priceTimestamp: 0n } })])).toThrow(/haircut/);
  });
});
