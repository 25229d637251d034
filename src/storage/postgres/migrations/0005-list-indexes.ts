/** The same indexes as on SQLite: the statements are standard SQL on both. */
export { up } from '../../sqlite/migrations/0005-list-indexes.ts';
