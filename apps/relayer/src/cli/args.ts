import { InvalidArgumentError } from 'commander';

/** A commander argument parser for an integer in [min, max] (else: `error: … argument 'x' is invalid. expected …`, exit 2). */
export function intArg(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return Number(value);
  };
}

/** A commander parser accepting one of `values` (without listing them all in the help: an invalid one lists them, exit 2). */
export function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    // widened to string[] only to ask whether any string is one of them
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return value as T; // includes() just found it among `values`
  };
}

/** A 32-byte GUID (0x + 64 hex digits), lowercased. */
export function guidArg(value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InvalidArgumentError('expected a 32-byte GUID (0x and 64 hex digits)');
  return value.toLowerCase();
}
