import { useState } from 'preact/hooks';
import type { ListView } from '../../../../shared/lists-api.js';
import { NOT_A_SHELF_URL, parseShelfUrl } from '../../../../shared/shelf-url.js';
import { api, errorText } from '../api.js';
import type { ViewProps } from '../views.js';

/** Watch a new shelf by its page URL; a URL that is no shelf page is refused with the same words as the API. */
export function WatchForm({ notify, onWatched }: { notify: ViewProps['notify']; onWatched: () => void }) {
  const [error, setError] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const url = String(data.get('url') ?? '').trim();
    const title = String(data.get('title') ?? '').trim();
    const token = String(data.get('token') ?? '').trim();
    if (!parseShelfUrl(url)) {
      setError(NOT_A_SHELF_URL);
      return;
    }
    setError('');
    try {
      const list = await api<ListView>('/lists', {
        method: 'POST',
        body: { url, ...(title ? { title } : {}), ...(token ? { token } : {}) },
      });
      notify(`Watching ${list.title}`);
      form.reset();
      onWatched();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form class="inline-form watch-form" onSubmit={submit} aria-labelledby="watch-title">
      <h2 id="watch-title" class="form-title">
        Watch a shelf
      </h2>
      <label>
        Shelf page URL
        <input
          name="url"
          type="url"
          required
          maxLength={2000}
          placeholder="https://www.goodreads.com/review/list/…?shelf=to-read"
          aria-describedby="watch-hint"
          aria-invalid={error ? 'true' : undefined}
        />
      </label>
      <label>
        Name (optional)
        <input name="title" maxLength={200} />
      </label>
      <label>
        Hardcover API token (optional)
        <input name="token" type="password" autoComplete="off" maxLength={4000} />
      </label>
      <button type="submit">Watch shelf</button>
      <p id="watch-hint" class="hint">
        A Goodreads, StoryGraph, Hardcover or Open Library shelf page. New books on it are queued.
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
