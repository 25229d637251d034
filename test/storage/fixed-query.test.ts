import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import { fixedQuery } from '../../src/storage/repositories/fixed-query.ts';
import { openDatabase } from '../../src/storage/index.ts';
import type { Database } from '../../src/storage/schema.ts';

/** Hot-path queries compiled once: reused only when the first compile bound exactly the values given. */
let db: Kysely<Database>;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ db, close } = await openDatabase('sqlite::memory:'));
  for (const [id, position] of [['a', 2], ['b', 1], ['c', 3]] as const) {
    await db
      .insertInto('users')
      .values({ id: `u-${id}`, email: `${id}@example.com`, name: id, password_hash: 'x', created_at: `2026-01-0${position}T00:00:00.000Z` })
      .execute();
  }
});
afterEach(() => close());

it('builds once, then runs the same text with new values, with the same results as building each time', async () => {
  const build = vi.fn((name: string, limit: number) => db.selectFrom('users').select(['id', 'name']).where('name', '<>', name).orderBy('created_at').limit(limit));
  const query = fixedQuery(db, build);
  expect(await query('a', 5)).toEqual([{ id: 'u-b', name: 'b' }, { id: 'u-c', name: 'c' }]);
  expect(await query('b', 1)).toEqual([{ id: 'u-a', name: 'a' }]);
  expect(await query('zzz', 2)).toEqual(await build('zzz', 2).execute());
  expect(build).toHaveBeenCalledTimes(2); // the first call, and the comparison above
});

it('builds every time when the query binds values other than its arguments', async () => {
  // The literal 'b' becomes a bound parameter too, so the text cannot be reused with only `limit`.
  const build = vi.fn((limit: number) => db.selectFrom('users').select('id').where('name', '<>', 'b').orderBy('id').limit(limit));
  const query = fixedQuery(db, build);
  expect(await query(1)).toEqual([{ id: 'u-a' }]);
  expect(await query(5)).toEqual([{ id: 'u-a' }, { id: 'u-c' }]);
  expect(build).toHaveBeenCalledTimes(2);
});
