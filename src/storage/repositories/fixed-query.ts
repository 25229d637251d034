import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * A query on the hot path whose SQL text never changes, only its values: built and compiled by
 * Kysely on first use, then run again with new values without building or compiling (a fifth of
 * an authenticated list request's CPU went to rebuilding the same two queries).
 *
 * Self-checking: the first compile must bind exactly `values`, in order; a query that binds
 * anything else (a literal Kysely turned into a parameter, a different order) is simply built and
 * compiled every time, so a wrong text can never be reused.
 */
export function fixedQuery<Values extends readonly unknown[], Row>(
  db: Kysely<Database>,
  build: (...values: Values) => Compilable<Row>,
): (...values: Values) => Promise<Row[]> {
  let text: string | undefined;
  let reusable: boolean | undefined;
  return async (...values) => {
    if (reusable) return (await db.executeQuery(CompiledQuery.raw(text!, [...values]))).rows as Row[];
    const compiled = build(...values).compile();
    if (reusable === undefined) {
      reusable = compiled.parameters.length === values.length && compiled.parameters.every((p, i) => p === values[i]);
      text = compiled.sql;
    }
    return (await db.executeQuery(compiled)).rows;
  };
}
