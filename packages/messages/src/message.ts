/**
 * Any v1 body, by its `messageType` byte: the dispatch the receiver's `submit` does per packet
 * (docs/two-way-book.md). REVALUATION (3) and unknown types are UnsupportedMessageTypeError.
 */
import { type CreditMessage, decodeCreditMessage, encodeCreditMessage } from './creditMessage';
import { UnsupportedMessageTypeError } from './errors';
import type { Hex } from './hex';
import { MessageType, peekMessageType } from './messageType';
import { type ReleaseResultMessage, decodeReleaseResultMessage, encodeReleaseResultMessage } from './releaseResultMessage';
import { type VoidMessage, decodeVoidMessage, encodeVoidMessage } from './voidMessage';
import { type WithdrawalMessage, decodeWithdrawalMessage, encodeWithdrawalMessage } from './withdrawalMessage';

/** Every body with a layout, discriminated by `messageType`. */
export type AnyMessage = CreditMessage | WithdrawalMessage | ReleaseResultMessage | VoidMessage;

export type DecodeMessageParameters = Hex | Uint8Array;
export type DecodeMessageReturnType = AnyMessage;

/**
 * Decodes a body of any known type with that type's strict decoder (its errors: InvalidLengthError,
 * UnsupportedVersionError, InvalidFieldError, …). Fewer than 2 bytes → InvalidLengthError (comparison 'min');
 * REVALUATION or an unknown type → UnsupportedMessageTypeError with `expected` null.
 */
export function decodeMessage(input: DecodeMessageParameters): DecodeMessageReturnType {
  const type = peekMessageType(input);
  switch (type) {
    case MessageType.Credit:
      return decodeCreditMessage(input);
    case MessageType.Withdrawal:
      return decodeWithdrawalMessage(input);
    case MessageType.ReleaseResult:
      return decodeReleaseResultMessage(input);
    case MessageType.Void:
      return decodeVoidMessage(input);
    default:
      throw new UnsupportedMessageTypeError({ messageType: type, expected: null });
  }
}

/** Encodes a body of any known type with that type's encoder. */
export function encodeMessage(msg: AnyMessage): Hex {
  switch (msg.messageType) {
    case MessageType.Credit:
      return encodeCreditMessage(msg);
    case MessageType.Withdrawal:
      return encodeWithdrawalMessage(msg);
    case MessageType.ReleaseResult:
      return encodeReleaseResultMessage(msg);
    case MessageType.Void:
      return encodeVoidMessage(msg);
    default: {
      // Unreachable for a well-typed input; a runtime value may still carry another type.
      const messageType = (msg as { messageType: unknown }).messageType;
      throw new UnsupportedMessageTypeError({ messageType: typeof messageType === 'number' ? messageType : -1, expected: null });
    }
  }
}
