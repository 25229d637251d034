import { api } from '../api.ts';
import { ErrorBox, useAction, useLoad } from '../components/ui.tsx';

/** GET /v1/mcp/oauth/authorize/request: what the client asks for, checked by the server. */
interface ConsentRequest {
  client: { client_id: string; client_name: string };
  scopes: string[];
  redirect_uri: string;
  resource?: string | null;
}

const SCOPE_TEXT: Record<string, string> = {
  'memories.read': 'Read your memories',
  'memories.write': 'Create and change your memories',
  'conversations.read': 'Read your conversations',
  'action_items.read': 'Read your action items',
  'action_items.write': 'Create and change your action items',
  'goals.read': 'Read your goals',
  'chat.read': 'Read your chat history',
  'people.read': 'Read the people you talk with',
};

/**
 * The OAuth consent page: GET /authorize redirects here with the client's parameters; the user
 * approves or denies, and the server answers with where to send the browser next.
 */
export function Consent() {
  const params = new URLSearchParams(location.search);
  const request = useLoad(() => api.get<ConsentRequest>(`/v1/mcp/oauth/authorize/request${location.search}`), [location.search]);
  const action = useAction();

  const decide = (approve: boolean) =>
    void action.run(async () => {
      const answer = await api.post<{ redirect_uri: string }>('/authorize', { ...Object.fromEntries(params), approve });
      location.assign(answer.redirect_uri);
    });

  if (request.error) {
    return (
      <section aria-labelledby="consent-title">
        <h1 id="consent-title">Authorization request refused</h1>
        <ErrorBox error={request.error} />
      </section>
    );
  }
  const data = request.data;
  if (!data) return <p class="loading">Loading…</p>;
  return (
    <section aria-labelledby="consent-title" class="consent">
      <h1 id="consent-title">
        Allow <strong>{data.client.client_name}</strong> to access your Omi data?
      </h1>
      <p class="muted">
        Client id <code>{data.client.client_id}</code>; after your answer you return to <code>{data.redirect_uri}</code>.
      </p>
      <h2>It asks to</h2>
      <ul aria-label="Requested permissions">
        {data.scopes.map((scope) => (
          <li key={scope}>
            {SCOPE_TEXT[scope] ?? scope} <span class="muted">({scope})</span>
          </li>
        ))}
      </ul>
      <ErrorBox error={action.error} />
      <div class="row">
        <button type="button" class="primary" disabled={action.busy} onClick={() => decide(true)}>
          Approve
        </button>
        <button type="button" disabled={action.busy} onClick={() => decide(false)}>
          Deny
        </button>
      </div>
    </section>
  );
}
