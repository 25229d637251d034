/** OAuth error codes this server answers with (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata';

/**
 * A refused OAuth request, answered as `{"error", "error_description"}` (RFC 6749 §5.2: OAuth
 * clients read these fields) with the same text as `detail`, as every other error of this server.
 * invalid_client is 401 at the token endpoint, everything else 400.
 */
export class OAuthProblem extends Error {
  readonly status: number;

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    status?: number,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthProblem';
    this.status = status ?? (error === 'invalid_client' ? 401 : 400);
  }

  toJSON(): { error: OAuthErrorCode; error_description: string; detail: string } {
    return { error: this.error, error_description: this.description, detail: this.description };
  }
}
