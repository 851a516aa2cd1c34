import { api, errorText, setCsrfToken } from '../api.js';
import type { Notify } from './settings-view.js';

/** Change your own password (the companion's users; Calibre-Web users change theirs in Calibre-Web). */
export function AccountSection({ notify }: { notify: Notify }) {
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    try {
      const answer = await api<{ csrfToken?: string }>('/auth/password', {
        method: 'POST',
        body: { currentPassword: data.get('currentPassword'), newPassword: data.get('newPassword') },
      });
      if (answer.csrfToken) setCsrfToken(answer.csrfToken);
      form.reset();
      notify('Password changed; other sessions were signed out.');
    } catch (err) {
      notify(`Password not changed: ${errorText(err)}`, true);
    }
  };
  return (
    <section aria-labelledby="account-title">
      <h2 id="account-title">Your password</h2>
      <form class="inline-form" onSubmit={submit}>
        <label>
          Current password
          <input name="currentPassword" type="password" autocomplete="current-password" required />
        </label>
        <label>
          New password
          <input name="newPassword" type="password" autocomplete="new-password" minLength={8} required />
        </label>
        <button type="submit">Change password</button>
      </form>
    </section>
  );
}
