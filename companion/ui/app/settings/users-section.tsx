import type { UserView } from '../../../../shared/web-ui-api.js';
import { api, errorText } from '../api.js';
import { useLoad } from '../use-load.js';
import type { Notify } from './settings-view.js';

/** The companion's own users (administrators add and remove them). */
export function UsersSection({ notify }: { notify: Notify }) {
  const [users, reload] = useLoad<{ users: UserView[] }>('/users');
  const add = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    try {
      await api('/users', {
        method: 'POST',
        body: { name: data.get('name'), password: data.get('password'), isAdmin: data.get('isAdmin') === 'on' },
      });
      form.reset();
      notify('User added.');
      reload();
    } catch (err) {
      notify(`User not added: ${errorText(err)}`, true);
    }
  };
  const removeUser = async (user: UserView) => {
    try {
      await api(`/users/${user.id}`, { method: 'DELETE' });
      notify(`Removed ${user.name}.`);
      reload();
    } catch (err) {
      notify(`Not removed: ${errorText(err)}`, true);
    }
  };
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {users.kind === 'failed' ? <p class="error">{users.error}</p> : null}
      {users.kind === 'done' && users.value.users.length === 0 ? (
        <p class="empty">No users: the companion is open to this machine only.</p>
      ) : null}
      {users.kind === 'done' ? (
        <ul class="plain-list" aria-label="Users">
          {users.value.users.map((user) => (
            <li key={user.id} class="setting-row">
              <div>
                <strong>{user.name}</strong>
                <span class="muted">{user.isAdmin ? ' · administrator' : ''}</span>
              </div>
              <button
                type="button"
                class="secondary"
                aria-label={`Remove user ${user.name}`}
                onClick={() => removeUser(user)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form class="inline-form" onSubmit={add}>
        <label>
          User name
          <input name="name" required maxLength={64} autocomplete="off" />
        </label>
        <label>
          Password
          <input name="password" type="password" required minLength={8} autocomplete="new-password" />
        </label>
        <label class="check">
          <input name="isAdmin" type="checkbox" /> Administrator
        </label>
        <button type="submit">Add user</button>
      </form>
    </section>
  );
}
