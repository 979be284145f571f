/**
 * Typed errors of `@ccr/messages`. Every error thrown by this package is a `MessagesError`:
 * a literal `name`, a stable `code` (the string the vector file's `invalidMessages[].error` uses for the three
 * decode failures), a one-line `shortMessage`, optional `details`, and the structured arguments as fields.
 */

/**
 * Stable, never-renamed error codes. `InvalidLength`, `UnsupportedVersion`, `UnsupportedMessageType` and `InvalidField`
 * are the ones the vector file's `invalid*Messages[].error` names.
 */
export type MessagesErrorCode =
  | 'InvalidLength'
  | 'UnsupportedVersion'
  | 'UnsupportedMessageType'
  | 'NonCanonicalAddress'
  | 'InvalidHex'
  | 'InvalidAddress'
  | 'FieldOutOfRange'
  | 'InvalidField'
  | 'GuidMismatch'
  | 'HeaderMismatch'
  | 'InvalidSignature'
  | 'SignerOrder';

export type MessagesErrorOptions = {
  code: MessagesErrorCode;
  details?: string | undefined;
  cause?: unknown;
};

export class MessagesError extends Error {
  override name: string = 'MessagesError';
  readonly code: MessagesErrorCode;
  readonly shortMessage: string;
  readonly details: string | undefined;
  override readonly cause: unknown;

  constructor(shortMessage: string, options: MessagesErrorOptions) {
    const causeMessage = options.cause instanceof Error ? options.cause.message : undefined;
    const lines = [shortMessage];
    if (options.details !== undefined) lines.push('', `Details: ${options.details}`);
    if (causeMessage !== undefined && causeMessage !== options.details) lines.push(`Cause: ${causeMessage}`);
    super(lines.join('\n'));
    this.code = options.code;
    this.shortMessage = shortMessage;
    this.details = options.details;
    this.cause = options.cause;
  }
}

/** What was being read or written when a length check failed. */
export type LengthSubject = 'message' | 'packet' | 'bytes32' | 'signature' | 'address' | (string & {});

/** A byte string has the wrong length. `comparison: 'min'` means "at least `expected`". */
export class InvalidLengthError extends MessagesError {
  override readonly name = 'InvalidLengthError' as const;
  override readonly code = 'InvalidLength' as const;
  readonly expected: number;
  readonly actual: number;
  readonly subject: LengthSubject;
  readonly comparison: 'exact' | 'min';

  constructor({
    expected,
    actual,
    subject = 'message',
    comparison = 'exact',
  }: {
    expected: number;
    actual: number;
    subject?: LengthSubject;
    comparison?: 'exact' | 'min';
  }) {
    const want = comparison === 'min' ? `at least ${expected}` : `${expected}`;
    super(`Invalid ${subject} length: expected ${want} bytes, got ${actual}.`, { code: 'InvalidLength' });
    this.expected = expected;
    this.actual = actual;
    this.subject = subject;
    this.comparison = comparison;
  }
}

/** The `version` byte (of a message body or of a PacketV1 header) is not one this decoder reads. */
export class UnsupportedVersionError extends MessagesError {
  override readonly name = 'UnsupportedVersionError' as const;
  override readonly code = 'UnsupportedVersion' as const;
  readonly version: number;
  readonly supported: number;
  readonly subject: 'message' | 'packet';

  constructor({ version, supported = 1, subject = 'message' }: { version: number; supported?: number; subject?: 'message' | 'packet' }) {
    super(`Unsupported ${subject} version ${version}: this decoder reads version ${supported}.`, {
      code: 'UnsupportedVersion',
    });
    this.version = version;
    this.supported = supported;
    this.subject = subject;
  }
}

/** Wire names of the message types (docs/two-way-book.md), for error messages. Kept here to avoid an import cycle. */
const MESSAGE_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'CREDIT',
  2: 'WITHDRAWAL',
  3: 'REVALUATION',
  4: 'RELEASE_RESULT',
  5: 'VOID',
};

