import { inspect } from 'node:util';

/**
 * A private key that cannot leak by accident: JSON, string conversion and util.inspect all print
 * `[redacted …]`. Only `reveal()` gives the key, and only the signer factories call it.
 */
export class SecretKey {
  readonly #value: string;
  /** Where the key came from, e.g. `env ATTESTER_KEY_0` (safe to print). */
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return `[redacted ${this.source}]`;
  }

  toString(): string {
    return this.toJSON();
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}
