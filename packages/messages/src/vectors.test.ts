/** The committed vector file is what the generator produces from its fixed inputs, and has the spec's shape. */
import { readFileSync } from 'node:fs';
import { buildVectors, renderVectors } from '../scripts/gen-vectors';
import { VECTOR_FILE_PATH, loadVectors } from '../test-utils/vectors';

const HEX = /^0x(?:[0-9a-f]{2})*$/;

describe('vectors/credit-messages.json', () => {
  it('is up to date with scripts/gen-vectors.ts (regenerate with npx tsx packages/messages/scripts/gen-vectors.ts)', () => {
    expect(readFileSync(VECTOR_FILE_PATH, 'utf8')).toBe(renderVectors(buildVectors()));
  });

  it('has the top-level sections of the spec, in order', () => {
    expect(Object.keys(loadVectors())).toEqual(['lzPacketV1', 'lzGuid', 'solanaBytes32', 'creditMessages', 'batches', 'invalidMessages']);
  });

  it('uses lowercase 0x hex for bytes, decimal strings for big integers, numbers for eids and small fields', () => {
    const v = loadVectors();
    for (const c of v.creditMessages) {
      for (const b of [c.message, c.guid, c.packet, c.payloadHash, c.creditDigest, c.receiver, c.fields.account, c.fields.srcVault, c.fields.asset]) {
        expect(b).toMatch(HEX);
      }
      expect(c.message.length).toBe(2 + 2 * 183);
      expect(c.receiver.length).toBe(66);
      for (const n of [c.fields.depositNonce, c.fields.rawAmount, c.fields.haircutValue, c.fields.price, c.fields.priceTimestamp, c.fields.haircut, c.fields.sizeWeight]) {
        expect(n).toMatch(/^(0|[1-9][0-9]*)$/);
      }
      for (const n of [c.fields.version, c.fields.messageType, c.fields.srcEid, c.fields.assetDecimals, c.dstEid, c.domain.chainId]) {
        expect(typeof n).toBe('number');
      }
      expect(c.domain.verifyingContract).toMatch(/^0x[0-9a-fA-F]{40}$/);
    }
    for (const b of v.batches) for (const c of b.credits) expect(c.guid).toMatch(HEX);
    for (const m of v.invalidMessages) {
      expect(m.message).toMatch(HEX);
      expect(['InvalidLength', 'UnsupportedVersion', 'UnsupportedMessageType']).toContain(m.error);
    }
    expect(new Set(v.creditMessages.map((c) => c.name)).size).toBe(v.creditMessages.length);
  });
});
