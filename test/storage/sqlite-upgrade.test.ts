import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseKeywordQuery } from '../../src/modules/search/query-terms.ts';
import { openStorage } from '../../src/storage/index.ts';
import { storedActionItem, storedConversation, storedMemory } from '../helpers/records.ts';

/**
 * Upgrading a SQLite file made before the keyword index was split per kind (one `search_fts`
 * for all): migration 0006 drops the old table and triggers, builds one table per kind from the
 * rows, and new writes are indexed by the new triggers.
 */
let dir: string;
let url: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'omi-upgrade-'));
  url = `sqlite:${join(dir, 'omi.db')}`;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const USER = 'u-upgrade';
const T0 = '2026-01-15T10:00:00.000Z';

it('0006 rebuilds the keyword index per kind from the rows of an older database', async () => {
  let storage = await openStorage(url);
  await storage.users.insert({ id: USER, email: 'u@example.com', name: 'U', passwordHash: 'x', createdAt: T0 });
  await storage.memories.upsert(storedMemory(USER, { id: 'm1', content: 'Allergic to penicillin' }));
  await storage.conversations.insert(storedConversation(USER, { id: 'c1', title: 'Dentist appointment' }));
  await storage.actionItems.insert(storedActionItem(USER, { id: 'a1', description: 'Renew the passport' }));
  await storage.close();

  // Put the file back as the earlier layout left it: one table for every kind, no per-kind tables.
  const raw = new SQLite(join(dir, 'omi.db'));
  for (const kind of ['memory', 'conversation', 'action_item']) raw.exec(`drop table search_fts_${kind}`);
  raw.exec(`create virtual table search_fts using fts5(title, summary, body, content = '', contentless_delete = 1)`);
  raw.exec(`delete from kysely_migration where name in ('0006-keyword-index-per-kind', '0007-memory-list-anchors')`);
  // Migrations apply in order, so the ones after 0007 are undone as well (their tables dropped).
  for (const table of ['oauth_tokens', 'oauth_codes', 'oauth_grants', 'oauth_clients']) raw.exec(`drop table ${table}`);
  raw.exec(`delete from kysely_migration where name = '0008-mcp-oauth'`);
  for (const table of ['receiver_segments', 'receiver_inbox', 'receiver_tokens']) raw.exec(`drop table ${table}`);
  raw.exec(`delete from kysely_migration where name = '0010-receivers'`);
  raw.exec('drop table import_checkpoints');
  raw.exec(`delete from kysely_migration where name = '0009-import-checkpoints'`);
  raw.close();

  storage = await openStorage(url);
  try {
    const find = async (kind: 'memory' | 'conversation' | 'action_item', words: string) =>
      (await storage.search.keyword(USER, kind, parseKeywordQuery(words), 10)).map((hit) => hit.id);
    expect(await find('memory', 'penicillin')).toEqual(['m1']);
    expect(await find('conversation', 'dentist')).toEqual(['c1']);
    expect(await find('action_item', 'passport')).toEqual(['a1']);
    // A memory search does not answer with other kinds' documents, and new writes are indexed.
    expect(await find('memory', 'dentist passport')).toEqual([]);
    await storage.memories.upsert(storedMemory(USER, { id: 'm2', content: 'Prefers window seats' }));
    expect(await find('memory', 'window')).toEqual(['m2']);
  } finally {
    await storage.close();
  }
  const check = new SQLite(join(dir, 'omi.db'));
  const tables = check.prepare(`select name from sqlite_master where name like 'search_fts%' and type = 'table' and sql like 'create virtual%'`).all();
  check.close();
  expect(tables.map((t) => (t as { name: string }).name).sort()).toEqual(['search_fts_action_item', 'search_fts_conversation', 'search_fts_memory']);
});
