import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setUnauthorizedHandler } from './api.ts';
import { Link } from './components/ui.tsx';
import { match, NAV, navigate, subscribe } from './routes.ts';
import { Account } from './pages/Account.tsx';
import { ActionItems } from './pages/ActionItems.tsx';
import { ConnectedApps } from './pages/ConnectedApps.tsx';
import { Consent } from './pages/Consent.tsx';
import { ConversationDetail, Conversations } from './pages/Conversations.tsx';
import { GoalDetail, Goals } from './pages/Goals.tsx';
import { Keys } from './pages/Keys.tsx';
import { Memories } from './pages/Memories.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { Summaries } from './pages/Summaries.tsx';
import './styles.css';

export interface Me {
  id: string;
  email: string;
  name: string;
  created_at: string;
}

function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => subscribe(() => setPath(location.pathname)), []);
  return path;
}

function Page({ page, params, me, setMe }: { page: string; params: Record<string, string>; me: Me; setMe: (me: Me) => void }) {
  switch (page) {
    case 'memories':
      return <Memories />;
    case 'conversations':
      return <Conversations />;
    case 'conversation':
      return <ConversationDetail id={params.id!} />;
    case 'action-items':
      return <ActionItems />;
    case 'goals':
      return <Goals />;
    case 'goal':
      return <GoalDetail id={params.id!} />;
    case 'summaries':
      return <Summaries />;
    case 'keys':
      return <Keys key="developer" family="developer" />;
    case 'mcp-keys':
      return <Keys key="mcp" family="mcp" />;
    case 'apps':
      return <ConnectedApps />;
    case 'account':
      return <Account me={me} onChange={setMe} />;
    case 'consent':
      return <Consent />;
    default:
      return <Memories />;
  }
}

function App() {
  const path = usePath();
  // undefined: not known yet; null: signed out.
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    api.get<Me>('/v1/users/me').then(setMe, () => setMe(null));
  }, []);
  useEffect(() => setMenuOpen(false), [path]);

  if (me === undefined) return <p class="loading">Loading…</p>;
  const { page, params } = match(path);
  if (me === null || page === 'signin') {
    const next = new URLSearchParams(location.search).get('next');
    const back = page === 'signin' ? (next?.startsWith('/') && !next.startsWith('//') ? next : '/memories') : location.pathname + location.search;
    return (
      <SignIn
        onSignedIn={(user) => {
          setMe(user);
          navigate(back, true);
        }}
      />
    );
  }

  const signOut = async () => {
    await api.del('/v1/console/session').catch(() => undefined);
    setMe(null);
    navigate('/signin', true);
  };

  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Omi console</span>
        <button type="button" class="menu" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <span class="who">{me.name}</span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav id="nav" aria-label="Sections" class={menuOpen ? 'open' : ''}>
        <ul>
          {NAV.map((entry) => (
            <li key={entry.path}>
              <Link href={entry.path} aria-current={path.startsWith(entry.path) || (path === '/' && entry.path === '/memories') ? 'page' : undefined}>
                {entry.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Page page={page} params={params} me={me} setMe={setMe} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
