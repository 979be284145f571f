/**
 * EIP-712 attestation v2 of packets (docs/two-way-book.md, "Attestation v2"): every batch of every kind, on both
 * contracts, carries a signed `validUntil` (unix seconds, uint64) after which the contract refuses it.
 *
 *   Packet(bytes32 guid,bytes32 payloadHash)
 *   PacketBatch(Packet[] packets,uint64 validUntil)
 *
 *   receiver domain { name: "MarginCreditReceiver", version: "2", chainId, verifyingContract }  (CREDIT, VOID, RELEASE_RESULT)
 *   vault domain    { name: "CollateralVault",      version: "1", chainId, verifyingContract }  (WITHDRAWAL)
 *
 * The contracts verify signatures over the PacketBatch digest and take them ORDERED BY STRICTLY INCREASING SIGNER
 * ADDRESS (so a duplicate signer cannot count twice): `signBatch` returns them in that order, and
 * `recoverBatchSigners` enforces it. Signatures are 65 bytes r ‖ s ‖ v with s ≤ n/2 and v ∈ {27, 28}.
 *
 * REVALUATION marks (markMessage.ts) are not packets: the receiver's `submitMarks` verifies them, under the same
 * receiver domain, as
 *
 *   MarkBatch(bytes[] marks,uint64 validUntil)
 *
 * with the same signature rules and order (`markBatchDigest`, `signMarkBatch`, `recoverMarkBatchSigners`). The two
 * batch types have different type hashes, so a PacketBatch signature never verifies as a MarkBatch, nor the reverse.
 */
import { type Signer, type TypedDataField, TypedDataEncoder, getAddress, id, isAddress, recoverAddress } from 'ethers';
import type { Address } from './bytes32';
import { InvalidAddressError, InvalidSignatureError, SignerOrderError } from './errors';
import { bytesToHex, isHex, toBytes, toFixedHex, type Hex } from './hex';
import { checkUint } from './uint';

export const RECEIVER_DOMAIN_NAME = 'MarginCreditReceiver' as const;
/** Version 2: the batch type changed (PacketBatch with validUntil), so a v1 signature can never verify. */
export const RECEIVER_DOMAIN_VERSION = '2' as const;
export const VAULT_DOMAIN_NAME = 'CollateralVault' as const;
export const VAULT_DOMAIN_VERSION = '1' as const;

/** The MarginCreditReceiver's domain on the derivatives chain: batches of CREDIT, VOID and RELEASE_RESULT packets. */
export type ReceiverDomain = {
  name: typeof RECEIVER_DOMAIN_NAME;
  version: typeof RECEIVER_DOMAIN_VERSION;
  chainId: bigint;
  verifyingContract: Address;
};

/** A CollateralVault's domain on its source chain: batches of WITHDRAWAL packets (`submitReleases`). */
export type VaultDomain = {
  name: typeof VAULT_DOMAIN_NAME;
  version: typeof VAULT_DOMAIN_VERSION;
  chainId: bigint;
  verifyingContract: Address;
};

/** Either contract's domain: every hashing, signing and recovery function takes one. */
export type AttestationDomain = ReceiverDomain | VaultDomain;

/** @deprecated Use `ReceiverDomain` (now version "2"). */
export type CreditDomain = ReceiverDomain;

/** One attested packet: its guid and payloadHash. */
export type AttestedPacket = { guid: Hex; payloadHash: Hex };
/** The former name of `AttestedPacket`, kept to ease migration. */
export type Credit = AttestedPacket;

const PACKET_FIELDS: TypedDataField[] = [
  { name: 'guid', type: 'bytes32' },
  { name: 'payloadHash', type: 'bytes32' },
];

export const PACKET_TYPES: Record<string, TypedDataField[]> = { Packet: PACKET_FIELDS };

export const PACKET_BATCH_TYPES: Record<string, TypedDataField[]> = {
  PacketBatch: [
    { name: 'packets', type: 'Packet[]' },
    { name: 'validUntil', type: 'uint64' },
  ],
  Packet: PACKET_FIELDS,
};

/** keccak256("Packet(bytes32 guid,bytes32 payloadHash)") */
export const PACKET_TYPEHASH = id('Packet(bytes32 guid,bytes32 payloadHash)') as Hex; // id() returns a 0x keccak256
/** keccak256("PacketBatch(Packet[] packets,uint64 validUntil)Packet(bytes32 guid,bytes32 payloadHash)") — EIP-712 appends referenced types. */
export const PACKET_BATCH_TYPEHASH = id('PacketBatch(Packet[] packets,uint64 validUntil)Packet(bytes32 guid,bytes32 payloadHash)') as Hex; // as above

/** REVALUATION marks under the receiver domain: each element of `marks` is one 78-byte body (EIP-712 `bytes[]`). */
export const MARK_BATCH_TYPES: Record<string, TypedDataField[]> = {
  MarkBatch: [
    { name: 'marks', type: 'bytes[]' },
    { name: 'validUntil', type: 'uint64' },
  ],
};

