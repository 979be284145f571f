import { concatMessages, encodeMarkMessage, type Hex, MESSAGE_VERSION, type MarkMessage, MessageType } from '@ccr/messages';
import type { MarkCandidate } from './decide-mark';

/** Largest mark nonce the receiver stores (uint32; InvalidMark reason 3 above it). */
export const MAX_MARK_NONCE = (1n << 32n) - 1n;

/** One asset's mark to post: which asset, the nonce of its current mark on the receiver, and the new values. */
export type MarkToPost = {
  srcEid: number;
  /** bytes32 (0x lowercase): the token on its source chain. */
  asset: string;
  /** The on-chain mark's nonce (0: none yet); the new mark takes this + 1. */
  currentNonce: bigint;
  candidate: MarkCandidate;
};

export type MarkBatch = {
  marks: MarkMessage[];
  /** Each mark's 78-byte REVALUATION body: what the attesters sign (MarkBatch(bytes[] marks, uint64 validUntil)). */
  bodies: Hex[];
  /** The bodies concatenated: `submitMarks`' `marks` argument. */
  blob: Hex;
};

/** The REVALUATION of one asset: markNonce = on-chain nonce + 1, price and haircut as decided, the oracle's timestamp. */
export function toMarkMessage({ srcEid, asset, currentNonce, candidate }: MarkToPost): MarkMessage {
  return {
    version: MESSAGE_VERSION,
    messageType: MessageType.Revaluation,
    srcEid,
    asset: asset as Hex, // a bytes32 from the asset registry; encodeMarkMessage checks it is 32 bytes of hex
    markNonce: currentNonce + 1n,
    price: candidate.price,
    priceTimestamp: candidate.priceTimestamp,
    haircut: candidate.haircut,
  };
}

/**
 * One batch of every mark to post this round, in the order given (the receiver takes them in any order; one mark per
 * asset). Each body is encoded by @ccr/messages (range checks: FieldOutOfRangeError / InvalidFieldError name the field).
 */
export function buildMarkBatch(items: readonly MarkToPost[]): MarkBatch {
  const marks = items.map(toMarkMessage);
  const bodies = marks.map((m) => encodeMarkMessage(m));
  return { marks, bodies, blob: concatMessages(bodies) };
}
