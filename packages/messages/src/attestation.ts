/**
 * EIP-712 attestation of credits (docs/credit-message.md, "Attestation").
 *
 *   Domain  { name: "MarginCreditReceiver", version: "1", chainId, verifyingContract }
 *   Credit(bytes32 guid,bytes32 payloadHash)
 *   CreditBatch(Credit[] credits)
 *
 * The receiver verifies signatures over the CreditBatch digest and takes them ORDERED BY STRICTLY INCREASING
 * SIGNER ADDRESS (so a duplicate signer cannot count twice): `signBatch` returns them in that order, and
 * `recoverBatchSigners` enforces it. Signatures are 65 bytes r ‖ s ‖ v with s ≤ n/2 and v ∈ {27, 28}.
 */
import { type Signer, type TypedDataField, TypedDataEncoder, getAddress, id, isAddress, recoverAddress } from 'ethers';
import type { Address } from './bytes32';
import { InvalidAddressError, InvalidSignatureError, SignerOrderError } from './errors';
import { bytesToHex, isHex, toBytes, toFixedHex, type Hex } from './hex';
import { checkUint } from './uint';

export const CREDIT_DOMAIN_NAME = 'MarginCreditReceiver' as const;
export const CREDIT_DOMAIN_VERSION = '1' as const;

export type CreditDomain = {
  name: typeof CREDIT_DOMAIN_NAME;
  version: typeof CREDIT_DOMAIN_VERSION;
  chainId: bigint;
  verifyingContract: Address;
};

/** One attested credit: the packet's guid and payloadHash. */
export type Credit = { guid: Hex; payloadHash: Hex };

export const CREDIT_TYPES: Record<string, TypedDataField[]> = {
  Credit: [
    { name: 'guid', type: 'bytes32' },
    { name: 'payloadHash', type: 'bytes32' },
  ],
};

export const CREDIT_BATCH_TYPES: Record<string, TypedDataField[]> = {
  CreditBatch: [{ name: 'credits', type: 'Credit[]' }],
  Credit: [
    { name: 'guid', type: 'bytes32' },
    { name: 'payloadHash', type: 'bytes32' },
  ],
};

/** keccak256("Credit(bytes32 guid,bytes32 payloadHash)") */
export const CREDIT_TYPEHASH = id('Credit(bytes32 guid,bytes32 payloadHash)') as Hex; // id() returns a 0x keccak256
/** keccak256("CreditBatch(Credit[] credits)Credit(bytes32 guid,bytes32 payloadHash)") — EIP-712 appends referenced types. */
export const CREDIT_BATCH_TYPEHASH = id('CreditBatch(Credit[] credits)Credit(bytes32 guid,bytes32 payloadHash)') as Hex; // as above

/** secp256k1 group order n. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = SECP256K1_N / 2n;

export type CreditDomainParameters = { chainId: number | bigint; verifyingContract: string };

/** The receiver's EIP-712 domain on the derivatives chain. */
export function creditDomain({ chainId, verifyingContract }: CreditDomainParameters): CreditDomain {
  if (!isAddress(verifyingContract)) {
    throw new InvalidAddressError({ value: verifyingContract, details: 'verifyingContract must be a 20-byte EVM address' });
  }
  return {
    name: CREDIT_DOMAIN_NAME,
    version: CREDIT_DOMAIN_VERSION,
    chainId: checkUint('chainId', chainId, 64),
    verifyingContract: getAddress(verifyingContract) as Address, // getAddress returns a checksummed 0x address
  };
}

function checkCredit(credit: Credit, index?: number): Credit {
  const at = index === undefined ? '' : `credits[${index}].`;
  return { guid: toFixedHex(credit.guid, 32, `${at}guid`), payloadHash: toFixedHex(credit.payloadHash, 32, `${at}payloadHash`) };
}

function batchValue(credits: readonly Credit[]): { credits: Credit[] } {
  return { credits: credits.map((c, i) => checkCredit(c, i)) };
}