/** keccak256("MarkBatch(bytes[] marks,uint64 validUntil)") */
export const MARK_BATCH_TYPEHASH = id('MarkBatch(bytes[] marks,uint64 validUntil)') as Hex; // id() returns a 0x keccak256

/** secp256k1 group order n. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = SECP256K1_N / 2n;

export type DomainParameters = { chainId: number | bigint; verifyingContract: string };
/** @deprecated Use `DomainParameters`. */
export type CreditDomainParameters = DomainParameters;

function checkDomainParameters({ chainId, verifyingContract }: DomainParameters): { chainId: bigint; verifyingContract: Address } {
  if (!isAddress(verifyingContract)) {
    throw new InvalidAddressError({ value: verifyingContract, details: 'verifyingContract must be a 20-byte EVM address' });
  }
  return {
    chainId: checkUint('chainId', chainId, 64),
    verifyingContract: getAddress(verifyingContract) as Address, // getAddress returns a checksummed 0x address
  };
}

/** The MarginCreditReceiver's EIP-712 domain (version "2") on the derivatives chain. */
export function receiverDomain(params: DomainParameters): ReceiverDomain {
  return { name: RECEIVER_DOMAIN_NAME, version: RECEIVER_DOMAIN_VERSION, ...checkDomainParameters(params) };
}

/** A CollateralVault's EIP-712 domain (version "1") on its source chain. */
export function vaultDomain(params: DomainParameters): VaultDomain {
  return { name: VAULT_DOMAIN_NAME, version: VAULT_DOMAIN_VERSION, ...checkDomainParameters(params) };
}

/** @deprecated Use `receiverDomain` (the receiver domain is now version "2"). */
export const creditDomain = receiverDomain;

function checkPacket(packet: AttestedPacket, index?: number): AttestedPacket {
  const at = index === undefined ? '' : `packets[${index}].`;
  return { guid: toFixedHex(packet.guid, 32, `${at}guid`), payloadHash: toFixedHex(packet.payloadHash, 32, `${at}payloadHash`) };
}

/** uint64 unix seconds; FieldOutOfRangeError (field 'validUntil') otherwise. */
function checkValidUntil(validUntil: bigint | number): bigint {
  return checkUint('validUntil', validUntil, 64);
}

function batchValue(packets: readonly AttestedPacket[], validUntil: bigint | number): { packets: AttestedPacket[]; validUntil: bigint } {
  return { packets: packets.map((p, i) => checkPacket(p, i)), validUntil: checkValidUntil(validUntil) };
}

/** Each mark as lowercase 0x hex (InvalidHexError naming `marks[i]` otherwise); any length, as EIP-712 `bytes`. */
function markBatchValue(marks: readonly Hex[], validUntil: bigint | number): { marks: Hex[]; validUntil: bigint } {
  return { marks: marks.map((m, i) => bytesToHex(toBytes(m, `marks[${i}]`))), validUntil: checkValidUntil(validUntil) };
}

/** EIP-712 domain separator of `domain`. */
export function domainSeparator(domain: AttestationDomain): Hex {
  return TypedDataEncoder.hashDomain(domain) as Hex; // a 0x keccak256
}

/** hashStruct(Packet) = keccak256(PACKET_TYPEHASH ‖ guid ‖ payloadHash). */
export function hashPacket(packet: AttestedPacket): Hex {
  return TypedDataEncoder.hashStruct('Packet', PACKET_TYPES, checkPacket(packet)) as Hex; // a 0x keccak256
}

/**
 * hashStruct(PacketBatch) = keccak256(PACKET_BATCH_TYPEHASH ‖ keccak256(hashPacket(p₀) ‖ … ‖ hashPacket(pₙ)) ‖
 * uint256(validUntil)).
 */
export function hashPacketBatch(packets: readonly AttestedPacket[], validUntil: bigint | number): Hex {
  return TypedDataEncoder.hashStruct('PacketBatch', PACKET_BATCH_TYPES, batchValue(packets, validUntil)) as Hex; // a 0x keccak256
}

/** EIP-712 digest of a single Packet{guid, payloadHash} under `domain` (the vector file's `packetDigest`). */
export function packetDigest(domain: AttestationDomain, packet: AttestedPacket): Hex {
  return TypedDataEncoder.hash(domain, PACKET_TYPES, checkPacket(packet)) as Hex; // a 0x keccak256
}

/** EIP-712 digest of PacketBatch{packets, validUntil}: what the contract verifies the attester signatures against. */
export function batchDigest(domain: AttestationDomain, packets: readonly AttestedPacket[], validUntil: bigint | number): Hex {
  return TypedDataEncoder.hash(domain, PACKET_BATCH_TYPES, batchValue(packets, validUntil)) as Hex; // a 0x keccak256
}

/**
 * hashStruct(MarkBatch) = keccak256(MARK_BATCH_TYPEHASH ‖ keccak256(keccak256(mark₀) ‖ … ‖ keccak256(markₙ)) ‖
 * uint256(validUntil)) (EIP-712 `bytes[]`: each element hashed, then the concatenation).
 */
