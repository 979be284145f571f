import type { EntityManager } from 'typeorm';

/**
 * Bound parameters per statement. SQLite's SQLITE_MAX_VARIABLE_NUMBER is 32766 since 3.32 (the bundled sqlite3
 * driver has 3.44); multi-row statements stay well below it.
 */
export const MAX_SQL_VARIABLES = 10_000;

/** A value as SQLite stores it: Date → epoch ms (see column-transformers.ts `dateMs`), everything else as is. */
export function toSqlValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (value === undefined) return null;
  return value;
}

/** `items` in slices of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows per multi-row statement with `columns` parameters each. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(MAX_SQL_VARIABLES / columns));
}

/** `(?, ?, ?)` for `n` parameters. */
export function placeholders(n: number): string {
  return `(${new Array<string>(n).fill('?').join(', ')})`;
}

/**
 * Runs an INSERT / UPDATE / DELETE and returns the number of rows it changed. Uses the transaction's query runner
 * (`em` from Database.write), or a fresh one for the shared manager.
 */
export async function execute(em: EntityManager, sql: string, parameters: readonly unknown[]): Promise<number> {
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, [...parameters], true);
    // With useStructuredResult the sqlite driver returns a QueryResult whose `affected` is the statement's `changes`.
    return Number((result as { affected?: number }).affected ?? 0);
  } finally {
    if (em.queryRunner === undefined) await runner.release();
  }
}

/** Runs a SELECT with bound parameters; rows as the driver returns them (column name → SQLite value). */
export async function select<T>(em: EntityManager, sql: string, parameters: readonly unknown[]): Promise<T[]> {
  // The sqlite driver returns the rows array of `all()`; the caller names the row shape it selected.
  return (await em.query(sql, [...parameters])) as T[];
}
