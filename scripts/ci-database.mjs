// Creates or drops a throwaway PostgreSQL database for one CI run:
//   node scripts/ci-database.mjs create|drop <admin-url> <name>
import pg from 'pg';

const [action, adminUrl, name] = process.argv.slice(2);
if (!['create', 'drop'].includes(action) || !adminUrl || !/^[a-z0-9_]+$/.test(name ?? '')) {
  console.error('usage: ci-database.mjs create|drop <admin-url> <name>');
  process.exit(2);
}
const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
try {
  await client.connect();
  await client.query(action === 'create' ? `create database ${name}` : `drop database if exists ${name} with (force)`);
} catch (error) {
  console.error(`PostgreSQL: ${error.message}`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
}
