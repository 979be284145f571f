import { batchDigest, type Credit, receiverDomain, vaultDomain } from '@ccr/messages';
import { hexlify, randomBytes } from 'ethers';
import { batchDigestFast } from './batch-digest-fast';

describe('batchDigestFast', () => {
  const domain = receiverDomain({ chainId: 31337n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
  const other = receiverDomain({ chainId: 1n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
  const vault = vaultDomain({ chainId: 31337n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
  const credits = (n: number): Credit[] => Array.from({ length: n }, () => ({ guid: hexlify(randomBytes(32)), payloadHash: hexlify(randomBytes(32)) }) as Credit); // 0x hex of 32 bytes, as Credit wants

  it('equals batchDigest of @ccr/messages for 0, 1, 2 and 100 packets, per domain and per validUntil', () => {
    for (const n of [0, 1, 2, 100]) {
      const batch = credits(n);
      for (const until of [0n, 1_800_000_000n, 2n ** 64n - 1n]) {
        expect(batchDigestFast(domain, batch, until)).toBe(batchDigest(domain, batch, until));
        expect(batchDigestFast(other, batch, until)).toBe(batchDigest(other, batch, until));
        expect(batchDigestFast(vault, batch, until)).toBe(batchDigest(vault, batch, until));
      }
      expect(batchDigestFast(domain, batch, 1n)).not.toBe(batchDigestFast(domain, batch, 2n));
      expect(batchDigestFast(domain, batch, 1n)).not.toBe(batchDigestFast(vault, batch, 1n));
    }
  });

  it('accepts upper-case hex like batchDigest, and leaves malformed fields to batchDigest’s typed error', () => {
    const [c] = credits(1);
    const upper = { guid: c!.guid.toUpperCase().replace('0X', '0x'), payloadHash: c!.payloadHash } as Credit; // still 0x + 64 hex digits
    expect(batchDigestFast(domain, [upper], 5n)).toBe(batchDigest(domain, [c!], 5n));
    const short = { guid: '0x1234', payloadHash: c!.payloadHash } as Credit; // malformed on purpose
    expect(() => batchDigestFast(domain, [short], 5n)).toThrow(/guid/);
  });
});
