import { InvalidInputError } from '../errors';
import { join } from '../fieldPath';
import { NonPositiveDefiniteMatrixError } from './errors';

/** Tolerance for symmetry, the unit diagonal and zero Cholesky pivots. */
export const MATRIX_TOLERANCE = 1e-9;

/**
 * Throws InvalidInputError (naming `field[i][j]`) unless the matrix is n×n, finite, symmetric, has a unit
 * diagonal and entries in [−1, 1]; then NonPositiveDefiniteMatrixError unless it is positive semidefinite.
 * Returns its (lower) Cholesky factor.
 */
export function validateCorrelationMatrix(matrix: readonly (readonly number[])[], n: number, field = 'correlation'): number[][] {
  if (matrix.length !== n) throw new InvalidInputError(`expected ${n} rows, got ${matrix.length}`, { field });
  matrix.forEach((row, i) => {
    const rowField = join(field, i);
    if (row.length !== n) throw new InvalidInputError(`expected ${n} columns, got ${row.length}`, { field: rowField });
    row.forEach((x, j) => {
      const at = join(rowField, j);
      if (!Number.isFinite(x) || x < -1 || x > 1) throw new InvalidInputError(`correlation must be in [−1, 1], got ${x}`, { field: at });
      if (i === j && Math.abs(x - 1) > MATRIX_TOLERANCE) throw new InvalidInputError(`diagonal must be 1, got ${x}`, { field: at });
      if (Math.abs(x - matrix[j]![i]!) > MATRIX_TOLERANCE)
        throw new InvalidInputError(`matrix must be symmetric: [${i}][${j}] = ${x}, [${j}][${i}] = ${matrix[j]![i]}`, { field: at });
    });
  });
  return cholesky(matrix);
}

/**
 * Lower-triangular L with L·Lᵀ = A for a symmetric positive semidefinite A. A zero pivot (within tolerance) is
 * accepted when the rest of its column is zero too (semidefinite: perfectly correlated assets); a negative pivot,
 * or a zero pivot with a non-zero column below it, throws NonPositiveDefiniteMatrixError.
 */
export function cholesky(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const L: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const tol = MATRIX_TOLERANCE * Math.max(1, n);
  for (let j = 0; j < n; j++) {
    const Lj = L[j]!;
    let pivot = a[j]![j]!;
    for (let k = 0; k < j; k++) pivot -= Lj[k]! * Lj[k]!;
    if (pivot < -tol) throw new NonPositiveDefiniteMatrixError({ row: j, pivot });
    const zeroPivot = pivot <= tol;
    const ljj = zeroPivot ? 0 : Math.sqrt(pivot);
    Lj[j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const Li = L[i]!;
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= Li[k]! * Lj[k]!;
      if (zeroPivot) {
        if (Math.abs(s) > Math.sqrt(tol)) throw new NonPositiveDefiniteMatrixError({ row: j, pivot });
        Li[j] = 0;
      } else {
        Li[j] = s / ljj;
      }
    }
  }
  return L;
}
