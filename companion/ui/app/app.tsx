import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, setUnauthorizedHandler } from './api.js';
import { ListsView } from './lists/lists-view.js';
import { QueueView } from './queue/queue-view.js';
import { SearchView } from './search/search-view.js';
import { SettingsView } from './settings/settings-view.js';
import { SignIn } from './sign-in.js';
import { useHealthProblems } from './use-health.js';
import { useQueue } from './use-queue.js';
import type { ViewDefinition } from './views.js';

/** The page's tabs, in order. A new view (e.g. Lists) is one more entry here. */
export const VIEWS: ViewDefinition[] = [
  { id: 'search', label: 'Search', component: SearchView },
  { id: 'queue', label: 'Queue', component: QueueView },
  { id: 'lists', label: 'Lists', component: ListsView },
  { id: 'settings', label: 'Settings', component: SettingsView },
];

interface AuthCheck {
  authenticated: boolean;
  auth_required: boolean;
  is_admin: boolean;
  csrfToken?: string;
}

type Session =
  | { kind: 'loading' }
  | { kind: 'signed-out' }
  | { kind: 'ready'; isAdmin: boolean; authRequired: boolean };

const viewFromHash = () => location.hash.replace(/^#/, '') || 'search';

/** The companion's web UI: sign-in when auth is on, then Search, Queue and Settings, with live queue events. */
export function App() {
  const [session, setSession] = useState<Session>({ kind: 'loading' });
  const [viewId, setViewId] = useState(viewFromHash);
  const [message, setMessage] = useState<{ text: string; isError: boolean }>({ text: '', isError: false });
  const queue = useQueue(session.kind === 'ready');
  const problems = useHealthProblems();

  const check = async () => {
    try {
      const answer = await api<AuthCheck>('/auth/check');
      setCsrfToken(answer.csrfToken);
      setSession({
        kind: 'ready',
        isAdmin: answer.is_admin || !answer.auth_required,
        authRequired: answer.auth_required,
      });
    } catch {
      setSession({ kind: 'signed-out' });
    }
  };
  useEffect(() => {
    setUnauthorizedHandler(() => setSession({ kind: 'signed-out' }));
    void check();
    const onHash = () => setViewId(viewFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  if (session.kind === 'loading') return <p class="loading">Loading…</p>;
  if (session.kind === 'signed-out') {
    return (
      <SignIn
        onSignedIn={(token) => {
          setCsrfToken(token);
          void check();
        }}
      />
    );
  }
  const views = VIEWS.filter((view) => !view.adminOnly || session.isAdmin);
  const current = views.find((view) => view.id === viewId) ?? (views[0] as ViewDefinition);
  const View = current.component;
  const notify = (text: string, isError = false) => setMessage({ text, isError });
  const signOut = async () => {
    await api('/auth/logout', { method: 'POST', body: {} }).catch(() => {});
    setCsrfToken('');
    setSession({ kind: 'signed-out' });
  };
  const active = queue.items.filter((item) => item.status === 'queued' || item.status === 'downloading').length;
  return (
    <div class="app">
      <header class="app-header">
        <h1>Bookrelay</h1>
        <nav aria-label="Sections">
          {views.map((view) => (
            <a key={view.id} href={`#${view.id}`} aria-current={view.id === current.id ? 'page' : undefined}>
              {view.label}
              {view.id === 'queue' && active > 0 ? <span class="badge">{`(${active})`}</span> : null}
            </a>
          ))}
        </nav>
        {session.authRequired ? (
          <button type="button" class="secondary" onClick={signOut}>
            Sign out
          </button>
        ) : null}
      </header>
      <p class={message.isError ? 'message error' : 'message'} role="status">
        {message.text}
      </p>
      {problems.length > 0 ? (
        <p class="message error health" role="alert">
          {problems.join(' ')}
        </p>
      ) : null}
      <main>
        <View queue={queue} isAdmin={session.isAdmin} authRequired={session.authRequired} notify={notify} />
      </main>
    </div>
  );
}
