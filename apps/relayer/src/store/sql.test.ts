import { bigintNumber } from './column-transformers';
import { insertIgnoringConflictsSql, insertRowsSql, limitParameter, updateFromValuesSql } from './sql';

describe('sql.ts statement builders', () => {
  it('builds the multi-row insert, and the one that ignores existing keys', () => {
    expect(insertRowsSql('t', ['a', 'b'], 2)).toBe('INSERT INTO "t" ("a", "b") VALUES (?, ?), (?, ?)');
    expect(insertIgnoringConflictsSql('t', ['a', 'b'], 1, 'a')).toBe('INSERT INTO "t" ("a", "b") VALUES (?, ?) ON CONFLICT ("a") DO NOTHING');
  });

  it('builds the VALUES-join update: the key is column1, the set columns follow in order', () => {
    expect(updateFromValuesSql({ table: 't', key: 'k', fixed: ['"s" = ?'], columns: ['x', 'y'], rows: 2, where: '"t"."s" = ?' })).toBe(
      'UPDATE "t" SET "s" = ?, "x" = v.column2, "y" = v.column3 FROM (VALUES (?, ?, ?), (?, ?, ?)) AS v WHERE "t"."k" = v.column1 AND "t"."s" = ?',
    );
  });

  it('binds "no limit" as SQLite reads it', () => {
    expect([limitParameter(-1), limitParameter(-5), limitParameter(0), limitParameter(30)]).toEqual([-1, -1, 0, 30]);
  });
});

describe('bigintNumber', () => {
  it('reads numbers unchanged and decimal text (a PostgreSQL bigint) as numbers; writes as given', () => {
    expect([bigintNumber.from(4294967296), bigintNumber.from('4294967296'), bigintNumber.from(null)]).toEqual([4294967296, 4294967296, null]);
    expect([bigintNumber.to(7), bigintNumber.to(null), bigintNumber.to(undefined)]).toEqual([7, null, undefined]);
    expect(() => bigintNumber.from('9007199254740993')).toThrow(RangeError);
  });
});