/** EIP-712 domain separator of `domain`. */
export function domainSeparator(domain: CreditDomain): Hex {
  return TypedDataEncoder.hashDomain(domain) as Hex; // a 0x keccak256
}

/** hashStruct(Credit) = keccak256(CREDIT_TYPEHASH ‖ guid ‖ payloadHash). */
export function hashCredit(credit: Credit): Hex {
  return TypedDataEncoder.hashStruct('Credit', CREDIT_TYPES, checkCredit(credit)) as Hex; // a 0x keccak256
}

/** hashStruct(CreditBatch) = keccak256(CREDIT_BATCH_TYPEHASH ‖ keccak256(hashCredit(c₀) ‖ … ‖ hashCredit(cₙ))). */
export function hashCreditBatch(credits: readonly Credit[]): Hex {
  return TypedDataEncoder.hashStruct('CreditBatch', CREDIT_BATCH_TYPES, batchValue(credits)) as Hex; // a 0x keccak256
}

/** EIP-712 digest of a single Credit{guid, payloadHash}. */
export function creditDigest(domain: CreditDomain, credit: Credit): Hex {
  return TypedDataEncoder.hash(domain, CREDIT_TYPES, checkCredit(credit)) as Hex; // a 0x keccak256
}

/** EIP-712 digest of CreditBatch{credits}: what the receiver verifies the attester signatures against. */
export function batchDigest(domain: CreditDomain, credits: readonly Credit[]): Hex {
  return TypedDataEncoder.hash(domain, CREDIT_BATCH_TYPES, batchValue(credits)) as Hex; // a 0x keccak256
}

type ParsedSignature = { r: Hex; s: Hex; v: 27 | 28 };

/**
 * Parses a 65-byte r ‖ s ‖ v signature the way the receiver does: v ∈ {27, 28}, 0 < r < n, 0 < s ≤ n/2.
 * InvalidSignatureError (with `index`) otherwise.
 */
function parseStrictSignature(signature: string, index?: number): ParsedSignature {
  if (!isHex(signature)) throw new InvalidSignatureError({ reason: 'not 0x hex', index });
  const b = toBytes(signature);
  if (b.length !== 65) throw new InvalidSignatureError({ reason: `expected 65 bytes, got ${b.length}`, index });
  const v = b[64];
  if (v !== 27 && v !== 28) throw new InvalidSignatureError({ reason: `v must be 27 or 28, got ${String(v)}`, index });
  const r = bytesToHex(b.subarray(0, 32));
  const s = bytesToHex(b.subarray(32, 64));
  const rn = BigInt(r);
  const sn = BigInt(s);
  if (rn === 0n || rn >= SECP256K1_N) throw new InvalidSignatureError({ reason: 'r out of range', index });
  if (sn === 0n) throw new InvalidSignatureError({ reason: 's is zero', index });
  if (sn > HALF_N) throw new InvalidSignatureError({ reason: 's is in the upper half of the curve order (malleable)', index });
  return { r, s, v };
}

function recoverFromDigest(digest: Hex, signature: string, index?: number): Address {
  const sig = parseStrictSignature(signature, index);
  try {
    return getAddress(recoverAddress(digest, sig)) as Address; // getAddress returns a checksummed 0x address
  } catch (cause) {
    throw new InvalidSignatureError({ reason: 'does not recover a public key', index, cause });
  }
}

/**
 * Brings any 65-byte ECDSA signature to the receiver's form: low s (s' = n − s flips v) and v ∈ {27, 28}.
 * ethers already produces this form; a remote signer (KMS, HSM) may not.
 */
