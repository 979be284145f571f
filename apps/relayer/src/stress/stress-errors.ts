import { RelayerError } from '../common/relayer-error';

/** `?scenario=` / `{ scenario }` names no configured scenario (API: 400 naming it and the known ones). */
export class UnknownScenarioError extends RelayerError {
  override readonly name = 'UnknownScenarioError' as const;
  constructor(readonly scenario: string, readonly known: readonly string[]) {
    super(`unknown scenario ${JSON.stringify(scenario)} (known: ${known.length === 0 ? 'none configured' : known.join(', ')})`, { details: { scenario, known } });
  }
}

/** A request's scenario or requirements break a rule (@ccr/risk's InvalidInputError as cause); `field` names the input (API: 400). */
export class InvalidStressInputError extends RelayerError {
  override readonly name = 'InvalidStressInputError' as const;
  constructor(readonly field: string, message: string, cause?: unknown) {
    super(`${field}: ${message}`, { details: { field }, cause });
  }
}

/** `stress.scenariosFile` or `stress.requirementsFile` cannot be read or is invalid (the operator's file: API 500). */
export class StressFileError extends RelayerError {
  override readonly name = 'StressFileError' as const;
  constructor(readonly path: string, message: string, cause?: unknown) {
    super(`${path}: ${message}`, { details: { path }, cause });
  }
}
