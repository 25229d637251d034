import { useState } from 'preact/hooks';
import { DEFAULT_SCOPES, SCOPES } from '../../../src/modules/api-keys/scopes.ts';
import { MCP_SCOPES } from '../../../src/modules/mcp-keys/mcp-scopes.ts';
import { api } from '../api.ts';
import { CopyButton, ErrorBox, formatDate, useAction, useLoad } from '../components/ui.tsx';

interface Key {
  id: string;
  name: string;
  key_prefix: string;
  created_at: string;
  last_used_at: string | null;
  scopes: string[] | null;
}

const FAMILIES = {
  developer: {
    title: 'Developer keys',
    base: '/v1/dev/keys',
    intro: 'Developer keys (omi_dev_…) call the /v1/dev/user/* API. Pick what each key may do.',
    scopes: SCOPES as readonly string[],
    defaults: DEFAULT_SCOPES as readonly string[],
    pick: true,
  },
  mcp: {
    title: 'MCP keys',
    base: '/v1/mcp/keys',
    intro: 'MCP keys (omi_mcp_…) connect AI assistants to the MCP server at /v1/mcp/sse. Every MCP key holds all MCP scopes.',
    scopes: MCP_SCOPES as readonly string[],
    defaults: MCP_SCOPES as readonly string[],
    pick: false,
  },
} as const;

/** The new secret, shown once. */
function Secret({ secret, onDone }: { secret: { name: string; key: string }; onDone: () => void }) {
  return (
    <div class="card secret" role="region" aria-label="New key">
      <h2>Copy your key “{secret.name}” now</h2>
      <p>It is shown only this once; the server keeps only its hash.</p>
      <div class="row">
        <input id="secret-value" readOnly value={secret.key} aria-label="The new key" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={secret.key} />
      </div>
      <button type="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

export function Keys({ family }: { family: keyof typeof FAMILIES }) {
  const spec = FAMILIES[family];
  const keys = useLoad(() => api.get<Key[]>(spec.base), [family]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([...spec.defaults]);
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  const action = useAction();

  const toggle = (scope: string, on: boolean) => setScopes(on ? [...scopes, scope] : scopes.filter((s) => s !== scope));

  const create = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const body = spec.pick ? { name, scopes: SCOPES.filter((s) => scopes.includes(s)) } : { name };
      const created = await api.post<Key & { key: string }>(spec.base, body);
      setSecret({ name: created.name, key: created.key });
      setName('');
      keys.reload();
    });
  };
  const rotate = (key: Key) => {
    if (!confirm(`Rotate “${key.name}”? The current secret stops working at once.`)) return;
    void action.run(async () => {
      const rotated = await api.post<Key & { key: string }>(`${spec.base}/${encodeURIComponent(key.id)}/rotate`);
      setSecret({ name: rotated.name, key: rotated.key });
      keys.reload();
    });
  };
  const revoke = (key: Key) => {
    if (!confirm(`Revoke “${key.name}”? It stops working at once.`)) return;
    void action.run(async () => {
      await api.del(`${spec.base}/${encodeURIComponent(key.id)}`);
      keys.reload();
    });
  };

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">{spec.title}</h1>
      <p class="muted">{spec.intro}</p>
      {secret && <Secret secret={secret} onDone={() => setSecret(null)} />}
      <form class="card" onSubmit={create}>
        <h2>Create a key</h2>
        <label for="key-name">Name</label>
        <input id="key-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <fieldset disabled={!spec.pick}>
          <legend>Scopes</legend>
          <div class="scopes">
            {spec.scopes.map((scope) => (
              <label key={scope} class="check">
                <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.currentTarget.checked)} />
                {scope}
              </label>
            ))}
          </div>
        </fieldset>
        <ErrorBox error={action.error} />
        <button type="submit" class="primary" disabled={action.busy}>
          Create key
        </button>
      </form>
      <ErrorBox error={keys.error} />
      {keys.data && keys.data.length === 0 && <p class="muted">No keys yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">{spec.title}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.key_prefix}</code>
                  </td>
                  <td>{(key.scopes ?? spec.defaults).join(', ')}</td>
                  <td>{formatDate(key.created_at)}</td>
                  <td>{key.last_used_at ? formatDate(key.last_used_at) : 'Never'}</td>
                  <td class="actions">
                    <button type="button" onClick={() => rotate(key)} aria-label={`Rotate ${key.name}`}>
                      Rotate
                    </button>
                    <button type="button" class="danger" onClick={() => revoke(key)} aria-label={`Revoke ${key.name}`}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