function toCanonicalSignature(signature: string, index: number): Hex {
  if (!isHex(signature)) throw new InvalidSignatureError({ reason: 'signer returned non-hex', index });
  const b = toBytes(signature);
  if (b.length !== 65) throw new InvalidSignatureError({ reason: `signer returned ${b.length} bytes`, index });
  let v = b[64] ?? 0;
  if (v === 0 || v === 1) v += 27;
  if (v !== 27 && v !== 28) throw new InvalidSignatureError({ reason: `signer returned v = ${v}`, index });
  let s = BigInt(bytesToHex(b.subarray(32, 64)));
  if (s > HALF_N) {
    s = SECP256K1_N - s;
    v = v === 27 ? 28 : 27;
  }
  const out = new Uint8Array(65);
  out.set(b.subarray(0, 32), 0);
  out.set(toBytes(`0x${s.toString(16).padStart(64, '0')}`), 32);
  out[64] = v;
  return bytesToHex(out);
}

function compareAddresses(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export type SignBatchReturnType = {
  digest: Hex;
  /** Signer addresses, strictly increasing. */
  signers: Address[];
  /** `signatures[i]` is by `signers[i]`: the order the receiver requires. */
  signatures: Hex[];
};

/**
 * Each signer signs CreditBatch{credits} under `domain` (EIP-712). Returns the signatures ordered by strictly
 * increasing signer address, as MarginCreditReceiver.submitCredits requires. Each signature is brought to low-s
 * form and checked to recover its signer (InvalidSignatureError); two signers with one address → SignerOrderError.
 */
export async function signBatch(signers: readonly Signer[], domain: CreditDomain, credits: readonly Credit[]): Promise<SignBatchReturnType> {
  const value = batchValue(credits);
  const digest = batchDigest(domain, credits);
  const signed: { signer: Address; signature: Hex }[] = [];
  for (const [index, signer] of signers.entries()) {
    const signerAddress = getAddress(await signer.getAddress()) as Address; // checksummed 0x address
    const signature = toCanonicalSignature(await signer.signTypedData(domain, CREDIT_BATCH_TYPES, value), index);
    const recovered = recoverFromDigest(digest, signature, index);
    if (recovered !== signerAddress) {
      throw new InvalidSignatureError({ reason: `recovers ${recovered}, not the signer ${signerAddress}`, index });
    }
    signed.push({ signer: signerAddress, signature });
  }
  signed.sort((a, b) => compareAddresses(a.signer, b.signer));
  for (let i = 1; i < signed.length; i++) {
    const previous = signed[i - 1];
    const current = signed[i];
    if (previous !== undefined && current !== undefined && compareAddresses(previous.signer, current.signer) === 0) {
      throw new SignerOrderError({ index: i, previous: previous.signer, current: current.signer });
    }
  }
  return { digest, signers: signed.map((x) => x.signer), signatures: signed.map((x) => x.signature) };
}

export type RecoverBatchSignerParameters = { domain: CreditDomain; credits: readonly Credit[]; signature: string };

/** The address that signed CreditBatch{credits} under `domain`, with the receiver's strict signature rules. */
export function recoverBatchSigner({ domain, credits, signature }: RecoverBatchSignerParameters): Address {
  return recoverFromDigest(batchDigest(domain, credits), signature);
}

export type RecoverBatchSignersParameters = { domain: CreditDomain; credits: readonly Credit[]; signatures: readonly string[] };

/**
 * Recovers every signer of a batch as the receiver does: each signature strict (InvalidSignatureError with its
 * index), and the recovered addresses strictly increasing (SignerOrderError on a duplicate or out-of-order signer).
 */
export function recoverBatchSigners({ domain, credits, signatures }: RecoverBatchSignersParameters): Address[] {
  const digest = batchDigest(domain, credits);
  const signers: Address[] = [];
  for (const [index, signature] of signatures.entries()) {
    const signer = recoverFromDigest(digest, signature, index);
    const previous = signers[index - 1];
    if (previous !== undefined && compareAddresses(previous, signer) >= 0) {
      throw new SignerOrderError({ index, previous, current: signer });
    }
    signers.push(signer);
  }
  return signers;
}
