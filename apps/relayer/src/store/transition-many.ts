import type { EntityManager } from 'typeorm';
import { RelayerError, toJsonSafe } from '../common/relayer-error';
import type { DepositState } from './deposit-state';
import { ALL_KINDS, kindsAllowing } from './message-kind';
import { IllegalTransitionError, StaleStateError } from './store-errors';
import { HISTORY_COLUMNS } from './history-columns';
import { chunked, execute, insertRowsSql, placeholders, rowsPerStatement, select, toSqlValue, updateFromValuesSql } from './sql';
import type { DepositPatch } from './transition';

/** One deposit of a bulk transition: its own history detail and fields, on top of the shared ones. */
export type TransitionItem = {
  guid: string;
  detail?: Record<string, unknown> | undefined;
  patch?: DepositPatch | undefined;
};

export type TransitionManyParameters = {
  /** The state every item must still be in (compare-and-set); the whole call fails if one is not. */
  from: DepositState;
  to: DepositState;
  reason?: string | null | undefined;
  /** History detail for items without their own. */
  detail?: Record<string, unknown> | undefined;
  /** Fields set on every item (an item's own patch wins). */
  patch?: DepositPatch | undefined;
  items: readonly TransitionItem[];
  at: Date;
};

/** The same GUID twice in one bulk transition (its compare-and-set count could not be checked). */
export class DuplicateTransitionError extends RelayerError {
  override readonly name = 'DuplicateTransitionError' as const;
  constructor(readonly guid: string) {
    super(`deposit ${guid} appears twice in one bulk transition`, { details: { guid } });
  }
}

/** Columns a patch may set (DepositPatch keys): names are interpolated into SQL, so only these. */
const PATCH_COLUMNS: ReadonlySet<string> = new Set<keyof DepositPatch>([
  'reasonDetail',
  'symbol',
  'assetDecimals',
  'price',
  'priceTimestamp',
  'haircut',
  'sizeWeight',
  'haircutValue',
  'valuedAt',
  'batchId',
  'creditTxHash',
  'attempts',
  'nextAttemptAt',
  'creditedAt',
  'blockNumber',
  'blockHash',
  'txHash',
  'logIndex',
  'depositor',
  'account',
  'token',
  'amount',
  'deliveredBlock',
  'voidReason',
]);

function columnsOf(patch: Record<string, unknown>): string[] {
  const keys = Object.keys(patch)
    .filter((k) => patch[k] !== undefined)
    .sort();
  for (const k of keys) if (!PATCH_COLUMNS.has(k)) throw new RangeError(`not a patchable deposit column: ${k}`);
  return keys;
}

/**
 * Many deposits `from` → `to` in the caller's transaction `em`: the legal-transition check once, one compare-and-set
 * UPDATE per slice (`… WHERE state = from AND guid IN (…)`, or an UPDATE … FROM (VALUES …), sql.ts
 * `updateFromValuesSql`, when items carry their own fields) whose changed-row count must equal the slice size —
 * otherwise StaleStateError is thrown and the caller's transaction rolls back, nothing half-done — and one multi-row
 * INSERT of the history rows. The same contract as
 * `transition()` (which is this with one item), in a handful of statements instead of two per deposit.
 */
