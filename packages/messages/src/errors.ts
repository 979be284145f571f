/**
 * Typed errors of `@ccr/messages`. Every error thrown by this package is a `MessagesError`:
 * a literal `name`, a stable `code` (the string the vector file's `invalidMessages[].error` uses for the three
 * decode failures), a one-line `shortMessage`, optional `details`, and the structured arguments as fields.
 */

/** Stable, never-renamed error codes. The first three are the ones `vectors/credit-messages.json` names. */
export type MessagesErrorCode =
  | 'InvalidLength'
  | 'UnsupportedVersion'
  | 'UnsupportedMessageType'
  | 'NonCanonicalAddress'
  | 'InvalidHex'
  | 'InvalidAddress'
  | 'FieldOutOfRange'
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

/** The `version` byte (of a credit message or of a PacketV1 header) is not one this decoder reads. */
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

/** The `messageType` byte is not CREDIT (1). WITHDRAWAL (2) and REVALUATION (3) are reserved and rejected by v1. */
export class UnsupportedMessageTypeError extends MessagesError {
  override readonly name = 'UnsupportedMessageTypeError' as const;
  override readonly code = 'UnsupportedMessageType' as const;
  readonly messageType: number;

  constructor({ messageType }: { messageType: number }) {
    const reserved = messageType === 2 || messageType === 3;
    super(`Unsupported message type ${messageType}: v1 decoders accept only CREDIT (1).`, {
      code: 'UnsupportedMessageType',
      details: reserved ? `type ${messageType} is reserved for a later version` : undefined,
    });
    this.messageType = messageType;
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

/** A packet header disagrees with the credit message it carries (nonce, srcEid or sender ≠ srcVault). */
export class HeaderMismatchError extends MessagesError {
  override readonly name = 'HeaderMismatchError' as const;
  override readonly code = 'HeaderMismatch' as const;
  readonly field: 'nonce' | 'srcEid' | 'sender';
  /** The value in the packet header. */
  readonly header: string;
  /** The value in the credit message (depositNonce, srcEid or srcVault). */
  readonly body: string;

  constructor({ field, header, body }: { field: 'nonce' | 'srcEid' | 'sender'; header: string; body: string }) {
    super(`Packet header ${field} ${header} does not match the credit message (${body}).`, {
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