/**
 * The `messageType` byte is not the one the decoder reads (`expected`, CREDIT (1) unless said otherwise), or not a
 * type this package knows at all. `details` names the type found when it is known, unless the thrower says more
 * (e.g. that a REVALUATION is never carried in a packet).
 */
export class UnsupportedMessageTypeError extends MessagesError {
  override readonly name = 'UnsupportedMessageTypeError' as const;
  override readonly code = 'UnsupportedMessageType' as const;
  readonly messageType: number;
  /** The type the decoder reads; null for a decoder of every known type (`decodeMessage`, `decodeMessagePacket`). */
  readonly expected: number | null;

  constructor({ messageType, expected = 1, details }: { messageType: number; expected?: number | null; details?: string }) {
    const want =
      expected === null
        ? 'this decoder accepts only the known message types'
        : `this decoder accepts only ${MESSAGE_TYPE_NAMES[expected] ?? 'type'} (${expected})`;
    const known = MESSAGE_TYPE_NAMES[messageType];
    super(`Unsupported message type ${messageType}: ${want}.`, {
      code: 'UnsupportedMessageType',
      details: details ?? (known === undefined ? undefined : `type ${messageType} is ${known}`),
    });
    this.messageType = messageType;
    this.expected = expected;
  }
}

/** A bytes32 read as an EVM address does not start with 12 zero bytes. */
export class NonCanonicalAddressError extends MessagesError {
  override readonly name = 'NonCanonicalAddressError' as const;
  override readonly code = 'NonCanonicalAddress' as const;
  readonly value: string;

  constructor({ value }: { value: string }) {
    super(`Non-canonical EVM address in bytes32: ${value}.`, {
      code: 'NonCanonicalAddress',
      details: 'an EVM address in a bytes32 is 12 zero bytes followed by the 20 address bytes',
    });
    this.value = value;
  }
}

/** A string that should be 0x-prefixed, even-length hex is not. */
export class InvalidHexError extends MessagesError {
  override readonly name = 'InvalidHexError' as const;
  override readonly code = 'InvalidHex' as const;
  readonly value: string;
  readonly field: string | undefined;

  constructor({ value, field }: { value: string; field?: string | undefined }) {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    super(`Invalid hex${field === undefined ? '' : ` for ${field}`}: "${shown}".`, {
      code: 'InvalidHex',
      details: 'expected a 0x-prefixed string with an even number of hex digits',
    });
    this.value = value;
    this.field = field;
  }
}

/** A string is neither an EVM address, a bytes32, nor a 32-byte base58 (Solana) public key. */
export class InvalidAddressError extends MessagesError {
  override readonly name = 'InvalidAddressError' as const;
  override readonly code = 'InvalidAddress' as const;
  readonly value: string;

  constructor({ value, details, cause }: { value: string; details?: string; cause?: unknown }) {
    super(`Invalid address: "${value}".`, { code: 'InvalidAddress', details, cause });
    this.value = value;
  }
}

/** An integer field does not fit its wire type (uint8/uint32/uint64/uint128), or is not an integer at all. */
export class FieldOutOfRangeError extends MessagesError {
  override readonly name = 'FieldOutOfRangeError' as const;
  override readonly code = 'FieldOutOfRange' as const;
  readonly field: string;
  readonly min: bigint;
  readonly max: bigint;
  readonly value: unknown;

  constructor({ field, max, min = 0n, value }: { field: string; max: bigint; min?: bigint; value: unknown }) {
    super(`Field "${field}" out of range: ${String(value)} is not an integer in [${min}, ${max}].`, {
      code: 'FieldOutOfRange',
    });
    this.field = field;
    this.min = min;
    this.max = max;
    this.value = value;
  }
}

/**
 * A field is in range for its wire type but breaks a rule of its message (docs/two-way-book.md, docs/credit-message.md):
 * e.g. a WITHDRAWAL `rawAmount` of 0 or `recipient` of zero, a RELEASE_RESULT `status` ∉ {1, 2}, a VOID
 * `reason` ∉ {1, 2, 3}, a REVALUATION `haircut` > 1e18.
 * Thrown by the decoders (after length, version and type) and by the encoders.
 */
