/**
 * Any v1 body, by its `messageType` byte: the bodies the receiver's `submit` dispatches per packet (CREDIT, VOID,
 * RELEASE_RESULT), the vault's WITHDRAWAL (docs/two-way-book.md), and the REVALUATION mark that `submitMarks` takes
 * outside any packet (docs/credit-message.md). Unknown types are UnsupportedMessageTypeError.
 */
import { type CreditMessage, decodeCreditMessage, encodeCreditMessage } from './creditMessage';
import { UnsupportedMessageTypeError } from './errors';
import type { Hex } from './hex';
import { type MarkMessage, decodeMarkMessage, encodeMarkMessage } from './markMessage';
import { isMessageType, MessageType, peekMessageType } from './messageType';
import { type ReleaseResultMessage, decodeReleaseResultMessage, encodeReleaseResultMessage } from './releaseResultMessage';
import { type VoidMessage, decodeVoidMessage, encodeVoidMessage } from './voidMessage';
import { type WithdrawalMessage, decodeWithdrawalMessage, encodeWithdrawalMessage } from './withdrawalMessage';

/**
 * Every body that travels in a LayerZero PacketV1, discriminated by `messageType`: each has a packet nonce and path
 * its fields repeat (packet.ts checks them). A REVALUATION has neither, so it is not one of these: see `AnyBody`.
 */
export type AnyMessage = CreditMessage | WithdrawalMessage | ReleaseResultMessage | VoidMessage;

/** Every body with a layout: the packet bodies and the REVALUATION mark. */
export type AnyBody = AnyMessage | MarkMessage;

export type DecodeMessageParameters = Hex | Uint8Array;
export type DecodeMessageReturnType = AnyBody;

/**
 * Decodes a body of any known type with that type's strict decoder (its errors: InvalidLengthError,
 * UnsupportedVersionError, InvalidFieldError, …). Fewer than 2 bytes → InvalidLengthError (comparison 'min'); an
 * unknown type → UnsupportedMessageTypeError with `expected` null.
 */
export function decodeMessage(input: DecodeMessageParameters): DecodeMessageReturnType {
  const type = peekMessageType(input);
  if (!isMessageType(type)) throw new UnsupportedMessageTypeError({ messageType: type, expected: null });
  switch (type) {
    case MessageType.Credit:
      return decodeCreditMessage(input);
    case MessageType.Withdrawal:
      return decodeWithdrawalMessage(input);
    case MessageType.Revaluation:
      return decodeMarkMessage(input);
    case MessageType.ReleaseResult:
      return decodeReleaseResultMessage(input);
    case MessageType.Void:
      return decodeVoidMessage(input);
  }
}

/** Encodes a body of any known type with that type's encoder. */
export function encodeMessage(msg: AnyBody): Hex {
  switch (msg.messageType) {
    case MessageType.Credit:
      return encodeCreditMessage(msg);
    case MessageType.Withdrawal:
      return encodeWithdrawalMessage(msg);
    case MessageType.Revaluation:
      return encodeMarkMessage(msg);
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
