import { useState } from 'preact/hooks';
import { api, errorText } from './api.js';

/** The sign-in page when auth is on (the companion's own users, or Calibre-Web's). */
export function SignIn({ onSignedIn }: { onSignedIn: (csrfToken: string) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setBusy(true);
    setError('');
    try {
      const answer = await api<{ csrfToken: string }>('/auth/login', {
        method: 'POST',
        body: { username: data.get('username'), password: data.get('password') },
      });
      onSignedIn(answer.csrfToken);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Bookrelay</h1>
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        <label>
          User name
          <input name="username" autocomplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <p class="error" role="alert">
          {error}
        </p>
      </form>
    </main>
  );
}