export class InvalidFieldError extends MessagesError {
  override readonly name = 'InvalidFieldError' as const;
  override readonly code = 'InvalidField' as const;
  readonly field: string;
  /** The value found, as a string (decimal for integers, 0x hex for bytes). */
  readonly value: string;
  /** The rule it breaks, e.g. "must be > 0". */
  readonly rule: string;

  constructor({ field, value, rule }: { field: string; value: string; rule: string }) {
    super(`Invalid field "${field}": ${value} ${rule}.`, { code: 'InvalidField' });
    this.field = field;
    this.value = value;
    this.rule = rule;
  }
}

/** A packet's guid is not keccak256(nonce ‖ srcEid ‖ sender ‖ dstEid ‖ receiver) of its own header. */
export class GuidMismatchError extends MessagesError {
  override readonly name = 'GuidMismatchError' as const;
  override readonly code = 'GuidMismatch' as const;
  readonly expected: string;
  readonly actual: string;

  constructor({ expected, actual }: { expected: string; actual: string }) {
    super(`Packet guid ${actual} does not match its header (expected ${expected}).`, { code: 'GuidMismatch' });
    this.expected = expected;
    this.actual = actual;
  }
}

/** A packet header field that must equal a field of the message it carries. */
export type HeaderField = 'nonce' | 'srcEid' | 'sender' | 'dstEid' | 'receiver';

/**
 * A packet header disagrees with the message it carries: for a CREDIT, VOID or RELEASE_RESULT the nonce, srcEid or
 * sender (= the message's nonce, srcEid, srcVault); for a WITHDRAWAL the nonce, dstEid or receiver (= withdrawalNonce,
 * vaultEid, vault).
 */
export class HeaderMismatchError extends MessagesError {
  override readonly name = 'HeaderMismatchError' as const;
  override readonly code = 'HeaderMismatch' as const;
  readonly field: HeaderField;
  /** The value in the packet header. */
  readonly header: string;
  /** The value in the message (e.g. depositNonce, srcEid or srcVault). */
  readonly body: string;

  constructor({ field, header, body }: { field: HeaderField; header: string; body: string }) {
    super(`Packet header ${field} ${header} does not match the message (${body}).`, {
      code: 'HeaderMismatch',
    });
    this.field = field;
    this.header = header;
    this.body = body;
  }
}

/** A signature is malformed (not 65 bytes, v ∉ {27, 28}, high s, zero r/s), does not recover, or recovers the wrong signer. */
export class InvalidSignatureError extends MessagesError {
  override readonly name = 'InvalidSignatureError' as const;
  override readonly code = 'InvalidSignature' as const;
  readonly index: number | undefined;
  readonly reason: string;

  constructor({ reason, index, cause }: { reason: string; index?: number | undefined; cause?: unknown }) {
    super(`Invalid signature${index === undefined ? '' : ` at index ${index}`}: ${reason}.`, {
      code: 'InvalidSignature',
      cause,
    });
    this.index = index;
    this.reason = reason;
  }
}

/** Signers are not strictly increasing by address (duplicate or out of order); the receiver would reject the batch. */
export class SignerOrderError extends MessagesError {
  override readonly name = 'SignerOrderError' as const;
  override readonly code = 'SignerOrder' as const;
  readonly index: number;
  readonly previous: string;
  readonly current: string;

  constructor({ index, previous, current }: { index: number; previous: string; current: string }) {
    const duplicate = previous.toLowerCase() === current.toLowerCase();
    super(
      `Signer at index ${index} (${current}) is ${duplicate ? 'a duplicate of' : 'not greater than'} the previous signer (${previous}).`,
      { code: 'SignerOrder', details: 'signatures must be ordered by strictly increasing signer address' },
    );
    this.index = index;
    this.previous = previous;
    this.current = current;
  }
}
