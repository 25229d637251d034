import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './0001-foundation.ts';
import * as conversations from './0002-conversations.ts';
import * as search from './0003-search.ts';
import * as mcp from './0004-mcp.ts';
import * as listIndexes from './0005-list-indexes.ts';
import * as keywordIndexPerKind from './0006-keyword-index-per-kind.ts';
import * as memoryListAnchors from './0007-memory-list-anchors.ts';
import * as mcpOAuth from './0008-mcp-oauth.ts';
import * as importCheckpoints from './0009-import-checkpoints.ts';
import * as receivers from './0010-receivers.ts';

/**
 * Forward-only migrations, applied in name order at start-up (and by `omi-dev-api migrate`).
 * Never edit a migration that has shipped: add the next one.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-conversations': conversations,
  '0003-search': search,
  '0004-mcp': mcp,
  '0005-list-indexes': listIndexes,
  '0006-keyword-index-per-kind': keywordIndexPerKind,
  '0007-memory-list-anchors': memoryListAnchors,
  '0008-mcp-oauth': mcpOAuth,
  '0009-import-checkpoints': importCheckpoints,
  '0010-receivers': receivers,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
