import pg from 'pg';
import { freshPostgres } from './test/helpers/databases.ts';
import { createPostgresStorage } from './src/storage/postgres/database.ts';
const base = 'postgres://postgres@127.0.0.1:5432/omi_dev_local';
async function one(i: number) {
  const db = await freshPostgres(base);
  try {
    const s = await createPostgresStorage(db.url);
    await s.close();
  } catch (e: any) {
    console.log(i, 'ERR', e.message);
  } finally {
    await db.drop();
  }
}
for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 6 }, (_, i) => one(i)));
console.log('done');
