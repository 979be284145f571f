/** The committed vector file is what the generator produces from its fixed inputs, and has the spec's shape. */
import { readFileSync } from 'node:fs';
import { buildVectors, renderVectors } from '../scripts/gen-vectors';
import { VECTOR_FILE_PATH, loadVectors } from '../test-utils/vectors';

const HEX = /^0x(?:[0-9a-f]{2})*$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

describe('vectors/credit-messages.json', () => {
  const v = loadVectors();

  it('is up to date with scripts/gen-vectors.ts (regenerate with npx tsx packages/messages/scripts/gen-vectors.ts)', () => {
    expect(readFileSync(VECTOR_FILE_PATH, 'utf8')).toBe(renderVectors(buildVectors()));
  });

  it('has the top-level sections of the spec, in order', () => {
    expect(Object.keys(v)).toEqual([
      'lzPacketV1', 'lzGuid', 'solanaBytes32', 'creditMessages', 'withdrawalMessages', 'releaseResultMessages', 'voidMessages',
      'markMessages', 'batches', 'markBatches', 'invalidMessages', 'invalidWithdrawalMessages', 'invalidReleaseResultMessages',
      'invalidVoidMessages', 'invalidMarkMessages',
    ]);
  });

  it('uses lowercase 0x hex for bytes, decimal strings for big integers, numbers for eids and small fields', () => {
    for (const c of v.creditMessages) {
      for (const b of [c.message, c.guid, c.packet, c.payloadHash, c.packetDigest, c.receiver, c.fields.account, c.fields.srcVault, c.fields.asset]) {
        expect(b).toMatch(HEX);
      }
      expect(c.message.length).toBe(2 + 2 * 183);
      expect(c.receiver.length).toBe(66);
      for (const n of [c.fields.depositNonce, c.fields.rawAmount, c.fields.haircutValue, c.fields.price, c.fields.priceTimestamp, c.fields.haircut, c.fields.sizeWeight]) {
        expect(n).toMatch(DECIMAL);
      }
      for (const n of [c.fields.version, c.fields.messageType, c.fields.srcEid, c.fields.assetDecimals, c.dstEid, c.domain.chainId]) {
        expect(typeof n).toBe('number');
      }
      expect(c.domain).toMatchObject({ name: 'MarginCreditReceiver', version: '2' });
      expect(c.domain.verifyingContract).toMatch(/^0x[0-9a-fA-F]{40}$/);
    }
    const sections = [
      [v.withdrawalMessages, 166],
      [v.releaseResultMessages, 167],
      [v.voidMessages, 159],
    ] as const;
    for (const [entries, length] of sections) {
      expect(entries.length).toBeGreaterThanOrEqual(5);
      expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
      for (const e of entries) {
        for (const b of [e.message, e.guid, e.packet, e.payloadHash, e.sender, e.receiver]) expect(b).toMatch(HEX);
        expect([e.sender.length, e.receiver.length]).toEqual([66, 66]);
        expect(e.message.length).toBe(2 + 2 * length);
        expect(e.packet.length).toBe(2 + 2 * (113 + length));
        expect(e.nonce).toMatch(DECIMAL);
        expect([typeof e.srcEid, typeof e.dstEid]).toEqual(['number', 'number']);
        for (const [k, x] of Object.entries(e.fields)) {
          if (typeof x === 'string') expect([k, x]).toEqual([k, expect.stringMatching(/^(0x(?:[0-9a-f]{64})|0|[1-9][0-9]*)$/)]);
          else expect(typeof x).toBe('number');
        }
      }
    }
    for (const b of v.batches) {
      for (const p of b.packets) {
        expect(p.guid).toMatch(HEX);
        expect(p.payloadHash).toMatch(HEX);
      }
      expect(b.validUntil).toMatch(DECIMAL);
      expect(b.digest).toMatch(HEX);
      expect(Object.keys(b.domain)).toEqual(['name', 'version', 'chainId', 'verifyingContract']);
    }
    for (const m of v.invalidMessages) {
      expect(m.message).toMatch(HEX);
      expect(['InvalidLength', 'UnsupportedVersion', 'UnsupportedMessageType']).toContain(m.error);
    }
    expect(v.markMessages.length).toBeGreaterThanOrEqual(5);
    expect(new Set(v.markMessages.map((e) => e.name)).size).toBe(v.markMessages.length);
    for (const e of v.markMessages) {
      expect(Object.keys(e)).toEqual(['name', 'fields', 'message']); // a mark is not a packet: no path, guid or payloadHash
      expect(e.message).toMatch(HEX);
      expect(e.message.length).toBe(2 + 2 * 78);
      expect(e.fields.asset).toMatch(/^0x[0-9a-f]{64}$/);
      for (const n of [e.fields.markNonce, e.fields.price, e.fields.priceTimestamp, e.fields.haircut]) expect(n).toMatch(DECIMAL);
      for (const n of [e.fields.version, e.fields.messageType, e.fields.srcEid]) expect(typeof n).toBe('number');
    }
    for (const b of v.markBatches) {
      for (const m of b.marks) expect(m).toMatch(HEX);
      expect(b.validUntil).toMatch(DECIMAL);
      expect(b.digest).toMatch(/^0x[0-9a-f]{64}$/);
      expect(Object.keys(b.domain)).toEqual(['name', 'version', 'chainId', 'verifyingContract']);
      expect(b.domain).toMatchObject({ name: 'MarginCreditReceiver', version: '2' });
    }
    for (const m of [...v.invalidWithdrawalMessages, ...v.invalidReleaseResultMessages, ...v.invalidVoidMessages, ...v.invalidMarkMessages]) {
      expect(m.message).toMatch(HEX);
      expect(['InvalidLength', 'UnsupportedVersion', 'UnsupportedMessageType', 'InvalidField']).toContain(m.error);
      expect(m.field !== undefined).toBe(m.error === 'InvalidField');
    }
    expect(new Set(v.creditMessages.map((c) => c.name)).size).toBe(v.creditMessages.length);
  });

  it('every batch source names an entry of the file whose guid and payloadHash the batch carries', () => {
    const sections: Record<string, readonly { name: string; guid: string; payloadHash: string }[]> = {
      creditMessages: v.creditMessages,
      withdrawalMessages: v.withdrawalMessages,
      releaseResultMessages: v.releaseResultMessages,
      voidMessages: v.voidMessages,
    };
    for (const b of v.batches) {
      b.sources.forEach((source, i) => {
        const slash = source.indexOf('/');
        const entry = sections[source.slice(0, slash)]?.find((e) => e.name === source.slice(slash + 1));
        expect(entry).toBeDefined();
        expect(b.packets[i]).toEqual({ guid: entry?.guid, payloadHash: entry?.payloadHash });
      });
      // Withdrawals go to a vault, everything else to the receiver.
      const toVault = b.sources.every((s) => s.startsWith('withdrawalMessages/'));
      expect(b.domain.name).toBe(toVault ? 'CollateralVault' : 'MarginCreditReceiver');
    }
  });

  it('every mark batch source names a markMessages entry whose bytes the batch carries', () => {
    for (const b of v.markBatches) {
      expect(b.sources).toHaveLength(b.marks.length);
      b.sources.forEach((source, i) => {
        expect(source.startsWith('markMessages/')).toBe(true);
        const entry = v.markMessages.find((e) => e.name === source.slice('markMessages/'.length));
        expect(entry?.message).toBe(b.marks[i]);
      });
    }
  });
});
