import { batchDigest, type Credit, creditDomain } from '@ccr/messages';
import { hexlify, randomBytes } from 'ethers';
import { batchDigestFast } from './batch-digest-fast';

describe('batchDigestFast', () => {
  const domain = creditDomain({ chainId: 31337n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
  const other = creditDomain({ chainId: 1n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
  const credits = (n: number): Credit[] => Array.from({ length: n }, () => ({ guid: hexlify(randomBytes(32)), payloadHash: hexlify(randomBytes(32)) }) as Credit); // 0x hex of 32 bytes, as Credit wants

  it('equals batchDigest of @ccr/messages for 0, 1, 2 and 100 credits and per domain', () => {
    for (const n of [0, 1, 2, 100]) {
      const batch = credits(n);
      expect(batchDigestFast(domain, batch)).toBe(batchDigest(domain, batch));
      expect(batchDigestFast(other, batch)).toBe(batchDigest(other, batch));
    }
  });

  it('accepts upper-case hex like batchDigest, and leaves malformed fields to batchDigest’s typed error', () => {
    const [c] = credits(1);
    const upper = { guid: c!.guid.toUpperCase().replace('0X', '0x'), payloadHash: c!.payloadHash } as Credit; // still 0x + 64 hex digits
    expect(batchDigestFast(domain, [upper])).toBe(batchDigest(domain, [c!]));
    const short = { guid: '0x1234', payloadHash: c!.payloadHash } as Credit; // malformed on purpose
    expect(() => batchDigestFast(domain, [short])).toThrow();
  });
});
