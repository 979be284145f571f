import type { DataSource, EntityManager } from 'typeorm';

/**
 * THE dialect module: every raw statement the store runs is handed to the driver here (`execute`, `select`), and every
 * statement shape that is not plain ANSI SQL is built here. A PostgreSQL backend is then an adapter of this file (plus
 * its own data-source options and migrations), not a rewrite of the repositories.
 *
 * SQLite-specific, and where it lives:
 *  - Placeholders are `?` (positional, in order). Repositories write `?` and pass parameters in order; PostgreSQL
 *    wants `$1, $2 …`, which `execute` / `select` would number — the only two functions that pass SQL to the driver.
 *  - `UPDATE … FROM (VALUES (?, ?), …) AS v`: SQLite (≥ 3.33) names the VALUES columns `column1, column2 …` and
 *    infers no types; built only by `updateFromValuesSql` (used by transition-many.ts). PostgreSQL would want a column
 *    list (`AS v(guid, …)`) and casts on the bound values.
 *  - `INSERT … ON CONFLICT (key) DO NOTHING` (SQLite ≥ 3.24; PostgreSQL says the same, MySQL would not): built only by
 *    `insertIgnoringConflictsSql` (used by insert-deposits.ts).
 *  - Affected rows: `execute` asks the query runner for a structured result, whose `affected` the sqlite driver fills
 *    from the statement's `changes` (the compare-and-set counts of transition-many.ts and insert-deposits.ts rely on it).
 *  - A negative LIMIT means "no limit" in SQLite (PostgreSQL: `LIMIT ALL` / `LIMIT NULL`): `limitParameter` is the one
 *    place that turns "-1: all" into the bound LIMIT value.
 *  - Bound variables per statement: `MAX_SQL_VARIABLES`, below SQLite's SQLITE_MAX_VARIABLE_NUMBER (PostgreSQL: 65535).
 *  - Pragmas: `journal_mode = WAL` is set by the sqlite driver from `enableWAL` in data-source-options.ts (the driver's
 *    connection options, inherently per dialect); `synchronous = NORMAL` is `setDurabilityPragmas` below, run by
 *    database.ts on the driver's one connection. Neither exists in PostgreSQL (its WAL is always on).
 *  - Storage conventions that are NOT dialect-specific but matter to an adapter: Date ↔ epoch ms in a 64-bit integer
 *    column (`toSqlValue`, column-transformers.ts `dateMs`), uint64 nonces in a 64-bit integer column
 *    (`bigintInteger`), amounts and 18-decimal values as decimal text. The entities declare those integer columns
 *    `bigint`; the sqlite driver reads and writes them exactly like `integer` (INTEGER affinity), and the transformers
 *    accept the decimal strings a PostgreSQL driver returns for `bigint`.
 *  - The hand-written migrations (store/migrations) are SQLite DDL (`integer PRIMARY KEY AUTOINCREMENT`,
 *    `ALTER TABLE … ADD COLUMN`); a PostgreSQL backend gets its own migration set.
 *  - Left as is, harmless here: `ORDER BY x DESC` puts NULLs last in SQLite, first in PostgreSQL — the only DESC
 *    order on a nullable column (DepositRepository.lastPrices, `valuedAt`) filters on columns set with it.
 *
 * Everything else the store runs — `SELECT … WHERE … IN (?, …)`, multi-row `INSERT … VALUES`, compare-and-set
 * `UPDATE … WHERE "state" = ?`, `COUNT(*) … GROUP BY`, and TypeORM's find / QueryBuilder / upsert, which the driver
 * renders per dialect — is portable as written.
 */

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

/** The bound value of a `LIMIT ?` for "at most `limit` rows, a negative limit: all" (SQLite reads a negative LIMIT as none). */
export function limitParameter(limit: number): number {
  return limit < 0 ? -1 : limit;
}

/** `"a", "b", "c"`: quoted column names (they are interpolated into SQL: callers pass fixed names only). */
function columnList(columns: readonly string[]): string {
  return columns.map((c) => `"${c}"`).join(', ');
}

/** `(?, ?), (?, ?)`: `rows` rows of `columns` placeholders each. */
function valueRows(rows: number, columns: number): string {
  return new Array<string>(rows).fill(placeholders(columns)).join(', ');
}

/** `INSERT INTO "table" ("a", "b") VALUES (?, ?), …` for `rows` rows (parameters row by row). Portable. */
export function insertRowsSql(table: string, columns: readonly string[], rows: number): string {
  return `INSERT INTO "${table}" (${columnList(columns)}) VALUES ${valueRows(rows, columns.length)}`;
}

/**
 * The multi-row insert of `insertRowsSql` that silently skips rows whose `conflictColumn` value exists already
 * (`… ON CONFLICT ("key") DO NOTHING`): `execute` then counts only the rows really inserted.
 */
export function insertIgnoringConflictsSql(table: string, columns: readonly string[], rows: number, conflictColumn: string): string {
  return `${insertRowsSql(table, columns, rows)} ON CONFLICT ("${conflictColumn}") DO NOTHING`;
}

export type UpdateFromValuesParameters = {
  table: string;
  /** The joining column: each VALUES row starts with its value. */
  key: string;
  /** Assignments with their own placeholders, bound before the rows (`"state" = ?`, …). */
  fixed: readonly string[];
  /** Columns set from the VALUES rows, in row order after the key. */
  columns: readonly string[];
  rows: number;
  /** Further conditions on `table`, qualified (`"deposit"."state" = ?`), bound after the rows. */
  where: string;
};

/**
 * `UPDATE "table" SET fixed…, "c" = v.columnN … FROM (VALUES (key, c…), …) AS v WHERE "table"."key" = v.column1 AND
 * where`: one statement giving many rows each their own values. Parameters: the fixed ones, the rows flat, the where's.
 */
export function updateFromValuesSql(p: UpdateFromValuesParameters): string {
  // SQLite names the VALUES columns column1, column2 …; column1 is the key.
  const sets = [...p.fixed, ...p.columns.map((c, i) => `"${c}" = v.column${i + 2}`)].join(', ');
  return `UPDATE "${p.table}" SET ${sets} FROM (VALUES ${valueRows(p.rows, p.columns.length + 1)}) AS v WHERE "${p.table}"."${p.key}" = v.column1 AND ${p.where}`;
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
  return await em.query<T[]>(sql, [...parameters]);
}

/**
 * `synchronous = NORMAL` on the driver's one connection (a file database only; WAL itself comes from `enableWAL`):
 * commits do not wait for an fsync of the WAL, only checkpoints do (database.ts says what that costs). Best effort.
 */
export async function setDurabilityPragmas(dataSource: DataSource): Promise<void> {
  if (dataSource.options.database === ':memory:') return;
  await dataSource.query('PRAGMA synchronous = NORMAL').catch(() => undefined);
}
