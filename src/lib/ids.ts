import { createHash, randomBytes } from 'node:crypto';

/**
 * Memory ids are derived from content, as upstream: the first 16 bytes of SHA-256(content)
 * formatted as a UUID with the version forced to 4 (and the RFC 4122 variant), so the same
 * content gives the same id and creating it twice updates one record.
 */
export function memoryIdFor(content: string): string {
  const bytes = createHash('sha256').update(content, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 20-character alphanumeric id, the shape of upstream's auto-generated document ids. */
export function autoId(length = 20): string {
  const out: string[] = [];
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: rejecting bytes above it keeps every character equally likely.
      if (byte < 248 && out.length < length) out.push(ALPHANUMERIC[byte % 62]!);
    }
  }
  return out.join('');
}

/**
 * An id of the same shape as `autoId()` (20 alphanumeric characters), derived from its parts:
 * what something created by a background step gets, so that running the step twice could never
 * add a second copy. Characters come from SHA-256 of the parts, rejection-sampled as in autoId.
 */
export function derivedAutoId(...parts: string[]): string {
  const out: string[] = [];
  for (let round = 0; out.length < 20; round++) {
    const digest = createHash('sha256').update(`${round}\u0000${parts.join('\u0000')}`, 'utf8').digest();
    for (const byte of digest) if (byte < 248 && out.length < 20) out.push(ALPHANUMERIC[byte % 62]!);
  }
  return out.join('');
}

/** `goal_` + 12 lowercase hex characters. */
export const goalId = (): string => `goal_${randomBytes(6).toString('hex')}`;

/** RFC 4122 version-5 (SHA-1, name-based) UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Upstream's namespace for conversation ids derived from a client session id. */
export const CLIENT_SESSION_NAMESPACE = 'fb2f1f36-3c84-47a4-9c62-b3f6fdb3fd13';

/**
 * A from-segments conversation sent with `client_session_id` gets a deterministic id, as
 * upstream: UUIDv5(namespace, `{uid}\0{client_session_id}`). Retries land on the same record.
 */
export const conversationIdForSession = (userId: string, clientSessionId: string): string =>
  uuidV5(`${userId}\u0000${clientSessionId}`, CLIENT_SESSION_NAMESPACE);

/** A stable UUID-shaped id for something identified by its parts (system folders, daily summaries). */
export const derivedId = (...parts: string[]): string => memoryIdFor(parts.join('\u0000'));
