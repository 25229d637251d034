/**
 * The console's one way to the server: same origin, the HttpOnly session cookie, and the
 * X-Omi-Console header every cookie-authenticated unsafe request must carry (CSRF guard).
 * Developer-API calls go through the console bridge (/console/api/v1/dev/user/…).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Called when any request answers 401: the session ended, the app goes back to sign-in. */
let onUnauthorized: () => void = () => {};
export const setUnauthorizedHandler = (handler: () => void) => {
  onUnauthorized = handler;
};

function describe(detail: unknown, status: number): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((issue: { loc?: unknown[]; msg?: string }) => `${(issue.loc ?? []).slice(1).join('.') || 'input'}: ${issue.msg ?? 'invalid'}`)
      .join('; ');
  }
  return `Request failed (${status})`;
}

export interface RequestOptions {
  body?: unknown;
  /** Leave 401 to the caller (sign-in, password change) instead of signing out. */
  keep401?: boolean;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'X-Omi-Console': '1', Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    // `{"detail"}` everywhere, except OAuth's `{"error","error_description"}`.
    const answer = body as { detail?: unknown; error_description?: unknown } | undefined;
    const detail = describe(answer?.detail ?? answer?.error_description, response.status);
    // An OAuth error (`invalid_client` is a 401 too) says nothing about the console's session.
    if (response.status === 401 && !options.keep401 && answer?.detail !== undefined) onUnauthorized();
    throw new ApiError(response.status, detail);
  }
  return body as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown, options: RequestOptions = {}) => request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

/** A developer-API path (`/v1/dev/user/…`) reached through the console bridge. */
export const dev = (path: string) => `/console/api${path}`;

/** `?a=1&b=2` from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
