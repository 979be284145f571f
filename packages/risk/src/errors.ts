/**
 * Every error the risk package throws extends RiskError: a literal `name`, a one-line `shortMessage`,
 * the structured `details` that caused it and, for input errors, the `field` path that was wrong.
 */
export type RiskErrorParameters = {
  field?: string | undefined;
  details?: Record<string, unknown> | undefined;
  cause?: unknown;
};

export abstract class RiskError extends Error {
  abstract override readonly name: string;
  readonly shortMessage: string;
  readonly field: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(shortMessage: string, parameters: RiskErrorParameters = {}) {
    super(parameters.field === undefined ? shortMessage : `${parameters.field}: ${shortMessage}`, { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.field = parameters.field;
    this.details = parameters.details ?? {};
  }

  toJSON(): Record<string, unknown> {
    return { error: this.name, message: this.shortMessage, field: this.field, details: stringifyBigints(this.details) };
  }
}

/** A value that is not a valid decimal, is out of range, or is not finite. */
export class InvalidNumberError extends RiskError {
  override readonly name = 'InvalidNumberError' as const;
}

/** An input or configuration that breaks a rule (ltv ≤ lt ≤ 1, ordered tiers, …). */
export class InvalidInputError extends RiskError {
  override readonly name = 'InvalidInputError' as const;
}

/** Two amounts of different assets were combined. */
export class AssetMismatchError extends RiskError {
  override readonly name = 'AssetMismatchError' as const;
}

function stringifyBigints(value: Record<string, unknown>): Record<string, unknown> {
  // The JSON round trip of a plain object is a plain object.
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
}
