import { RiskError, type RiskErrorParameters } from '../errors';

/** A correlation matrix that is not positive semidefinite (no portfolio can have it). */
export class NonPositiveDefiniteMatrixError extends RiskError {
  override readonly name = 'NonPositiveDefiniteMatrixError' as const;
  constructor(args: { row: number; pivot: number }, parameters: RiskErrorParameters = {}) {
    super(`correlation matrix is not positive semidefinite (Cholesky pivot ${args.pivot} at row ${args.row})`, {
      ...parameters,
      details: { ...args },
    });
  }
}
