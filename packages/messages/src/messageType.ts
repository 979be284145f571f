/**
 * What every message body shares (docs/two-way-book.md, "Message types"): `version` (1) at offset 0 and
 * `messageType` at offset 1. The per-type layouts are in creditMessage.ts, withdrawalMessage.ts, markMessage.ts,
 * releaseResultMessage.ts and voidMessage.ts.
 */
import { InvalidLengthError } from './errors';
import { toBytes, type Hex } from './hex';

/** The version byte of every v1 body. */
export const MESSAGE_VERSION = 1 as const;

// Offsets (bytes) common to every body — keep identical to the Solidity libraries.
export const VERSION_OFFSET = 0; //      uint8
export const MESSAGE_TYPE_OFFSET = 1; // uint8

/**
 * Message types, persisted on both chains: only ever extended. CREDIT, WITHDRAWAL, RELEASE_RESULT and VOID travel in
 * a LayerZero PacketV1; REVALUATION (3), an attested asset mark, does not (it is signed in a MarkBatch of its own).
 */
export enum MessageType {
  Credit = 1,
  Withdrawal = 2,
  Revaluation = 3,
  ReleaseResult = 4,
  Void = 5,
}

/** Body length of each type. */
export const MESSAGE_LENGTHS: Readonly<Record<MessageType, number>> = {
  [MessageType.Credit]: 183,
  [MessageType.Withdrawal]: 166,
  [MessageType.Revaluation]: 78,
  [MessageType.ReleaseResult]: 167,
  [MessageType.Void]: 159,
};

export type PeekMessageTypeParameters = Hex | Uint8Array;
/** The raw byte: a `MessageType` if the sender is well-behaved, any uint8 otherwise (check with `isMessageType`). */
export type PeekMessageTypeReturnType = number;

/**
 * The `messageType` byte (offset 1) of a body, without decoding or checking anything else (not even the version):
 * to choose the decoder. InvalidLengthError (comparison 'min') if shorter than 2 bytes; InvalidHexError for a string
 * that is not 0x hex.
 */
export function peekMessageType(message: PeekMessageTypeParameters): PeekMessageTypeReturnType {
  const b = toBytes(message, 'message');
  const type = b[MESSAGE_TYPE_OFFSET];
  if (type === undefined) {
    throw new InvalidLengthError({ expected: MESSAGE_TYPE_OFFSET + 1, actual: b.length, subject: 'message', comparison: 'min' });
  }
  return type;
}

/** True when `value` is one of the `MessageType` values (1 to 5). */
export function isMessageType(value: unknown): value is MessageType {
  const first: number = MessageType.Credit;
  const last: number = MessageType.Void;
  return typeof value === 'number' && value >= first && value <= last && Number.isInteger(value);
}
