import { useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { useLoad } from '../use-load.js';
import type { Notify } from './settings-view.js';

interface Token {
  id: number;
  name: string;
  kind: 'api' | 'device';
  hint: string;
  createdAtMs: number;
  lastUsedAtMs: number | null;
}

const when = (ms: number | null) => (ms ? new Date(ms).toLocaleString() : 'never');

/** API tokens and paired devices: create (shown once), name, revoke, last used. */
export function TokensSection({ notify }: { notify: Notify }) {
  const [tokens, reload] = useLoad<{ tokens: Token[] }>('/auth/tokens');
  const [created, setCreated] = useState<string | null>(null);
  const create = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '');
    try {
      const answer = await api<{ token: string }>('/auth/tokens', { method: 'POST', body: { name } });
      setCreated(answer.token);
      form.reset();
      reload();
    } catch (err) {
      notify(`No token: ${errorText(err)}`, true);
    }
  };
  const revoke = async (token: Token) => {
    try {
      await api(`/auth/tokens/${token.id}`, { method: 'DELETE' });
      reload();
    } catch (err) {
      notify(`Not revoked: ${errorText(err)}`, true);
    }
  };
  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens and paired devices</h2>
      {tokens.kind === 'failed' ? <p class="error">{tokens.error}</p> : null}
      {tokens.kind === 'done' && tokens.value.tokens.length === 0 ? (
        <p class="empty">No tokens or devices yet.</p>
      ) : null}
      {tokens.kind === 'done' ? (
        <ul class="plain-list" aria-label="Tokens and devices">
          {tokens.value.tokens.map((token) => (
            <li key={token.id} class="setting-row">
              <div>
                <strong>{token.name}</strong>
                <span class="muted">
                  {' '}
                  {token.kind === 'device' ? 'paired device' : 'API token'} · …{token.hint} · created{' '}
                  {when(token.createdAtMs)} · last used {when(token.lastUsedAtMs)}
                </span>
              </div>
              <button type="button" class="secondary" aria-label={`Revoke ${token.name}`} onClick={() => revoke(token)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form class="inline-form" onSubmit={create}>
        <label>
          New token name
          <input name="name" required maxLength={100} placeholder="e.g. cron" />
        </label>
        <button type="submit">Create token</button>
      </form>
      {created ? (
        <p role="status">
          New token (shown once): <code class="code">{created}</code>
        </p>
      ) : null}
    </section>
  );
}
