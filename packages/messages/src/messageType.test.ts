import fc from 'fast-check';
import { creditMessage, markMessage, releaseResultMessage, voidMessage, withdrawalMessage } from '../test-utils/arbitraries';
import { catchError } from '../test-utils/catchError';
import { loadVectors } from '../test-utils/vectors';
import { decodeCreditMessage } from './creditMessage';
import { InvalidFieldError, InvalidHexError, InvalidLengthError, MessagesError, UnsupportedMessageTypeError, UnsupportedVersionError } from './errors';
import { bytesToHex, type Hex } from './hex';
import { decodeMarkMessage } from './markMessage';
import { decodeMessage, encodeMessage } from './message';
import { MESSAGE_LENGTHS, MESSAGE_TYPE_OFFSET, MESSAGE_VERSION, MessageType, VERSION_OFFSET, isMessageType, peekMessageType } from './messageType';

const vectors = loadVectors();

describe('MessageType', () => {
  it('has the values of docs/two-way-book.md', () => {
    expect([MessageType.Credit, MessageType.Withdrawal, MessageType.Revaluation, MessageType.ReleaseResult, MessageType.Void]).toEqual([1, 2, 3, 4, 5]);
    expect([MESSAGE_VERSION, VERSION_OFFSET, MESSAGE_TYPE_OFFSET]).toEqual([1, 0, 1]);
    expect(MESSAGE_LENGTHS).toEqual({ 1: 183, 2: 166, 3: 78, 4: 167, 5: 159 });
  });

  it('isMessageType accepts 1..5 only', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 1.5, '1', -1].map(isMessageType)).toEqual([false, true, true, true, true, true, false, false, false, false]);
  });
});

describe('peekMessageType', () => {
  it('reads byte 1 of every vector body, whatever its validity beyond that', () => {
    for (const v of vectors.creditMessages) expect(peekMessageType(v.message as Hex)).toBe(MessageType.Credit); // vector hex
    for (const v of vectors.withdrawalMessages) expect(peekMessageType(v.message as Hex)).toBe(MessageType.Withdrawal); // vector hex
    for (const v of vectors.releaseResultMessages) expect(peekMessageType(v.message as Hex)).toBe(MessageType.ReleaseResult); // vector hex
    for (const v of vectors.voidMessages) expect(peekMessageType(v.message as Hex)).toBe(MessageType.Void); // vector hex
    for (const v of vectors.markMessages) expect(peekMessageType(v.message as Hex)).toBe(MessageType.Revaluation); // vector hex
    expect(peekMessageType('0x07ff')).toBe(255);
    expect(peekMessageType(new Uint8Array([9, 3, 0]))).toBe(3);
  });

  it.each(['0x', '0x01'])('InvalidLengthError (min 2) for %s', (m) => {
    const e = catchError(() => peekMessageType(m as Hex)); // hex, too short
    expect(e).toBeInstanceOf(InvalidLengthError);
    expect(e).toMatchObject({ expected: 2, actual: (m.length - 2) / 2, comparison: 'min', subject: 'message' });
  });

  it('InvalidHexError for a string that is not hex', () => {
    const e = catchError(() => peekMessageType('0x0g01')); // deliberately not hex
    expect(e).toBeInstanceOf(InvalidHexError);
    expect(e).toMatchObject({ field: 'message' });
  });
});

describe('decodeMessage / encodeMessage', () => {
  const any = fc.oneof(creditMessage, withdrawalMessage, releaseResultMessage, voidMessage, markMessage);

  it('round-trips every type, dispatching on messageType', () => {
    fc.assert(
      fc.property(any, (m) => {
        const hex = encodeMessage(m);
        expect(peekMessageType(hex)).toBe(m.messageType);
        expect(hex.length).toBe(2 + 2 * MESSAGE_LENGTHS[m.messageType]);
        expect(decodeMessage(hex)).toEqual(m);
      }),
      { numRuns: 200 },
    );
  });

  it.each([0, 6, 255])('UnsupportedMessageTypeError (expected null) for type %i', (t) => {
    const e = catchError(() => decodeMessage(`0x01${t.toString(16).padStart(2, '0')}${'00'.repeat(181)}`));
    expect(e).toBeInstanceOf(UnsupportedMessageTypeError);
    expect(e).toMatchObject({ messageType: t, expected: null });
  });

  it('uses the strict decoder of the type: its length, version and field errors', () => {
    const credit = vectors.creditMessages[0]!.message; // ≥ 6 entries
    expect(decodeMessage(credit as Hex)).toEqual(decodeCreditMessage(credit as Hex)); // vector hex
    expect(catchError(() => decodeMessage(`${credit}00` as Hex))).toMatchObject({ name: 'InvalidLengthError', expected: 183 });
    const withdrawal = vectors.withdrawalMessages[0]!.message; // ≥ 5 entries
    expect(catchError(() => decodeMessage(`0x0202${withdrawal.slice(6)}`))).toBeInstanceOf(UnsupportedVersionError);
    const badStatus = vectors.invalidReleaseResultMessages.find((v) => v.name === 'status 0')!; // generated entry
    const e = catchError(() => decodeMessage(badStatus.message as Hex)); // vector hex
    expect(e).toBeInstanceOf(InvalidFieldError);
    expect(e).toMatchObject({ field: 'status' });
  });

  it('dispatches REVALUATION to the mark decoder: its fields, its length and its haircut rule', () => {
    for (const v of vectors.markMessages) expect(decodeMessage(v.message as Hex)).toEqual(decodeMarkMessage(v.message as Hex)); // vector hex
    const mark = vectors.markMessages[0]!.message; // ≥ 5 entries
    expect(catchError(() => decodeMessage(`${mark}00` as Hex))).toMatchObject({ name: 'InvalidLengthError', expected: 78 });
    const overHaircut = vectors.invalidMarkMessages.find((v) => v.error === 'InvalidField')!; // generated entry
    const e = catchError(() => decodeMessage(overHaircut.message as Hex)); // vector hex
    expect(e).toBeInstanceOf(InvalidFieldError);
    expect(e).toMatchObject({ field: 'haircut' });
  });

  it('encodeMessage refuses a runtime value with an unknown messageType', () => {
    const e = catchError(() => encodeMessage({ messageType: 6 } as never)); // deliberately not a message
    expect(e).toBeInstanceOf(UnsupportedMessageTypeError);
    expect(e).toMatchObject({ messageType: 6, expected: null });
  });

  it('random bytes never escape decodeMessage / peekMessageType as anything but a MessagesError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 6 }), (b, t) => {
        if (b.length > 1) {
          b[0] = 1;
          b[1] = t;
        }
        for (const f of [decodeMessage, peekMessageType]) {
          try {
            f(bytesToHex(b));
          } catch (e) {
            expect(e).toBeInstanceOf(MessagesError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
