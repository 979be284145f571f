/**
 * The compact calldata form of a batch: the receiver's `submit` and `submitMarks` take one `bytes` blob of messages
 * and one of signatures instead of `bytes[]`, which saves the ABI's per-element offset and length words. The blobs are
 * plain concatenations, which the contract splits (signatures every 65 bytes, marks every 78 bytes). What is signed
 * does not change: the attestation is over the list (PacketBatch, MarkBatch), not over the blob.
 */
import { InvalidSignatureError } from './errors';
import { bytesToHex, isHex, toBytes, type Hex } from './hex';

/** Bytes of one r ‖ s ‖ v signature in the packed blob. */
export const PACKED_SIGNATURE_LENGTH = 65;

export type PackSignaturesParameters = readonly Hex[];
export type PackSignaturesReturnType = Hex;

/**
 * `signatures[0] ‖ signatures[1] ‖ …`, in the order given (the contracts want strictly increasing signer address:
 * `signBatch` / `signMarkBatch` return that order), lowercase. Each must be 0x hex of exactly 65 bytes
 * (InvalidSignatureError with its index); their v, r, s are the contract's to check. No signatures → `0x`.
 */
export function packSignatures(signatures: PackSignaturesParameters): PackSignaturesReturnType {
  const out = new Uint8Array(PACKED_SIGNATURE_LENGTH * signatures.length);
  for (const [index, signature] of signatures.entries()) {
    if (!isHex(signature)) throw new InvalidSignatureError({ reason: 'not 0x hex', index });
    const b = toBytes(signature);
    if (b.length !== PACKED_SIGNATURE_LENGTH) throw new InvalidSignatureError({ reason: `expected 65 bytes, got ${b.length}`, index });
    out.set(b, PACKED_SIGNATURE_LENGTH * index);
  }
  return bytesToHex(out);
}

export type ConcatMessagesParameters = readonly Hex[];
export type ConcatMessagesReturnType = Hex;

/**
 * `messages[0] ‖ messages[1] ‖ …` (packets for `submit`, marks for `submitMarks`), lowercase. Each must be 0x hex
 * (InvalidHexError naming `messages[i]`); their lengths and contents are not checked here. No messages → `0x`.
 */
export function concatMessages(messages: ConcatMessagesParameters): ConcatMessagesReturnType {
  const parts = messages.map((m, i) => toBytes(m, `messages[${i}]`));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return bytesToHex(out);
}
