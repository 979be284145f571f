/**
 * The tests every fixed-layout body (WITHDRAWAL, RELEASE_RESULT, VOID, REVALUATION) must pass, parametrised by its
 * codec: vector replay both ways, the invalid vectors by error class and field, the layout against the spec table,
 * round trips, the independent solidityPacked encoding, and random input never escaping as anything but a
 * MessagesError.
 */
import fc from 'fast-check';
import {
  FieldOutOfRangeError,
  type Hex,
  InvalidFieldError,
  InvalidHexError,
  InvalidLengthError,
  MessagesError,
  UnsupportedMessageTypeError,
  UnsupportedVersionError,
  bytesToHex,
} from '../src';
import type { InvalidMessageJson } from '../scripts/gen-vectors';
import { catchError } from './catchError';

const ERROR_CLASSES = {
  InvalidLength: InvalidLengthError,
  UnsupportedVersion: UnsupportedVersionError,
  UnsupportedMessageType: UnsupportedMessageTypeError,
  InvalidField: InvalidFieldError,
} as const;

export type BodySuite<M extends { version: number; messageType: number }, J> = {
  title: string;
  type: number;
  length: number;
  /** [field, offset, size] in spec order, version and messageType included. */
  layout: readonly (readonly [string, number, number])[];
  encode: (m: M) => Hex;
  decode: (input: Hex | Uint8Array) => M;
  toJson: (m: M) => J;
  fromJson: (j: J) => M;
  packed: (m: M) => string;
  arbitrary: fc.Arbitrary<M>;
  vectors: readonly { name: string; fields: J; message: string }[];
  invalid: readonly InvalidMessageJson[];
  /** Integer fields: [field, bits, runtime kind]. */
  integers: readonly (readonly [keyof M & string, 8 | 32 | 64 | 128, 'bigint' | 'number'])[];
  bytes32: readonly (keyof M & string)[];
  /** Makes random bytes of the right length satisfy the field rules (so decode → encode is the identity). */
  makeValid: (b: Uint8Array) => void;
  sample: M;
};

