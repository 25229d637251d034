import { api } from '../api.ts';
import { ErrorBox, formatDate, useAction, useLoad } from '../components/ui.tsx';

interface Grant {
  id: string;
  client_id: string;
  client_name: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
}

/** Apps the user approved through OAuth consent, with revocation. */
export function ConnectedApps() {
  const grants = useLoad(() => api.get<{ grants: Grant[] }>('/v1/mcp/oauth/grants'), []);
  const action = useAction();
  const revoke = (grant: Grant) => {
    if (!confirm(`Disconnect ${grant.client_name}? It loses access at once.`)) return;
    void action.run(async () => {
      await api.del(`/v1/mcp/oauth/grants/${encodeURIComponent(grant.id)}`);
      grants.reload();
    });
  };
  const list = grants.data?.grants;
  return (
    <section aria-labelledby="apps-title">
      <h1 id="apps-title">Connected apps</h1>
      <p class="muted">Apps you allowed to use your data through OAuth (for example AI assistants over MCP).</p>
      <ErrorBox error={grants.error ?? action.error} />
      {list && list.length === 0 && <p class="muted">No connected apps.</p>}
      <ul class="list" aria-label="Connected apps">
        {list?.map((grant) => (
          <li key={grant.id} class="item">
            <p class="title">{grant.client_name}</p>
            <p class="meta">
              {grant.scopes.join(', ')} · connected {formatDate(grant.created_at)} · last used{' '}
              {grant.last_used_at ? formatDate(grant.last_used_at) : 'never'}
            </p>
            <button type="button" class="danger" onClick={() => revoke(grant)} aria-label={`Revoke ${grant.client_name}`}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
