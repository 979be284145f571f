import { batchDigest, CREDIT_BATCH_TYPEHASH, CREDIT_TYPEHASH, type Credit, type CreditDomain, domainSeparator, type Hex } from '@ccr/messages';
import { keccak256 } from 'ethers';

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const PREFIX = Buffer.from([0x19, 0x01]);
const CREDIT_TYPEHASH_BYTES = Buffer.from(CREDIT_TYPEHASH.slice(2), 'hex');
const BATCH_TYPEHASH_BYTES = Buffer.from(CREDIT_BATCH_TYPEHASH.slice(2), 'hex');
const separators = new WeakMap<CreditDomain, Buffer>();

const bytes = (hex: string): Buffer => Buffer.from(hex.slice(2), 'hex');

/**
 * `batchDigest(domain, credits)` of @ccr/messages — keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(CreditBatch)),
 * hashStruct(CreditBatch) = keccak256(CREDIT_BATCH_TYPEHASH ‖ keccak256(hashCredit(c₀) ‖ … ‖ hashCredit(cₙ))),
 * hashCredit(c) = keccak256(CREDIT_TYPEHASH ‖ guid ‖ payloadHash) — hashed over bytes, with the type hashes and the
 * domain separator of that package. ethers' TypedDataEncoder spends ~0.1 ms per credit on the same digest;
 * batch-digest-fast.test.ts checks the two agree. Anything but 32-byte hex fields goes to `batchDigest` itself,
 * which reports it with its typed error.
 */
export function batchDigestFast(domain: CreditDomain, credits: readonly Credit[]): Hex {
  if (!credits.every((c) => HEX32.test(c.guid) && HEX32.test(c.payloadHash))) return batchDigest(domain, credits);
  let separator = separators.get(domain);
  if (separator === undefined) separators.set(domain, (separator = bytes(domainSeparator(domain))));
  const hashes = Buffer.alloc(32 * credits.length);
  const item = Buffer.alloc(96);
  CREDIT_TYPEHASH_BYTES.copy(item, 0);
  credits.forEach((c, i) => {
    item.write(c.guid.slice(2), 32, 'hex');
    item.write(c.payloadHash.slice(2), 64, 'hex');
    hashes.write(keccak256(item).slice(2), 32 * i, 'hex');
  });
  const struct = bytes(keccak256(Buffer.concat([BATCH_TYPEHASH_BYTES, bytes(keccak256(hashes))])));
  return keccak256(Buffer.concat([PREFIX, separator, struct])) as Hex; // ethers keccak256: lowercase 0x + 64 hex digits
}
