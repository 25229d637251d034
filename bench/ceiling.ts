/**
 * The ceiling for `npm run bench`: what this machine can do for scenarios A and B with no
 * framework at all — `node:http`, better-sqlite3 and `JSON.stringify`, on the same database file
 * and the same queries as the server (the developer-key lookup by SHA-256, then the list).
 * No validation, no rate limit, no schema, no error shapes: nothing a real server may skip.
 * Not part of the product; prints `{"url"}` on stdout when listening, exits on SIGTERM.
 *
 *   node --import tsx bench/ceiling.ts /path/to/bench.db
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import SQLite from 'better-sqlite3';

const path = process.argv[2];
if (!path) throw new Error('usage: ceiling.ts <sqlite file>');
const db = new SQLite(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');

const keyByHash = db.prepare('select * from "api_keys" where "hashed_key" = ?');
const memories = db.prepare(
  'select * from "memories" where "user_id" = ? and invalid_at is null and (user_review is null or user_review = 1) ' +
    'order by "scoring" desc, "created_at" desc, "id" asc limit ? offset ?',
);
const conversations = db.prepare(
  'select "user_id", "id", "created_at", "updated_at", "started_at", "finished_at", "source", "language", "status", "discarded", ' +
    '"starred", "folder_id", "title", "overview", "emoji", "category", "action_items", "events", "text_source", "text_source_spec", ' +
    '"geolocation", "client_session_id", "client_device_id", "client_platform", "claimed_at" from "conversations" ' +
    'where "user_id" = ? and "discarded" = ? and "status" = ? order by "created_at" desc, "id" asc limit ? offset ?',
);
const folders = db.prepare('select "id", "name" from "folders" where "user_id" = ?');

type Row = Record<string, unknown>;
// The wire shapes are written out here on purpose: the ceiling uses none of the server's code.
const flag = (value: unknown) => value === 1;

function memory(row: Row) {
  return {
    id: row.id,
    content: row.content,
    category: row.category,
    visibility: row.visibility,
    tags: JSON.parse(row.tags as string),
    created_at: row.created_at,
    updated_at: row.updated_at,
    manually_added: flag(row.manually_added),
    reviewed: flag(row.reviewed),
    user_review: row.user_review === null ? null : flag(row.user_review),
    edited: flag(row.edited),
    scoring: row.scoring,
  };
}

const actionItem = (item: Row) => ({
  description: item.description,
  completed: item.completed,
  created_at: item.createdAt,
  updated_at: item.updatedAt,
  due_at: item.dueAt,
  completed_at: item.completedAt,
  conversation_id: item.conversationId,
});

function conversation(row: Row, folderNames: Map<unknown, unknown>) {
  const structured = { title: row.title, overview: row.overview, emoji: row.emoji, category: row.category };
  return {
    id: row.id,
    created_at: row.created_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    structured: { ...structured, action_items: (JSON.parse(row.action_items as string) as Row[]).map(actionItem), events: JSON.parse(row.events as string) },
    language: row.language,
    source: row.source,
    geolocation: row.geolocation === null ? null : JSON.parse(row.geolocation as string),
    folder_id: row.folder_id,
    folder_name: row.folder_id === null ? null : (folderNames.get(row.folder_id) ?? null),
  };
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://ceiling');
  const header = request.headers.authorization;
  // Keys are stored as the SHA-256 of their hex part (after `omi_dev_`), as upstream derives them.
  const token = header?.startsWith('Bearer omi_dev_') ? header.slice('Bearer omi_dev_'.length) : undefined;
  const key = token === undefined ? undefined : (keyByHash.get(createHash('sha256').update(token).digest('hex')) as Row | undefined);
  if (!key) {
    response.writeHead(401, { 'content-type': 'application/json' }).end('{"detail":"Invalid API Key"}');
    return;
  }
  const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 25)));
  const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0));
  let body: unknown;
  if (url.pathname === '/v1/dev/user/memories') {
    body = (memories.all(key.user_id, limit, offset) as Row[]).map(memory);
  } else if (url.pathname === '/v1/dev/user/conversations') {
    const names = new Map((folders.all(key.user_id) as Row[]).map((f) => [f.id, f.name]));
    body = (conversations.all(key.user_id, 0, 'completed', limit, offset) as Row[]).map((row) => conversation(row, names));
  } else {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
