/** The same partial index as on SQLite: the statement is standard SQL on both. */
export { up } from '../../sqlite/migrations/0005-visible-memories.ts';
