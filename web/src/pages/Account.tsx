import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ErrorBox, formatDate, Notice, useAction } from '../components/ui.tsx';
import type { Me } from '../main.tsx';

export function Account({ me, onChange }: { me: Me; onChange: (me: Me) => void }) {
  const [name, setName] = useState(me.name);
  const [saved, setSaved] = useState(false);
  const rename = useAction();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [changed, setChanged] = useState(false);
  const password = useAction();

  const saveName = (event: Event) => {
    event.preventDefault();
    setSaved(false);
    void rename.run(async () => {
      onChange(await api.patch<Me>('/v1/users/me', { name }));
      setSaved(true);
    });
  };

  const savePassword = (event: Event) => {
    event.preventDefault();
    setChanged(false);
    void password.run(async () => {
      await api.post('/v1/users/me/password', { current_password: current, new_password: next }, { keep401: true });
      setCurrent('');
      setNext('');
      setChanged(true);
    });
  };

  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      <p class="muted">
        {me.email} · member since {formatDate(me.created_at)}
      </p>
      <form onSubmit={saveName} class="card">
        <h2>Name</h2>
        <label for="account-name">Name (used as your speaker name in transcripts)</label>
        <input id="account-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <ErrorBox error={rename.error} />
        {saved && <Notice>Name saved.</Notice>}
        <button type="submit" class="primary" disabled={rename.busy}>
          Save name
        </button>
      </form>
      <form onSubmit={savePassword} class="card">
        <h2>Password</h2>
        <label for="current-password">Current password</label>
        <input
          id="current-password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
        <label for="new-password">New password (at least 8 characters)</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={next}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
        <ErrorBox error={password.error} />
        {changed && <Notice>Password changed. Your other sessions were signed out.</Notice>}
        <button type="submit" class="primary" disabled={password.busy}>
          Change password
        </button>
      </form>
    </section>
  );
}
