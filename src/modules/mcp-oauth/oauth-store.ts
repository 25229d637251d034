import { AppError } from '../../lib/errors.ts';
import { OAuthProblem } from './oauth-problem.ts';

export const TOKEN_STORE_UNAVAILABLE = 'OAuth token store unavailable';
/** Seconds a client is told to wait when the token store fails (a database blip, a failover). */
export const TOKEN_STORE_RETRY_AFTER = '10';

/**
 * The database failed while a token was being checked or issued: 503 with Retry-After, never a
 * 401 (the client would throw away a good token and send its user back through consent) and
 * never a 500. `cause` is the storage error, for the log; the client sees only the detail.
 */
export class TokenStoreUnavailable extends AppError {
  constructor(override readonly cause: unknown) {
    super('unavailable', TOKEN_STORE_UNAVAILABLE, { 'retry-after': TOKEN_STORE_RETRY_AFTER });
  }
}

/** Runs token-store work; anything but an OAuth or domain answer is the store failing. */
export async function withTokenStore<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OAuthProblem || error instanceof AppError) throw error;
    throw new TokenStoreUnavailable(error);
  }
}