export function bodySuite<M extends { version: number; messageType: number }, J>(s: BodySuite<M, J>): void {
  describe(`${s.title}: layout`, () => {
    it('offsets are contiguous from 0 to the body length, as the spec table', () => {
      let next = 0;
      for (const [, offset, size] of s.layout) {
        expect(offset).toBe(next);
        next = offset + size;
      }
      expect(next).toBe(s.length);
    });

    it('puts each field at its offset (encode a sample, read the bytes back)', () => {
      const hex = s.encode(s.sample);
      expect(hex.length).toBe(2 + 2 * s.length);
      const json = s.toJson(s.sample) as Record<string, unknown>; // a flat JSON object
      for (const [field, offset, size] of s.layout) {
        const slice = `0x${hex.slice(2 + 2 * offset, 2 + 2 * (offset + size))}`;
        const value = json[field];
        if (typeof value === 'number' || (typeof value === 'string' && !value.startsWith('0x'))) expect([field, BigInt(slice)]).toEqual([field, BigInt(value)]);
        else expect([field, slice]).toEqual([field, value]);
      }
    });
  });

  describe(`${s.title}: vector file`, () => {
    it('has at least 5 valid entries', () => {
      expect(s.vectors.length).toBeGreaterThanOrEqual(5);
    });

    it.each(s.vectors.map((v) => [v.name, v] as const))('%s: fields → bytes (codec and solidityPacked) equals the file', (_n, v) => {
      const m = s.fromJson(v.fields);
      expect(s.encode(m)).toBe(v.message);
      expect(s.packed(m)).toBe(v.message);
    });

    it.each(s.vectors.map((v) => [v.name, v] as const))('%s: bytes → fields equals the file (hex and Uint8Array)', (_n, v) => {
      const decoded = s.decode(v.message as Hex); // vector bytes are 0x hex
      expect(s.toJson(decoded)).toEqual(v.fields);
      expect(s.decode(Uint8Array.from(Buffer.from(v.message.slice(2), 'hex')))).toEqual(decoded);
    });

    it('invalid entries cover length, version, every other type and the field rules', () => {
      const errors = new Set(s.invalid.map((v) => v.error));
      expect(errors).toEqual(new Set(['InvalidLength', 'UnsupportedVersion', 'UnsupportedMessageType', 'InvalidField']));
      const types = s.invalid.filter((v) => v.error === 'UnsupportedMessageType').map((v) => parseInt(v.message.slice(4, 6), 16));
      for (const t of [0, 1, 2, 3, 4, 5, 255].filter((x) => x !== s.type)) expect(types).toContain(t);
    });

    it.each(s.invalid.map((v) => [v.name, v] as const))('invalid: %s', (_n, v) => {
      const e = catchError(() => s.decode(v.message as Hex)); // vector bytes are 0x hex
      expect(e).toBeInstanceOf(ERROR_CLASSES[v.error]);
      expect(e).toMatchObject({ code: v.error });
      if (v.error === 'InvalidField') expect(e).toMatchObject({ field: v.field });
      if (v.error === 'InvalidLength') expect(e).toMatchObject({ expected: s.length, actual: (v.message.length - 2) / 2, subject: 'message' });
      if (v.error === 'UnsupportedMessageType') expect(e).toMatchObject({ expected: s.type, messageType: parseInt(v.message.slice(4, 6), 16) });
      if (v.error === 'UnsupportedVersion') expect(e).toMatchObject({ version: parseInt(v.message.slice(2, 4), 16) });
    });
  });

  describe(`${s.title}: encode checks`, () => {
    it('refuses version ≠ 1 and the wrong messageType', () => {
      const v = catchError(() => s.encode({ ...s.sample, version: 2 }));
      expect(v).toBeInstanceOf(UnsupportedVersionError);
      expect(v).toMatchObject({ version: 2 });
      const t = catchError(() => s.encode({ ...s.sample, messageType: 1 }));
      expect(t).toBeInstanceOf(UnsupportedMessageTypeError);
      expect(t).toMatchObject({ messageType: 1, expected: s.type });
    });

    const outOfRange = s.integers.flatMap(([field, bits, kind]) => {
      const max = (1n << BigInt(bits)) - 1n;
      const wrongKind: unknown = kind === 'bigint' ? 5 : 5n;
      const over: unknown = kind === 'bigint' ? max + 1n : Number(max) + 1;
      const negative: unknown = kind === 'bigint' ? -1n : -1;
      return [over, negative, wrongKind].map((value) => [field, value, max] as const);
    });
    it.each(outOfRange)('FieldOutOfRangeError names %s = %p', (field, value, max) => {
      // Deliberately wrong values: the encoder must refuse them at runtime.
      const e = catchError(() => s.encode({ ...s.sample, [field]: value }));
      expect(e).toBeInstanceOf(FieldOutOfRangeError);
      expect(e).toMatchObject({ field, max, value });
    });

    it.each(s.bytes32.map((f) => [f] as const))('bytes32 %s: wrong length → InvalidLengthError, not hex → InvalidHexError, naming it', (field) => {
      const short = catchError(() => s.encode({ ...s.sample, [field]: `0x${'bb'.repeat(20)}` }));
      expect(short).toBeInstanceOf(InvalidLengthError);
      expect(short).toMatchObject({ subject: field, expected: 32, actual: 20 });
      const bad = catchError(() => s.encode({ ...s.sample, [field]: `0x${'zz'.repeat(32)}` }));
      expect(bad).toBeInstanceOf(InvalidHexError);
      expect(bad).toMatchObject({ field });
    });

    it('decode returns bytes32 fields lowercase from uppercase hex', () => {
      const hex = s.encode(s.sample);
      expect(s.decode(`0x${hex.slice(2).toUpperCase()}`)).toEqual(s.decode(hex));
    });
  });

  describe(`${s.title}: properties`, () => {
    it('encode → decode is the identity, and equals solidityPacked', () => {
      fc.assert(
        fc.property(s.arbitrary, (m) => {
          const hex = s.encode(m);
          expect(hex.length).toBe(2 + 2 * s.length);
          expect(hex).toBe(s.packed(m));
          expect(s.decode(hex)).toEqual(m);
          expect(s.fromJson(s.toJson(m))).toEqual(m);
        }),
        { numRuns: 200 },
      );
    });

    it('decode → encode is the identity on valid bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: s.length, maxLength: s.length }), (b) => {
          b[0] = 1;
          b[1] = s.type;
          s.makeValid(b);
          expect(s.encode(s.decode(b))).toBe(bytesToHex(b));
        }),
        { numRuns: 200 },
      );
    });

    it('random bytes of any length never escape the decoder as anything but a MessagesError', () => {
      const nearValid = fc.uint8Array({ minLength: s.length - 2, maxLength: s.length + 2 }).chain((b) =>
        fc.boolean().map((withType) => {
          b[0] = 1;
          if (withType) b[1] = s.type;
          return b;
        }),
      );
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), nearValid), fc.boolean(), (b, asHex) => {
          try {
            s.decode(asHex ? bytesToHex(b) : b);
          } catch (e) {
            expect(e).toBeInstanceOf(MessagesError);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('random strings never escape the decoder as anything but a MessagesError', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 400 }), (str) => {
          try {
            s.decode(str as Hex); // arbitrary runtime input
          } catch (e) {
            expect(e).toBeInstanceOf(MessagesError);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
}
