/**
 * The console's pages. The server answers every one of these paths with index.html
 * (CLIENT_ROUTES in src/http/routes/console.routes.ts names the same list).
 */
export interface NavEntry {
  path: string;
  label: string;
}

export const NAV: NavEntry[] = [
  { path: '/memories', label: 'Memories' },
  { path: '/conversations', label: 'Conversations' },
  { path: '/action-items', label: 'Action items' },
  { path: '/goals', label: 'Goals' },
  { path: '/summaries', label: 'Daily summaries' },
  { path: '/keys', label: 'Developer keys' },
  { path: '/mcp-keys', label: 'MCP keys' },
  { path: '/apps', label: 'Connected apps' },
  { path: '/account', label: 'Account' },
];

/**
 * Sections waiting for their API: add each to NAV (and to CLIENT_ROUTES on the server) with
 * its page once the routes exist — webhooks (/v1/users/developer/webhook*), import and export.
 */
export const PLANNED: NavEntry[] = [
  { path: '/webhooks', label: 'Webhooks' },
  { path: '/import', label: 'Import' },
  { path: '/export', label: 'Export' },
];

export interface Match {
  page: string;
  params: Record<string, string>;
}

const PATTERNS: [RegExp, string, string[]][] = [
  [/^\/conversations\/([^/]+)$/, 'conversation', ['id']],
  [/^\/goals\/([^/]+)$/, 'goal', ['id']],
];

/** The page for a pathname ('/x/' and '/x' alike); unknown paths fall back to memories. */
export function match(pathname: string): Match {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const [pattern, page, names] of PATTERNS) {
    const found = pattern.exec(path);
    if (found) return { page, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)])) };
  }
  const page = path === '/' ? 'memories' : path.slice(1);
  return { page, params: {} };
}

type Listener = () => void;
const listeners = new Set<Listener>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
  window.scrollTo(0, 0);
}