export async function transitionMany(em: EntityManager, p: TransitionManyParameters): Promise<void> {
  if (p.items.length === 0) return;
  // Legality is per kind (store/message-kind.ts): the compare-and-set only matches rows of a kind allowing from → to,
  // so a row of another kind fails the count like a row in another state.
  const kinds = kindsAllowing(p.from, p.to);
  if (kinds.length === 0) throw new IllegalTransitionError(p.items[0]!.guid, p.from, p.to);
  const kindClause = kinds.length === ALL_KINDS.length ? '' : ` AND "kind" IN (${kinds.map((k) => `'${k}'`).join(', ')})`;
  const reason = p.reason ?? null;
  const at = p.at.getTime();
  const seen = new Set<string>();
  for (const item of p.items) {
    if (seen.has(item.guid)) throw new DuplicateTransitionError(item.guid);
    seen.add(item.guid);
  }

  // Every transition sets state, reason, updatedAt, and clears reasonDetail unless the patch sets it.
  const withDefaults = (patch: Record<string, unknown>): Record<string, unknown> => (patch.reasonDetail === undefined ? { ...patch, reasonDetail: null } : patch);
  const shared = withDefaults({ ...(p.patch ?? {}) });
  const own = p.items.some((i) => i.patch !== undefined && Object.keys(i.patch).length > 0);
  let changed = 0;
  if (!own) {
    const columns = columnsOf(shared);
    const sets = ['"state" = ?', '"reason" = ?', '"updatedAt" = ?', ...columns.map((c) => `"${c}" = ?`)].join(', ');
    const head = [p.to, reason, at, ...columns.map((c) => toSqlValue(shared[c]))];
    for (const slice of chunked(p.items, rowsPerStatement(1) - head.length - 1)) {
      changed += await execute(em, `UPDATE "deposit" SET ${sets} WHERE "state" = ?${kindClause} AND "guid" IN ${placeholders(slice.length)}`, [...head, p.from, ...slice.map((i) => i.guid)]);
    }
  } else {
    // Items grouped by the set of columns they write; each group is UPDATE … FROM (VALUES (guid, v1, v2 …), …).
    const groups = new Map<string, { columns: string[]; rows: unknown[][] }>();
    for (const item of p.items) {
      const patch = withDefaults({ ...shared, ...(item.patch ?? {}) });
      const columns = columnsOf(patch);
      const key = columns.join(',');
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { columns, rows: [] }));
      group.rows.push([item.guid, ...columns.map((c) => toSqlValue(patch[c]))]);
    }
    const where = `"deposit"."state" = ?${kindClause.replace('"kind"', '"deposit"."kind"')}`;
    for (const { columns, rows } of groups.values()) {
      for (const slice of chunked(rows, rowsPerStatement(columns.length + 1) - 1)) {
        const sql = updateFromValuesSql({ table: 'deposit', key: 'guid', fixed: ['"state" = ?', '"reason" = ?', '"updatedAt" = ?'], columns, rows: slice.length, where });
        changed += await execute(em, sql, [p.to, reason, at, ...slice.flat(), p.from]);
      }
    }
  }
  if (changed !== p.items.length) await throwStale(em, p);

  const sharedDetail = p.detail === undefined ? null : JSON.stringify(toJsonSafe(p.detail)); // one string for every item without its own
  const detailOf = (item: TransitionItem): string | null => (item.detail === undefined ? sharedDetail : JSON.stringify(toJsonSafe(item.detail)));
  for (const slice of chunked(p.items, rowsPerStatement(HISTORY_COLUMNS.length))) {
    await execute(em, insertRowsSql('deposit_transition', HISTORY_COLUMNS, slice.length), slice.flatMap((item) => [item.guid, p.from, p.to, reason, at, detailOf(item)]));
  }
}

/** Names the first deposit that was not in `from` (the caller's transaction rolls back on this throw). */
async function throwStale(em: EntityManager, p: TransitionManyParameters): Promise<never> {
  const expected = p.from === p.to ? p.from : p.to;
  const actual = new Map<string, DepositState>();
  for (const slice of chunked(p.items, rowsPerStatement(1)))
    for (const row of await select<{ guid: string; state: DepositState }>(em, `SELECT "guid", "state" FROM "deposit" WHERE "guid" IN ${placeholders(slice.length)}`, slice.map((i) => i.guid)))
      actual.set(row.guid, row.state);
  const stale = p.items.find((i) => actual.get(i.guid) !== expected) ?? p.items[0]!;
  throw new StaleStateError(stale.guid, p.from, actual.get(stale.guid));
}
