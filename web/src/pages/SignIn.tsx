import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ErrorBox, useAction } from '../components/ui.tsx';
import type { Me } from '../main.tsx';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const session = await api.post<{ user: Me }>('/v1/console/session', { email, password }, { keep401: true });
      onSignedIn(session.user);
    });
  };

  return (
    <main class="signin" id="main">
      <h1>Sign in to Omi</h1>
      <form onSubmit={submit} aria-describedby="signin-help">
        <p id="signin-help" class="muted">
          Use the email and password of your account on this server.
        </p>
        <label for="email">Email</label>
        <input id="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <ErrorBox error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
