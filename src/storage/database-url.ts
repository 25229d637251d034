import { resolve } from 'node:path';

/** What OMI_DATABASE_URL names, for logs and error messages: never the password. */
export interface DatabaseDescription {
  kind: 'sqlite' | 'postgres';
  /** The file (absolute, or `:memory:`), or `user@host:port/database`. */
  location: string;
}

export function describeDatabase(databaseUrl: string): DatabaseDescription {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    return { kind: 'sqlite', location: path === ':memory:' ? path : resolve(path) };
  }
  try {
    const url = new URL(databaseUrl);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    const database = url.pathname.replace(/^\//, '') || '(default)';
    return { kind: 'postgres', location: `${user}${url.hostname || 'localhost'}:${url.port || '5432'}/${decodeURIComponent(database)}` };
  } catch {
    return { kind: 'postgres', location: '(unparsable URL)' };
  }
}

/** The database named by OMI_DATABASE_URL could not be reached or opened. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

type ErrorWithCode = Error & { code?: string; errors?: unknown[] };

/** Node's network codes and PostgreSQL's connection-phase SQLSTATEs, as a reader would put them. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is PostgreSQL running and listening there?)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
  '28P01': 'password authentication failed',
  '28000': 'the server refused this role or client',
  '3D000': 'the database does not exist (create it first, see docs/DEPLOYMENT.md)',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'too many connections',
  SQLITE_CANTOPEN: 'unable to open the database file',
  SQLITE_READONLY: 'the database file is read-only',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of its directory path is not a directory',
  EEXIST: 'its directory cannot be created: a file is in the way',
  EROFS: 'read-only file system',
};

function code(error: unknown): string | undefined {
  const withCode = error as ErrorWithCode | undefined;
  // Connecting to "localhost" tries every address it resolves to: Node throws an AggregateError.
  return withCode?.code ?? (withCode?.errors?.[0] as ErrorWithCode | undefined)?.code;
}

/**
 * A failure to reach or open the database becomes one line naming OMI_DATABASE_URL and where it
 * points; anything else (a failing migration, say) is passed on as it is.
 */
export function explainOpenError(databaseUrl: string, error: unknown): unknown {
  const reason = REASONS[code(error) ?? ''] ?? (code(error)?.startsWith('08') ? (error as Error).message : undefined);
  if (reason === undefined) return error;
  const { kind, location } = describeDatabase(databaseUrl);
  const what = kind === 'sqlite' ? `the SQLite file ${location}` : `PostgreSQL at ${location}`;
  return new DatabaseUnavailableError(`cannot open ${what} (OMI_DATABASE_URL): ${reason}`, { cause: error });
}