export function hashMarkBatch(marks: readonly Hex[], validUntil: bigint | number): Hex {
  return TypedDataEncoder.hashStruct('MarkBatch', MARK_BATCH_TYPES, markBatchValue(marks, validUntil)) as Hex; // a 0x keccak256
}

/**
 * EIP-712 digest of MarkBatch{marks, validUntil} under the receiver's domain: what `submitMarks` verifies the attester
 * signatures against. Each mark is a REVALUATION body (`encodeMarkMessage`); only its hex is checked here.
 */
export function markBatchDigest(domain: ReceiverDomain, marks: readonly Hex[], validUntil: bigint | number): Hex {
  return TypedDataEncoder.hash(domain, MARK_BATCH_TYPES, markBatchValue(marks, validUntil)) as Hex; // a 0x keccak256
}

type ParsedSignature = { r: Hex; s: Hex; v: 27 | 28 };

/**
 * Parses a 65-byte r ‖ s ‖ v signature the way the contracts do: v ∈ {27, 28}, 0 < r < n, 0 < s ≤ n/2.
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
 * Brings any 65-byte ECDSA signature to the contracts' form: low s (s' = n − s flips v) and v ∈ {27, 28}.
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
  /** `signatures[i]` is by `signers[i]`: the order the contracts require. */
  signatures: Hex[];
};

/**
 * Each signer signs (`sign`) the typed data whose digest is `digest`; returns the signatures ordered by strictly
 * increasing signer address, each in low-s form and checked to recover its signer (InvalidSignatureError); two signers
 * with one address → SignerOrderError.
 */
async function signOrdered(
  signers: readonly Signer[],
  digest: Hex,
  sign: (signer: Signer) => Promise<string>,
): Promise<SignBatchReturnType> {
  const signed: { signer: Address; signature: Hex }[] = [];
  for (const [index, signer] of signers.entries()) {
    const signerAddress = getAddress(await signer.getAddress()) as Address; // checksummed 0x address
    const signature = toCanonicalSignature(await sign(signer), index);
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

/**
 * Each signer signs PacketBatch{packets, validUntil} under `domain` (EIP-712). Returns the signatures ordered by
 * strictly increasing signer address, as `submit` / `submitReleases` require. Each signature is brought to low-s form
 * and checked to recover its signer (InvalidSignatureError); two signers with one address → SignerOrderError.
 */
export async function signBatch(
  signers: readonly Signer[],
  domain: AttestationDomain,
  packets: readonly AttestedPacket[],
  validUntil: bigint | number,
): Promise<SignBatchReturnType> {
  const value = batchValue(packets, validUntil);
  return signOrdered(signers, batchDigest(domain, packets, validUntil), (signer) => signer.signTypedData(domain, PACKET_BATCH_TYPES, value));
}

/**
 * Each signer signs MarkBatch{marks, validUntil} under the receiver's `domain` (EIP-712). Returns the 65-byte
 * r ‖ s ‖ v signatures (low s) ordered by strictly increasing signer address, as `submitMarks` requires; the same
 * checks and errors as `signBatch`.
 */
export async function signMarkBatch(
  signers: readonly Signer[],
  domain: ReceiverDomain,
  marks: readonly Hex[],
  validUntil: bigint | number,
): Promise<Hex[]> {
  const value = markBatchValue(marks, validUntil);
  const digest = markBatchDigest(domain, marks, validUntil);
  return (await signOrdered(signers, digest, (signer) => signer.signTypedData(domain, MARK_BATCH_TYPES, value))).signatures;
}

/** The address that signed PacketBatch{packets, validUntil} under `domain`, with the contracts' strict signature rules. */
export function recoverBatchSigner(
  domain: AttestationDomain,
  packets: readonly AttestedPacket[],
  validUntil: bigint | number,
  signature: string,
): Address {
  return recoverFromDigest(batchDigest(domain, packets, validUntil), signature);
}

/** Every signer of `digest`, each signature strict and the signers strictly increasing (the contracts' rules). */
function recoverOrdered(digest: Hex, signatures: readonly string[]): Address[] {
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

/**
 * Recovers every signer of a batch as the contracts do: each signature strict (InvalidSignatureError with its
 * index), and the recovered addresses strictly increasing (SignerOrderError on a duplicate or out-of-order signer).
 * Whether `validUntil` has passed is the caller's (the contract's) check against its clock.
 */
export function recoverBatchSigners(
  domain: AttestationDomain,
  packets: readonly AttestedPacket[],
  validUntil: bigint | number,
  signatures: readonly string[],
): Address[] {
  return recoverOrdered(batchDigest(domain, packets, validUntil), signatures);
}

/**
 * Recovers every signer of a MarkBatch{marks, validUntil} under the receiver's `domain`, with the same rules and
 * errors as `recoverBatchSigners` (InvalidSignatureError with its index, SignerOrderError).
 */
export function recoverMarkBatchSigners(
  domain: ReceiverDomain,
  marks: readonly Hex[],
  validUntil: bigint | number,
  signatures: readonly string[],
): Address[] {
  return recoverOrdered(markBatchDigest(domain, marks, validUntil), signatures);
}
