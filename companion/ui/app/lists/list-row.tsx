import { useEffect, useRef, useState } from 'preact/hooks';
import { LISTS_PATHS, type ListView, type RunsResponse } from '../../../../shared/lists-api.js';
import { ApiError, api, errorText } from '../api.js';
import { useLoad } from '../use-load.js';
import type { ViewProps } from '../views.js';
import { ListRuns } from './list-runs.js';

const SITE_NAMES: Record<ListView['site'], string> = {
  goodreads: 'Goodreads',
  storygraph: 'StoryGraph',
  hardcover: 'Hardcover',
  openlibrary: 'Open Library',
};
const BY_EXTENSION = 'checked by the browser extension';
/** The API path without the page's API base (api() adds /api or /request/api). */
const path = (full: string) => full.replace(/^\/api/, '');

function lastCheck(list: ListView): string {
  if (list.lastCheckedAtMs === null) return 'Never checked';
  const outcome = list.lastError
    ? `failed: ${list.lastError}`
    : `${list.queuedCount} queued, ${list.noMatchCount} without a good match so far`;
  return `Last checked ${new Date(list.lastCheckedAtMs).toLocaleString()} · ${outcome}`;
}

/** One watched shelf: where it is, its state and last check, its actions (remove asks first) and its last checks. */
export function ListRow({
  list,
  notify,
  onChanged,
}: {
  list: ListView;
  notify: ViewProps['notify'];
  onChanged: () => void;
}) {
  const [runs, reloadRuns] = useLoad<RunsResponse>(path(LISTS_PATHS.runs(list.id)));
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  // The confirm step takes the place of the Remove button: focus moves to it, not to the page.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const act = async (work: () => Promise<unknown>, failure: string) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      const words = err instanceof ApiError && err.status === 409 ? `${list.title} is ${BY_EXTENSION}` : errorText(err);
      notify(`${failure}: ${words}`, true);
    } finally {
      setBusy(false);
    }
    onChanged();
    reloadRuns();
  };
  const check = () =>
    act(async () => {
      await api(path(LISTS_PATHS.check(list.id)), { method: 'POST', body: {} });
      notify(`Checked ${list.title}`);
    }, 'Not checked');
  const togglePause = () =>
    act(
      () => api(path(LISTS_PATHS.list(list.id)), { method: 'PATCH', body: { paused: !list.paused } }),
      list.paused ? 'Not resumed' : 'Not paused',
    );
  const remove = () =>
    act(async () => {
      await api(path(LISTS_PATHS.list(list.id)), { method: 'DELETE' });
      notify(`Stopped watching ${list.title}`);
    }, 'Not removed');

  return (
    <li class="list-row" aria-label={list.title}>
      <div class="list-head">
        <div class="queue-text">
          <span class="title">{list.title}</span>
          <span class="muted">
            {SITE_NAMES[list.site]} · {list.paused ? 'Paused' : 'Watching'} ·{' '}
            {list.mode === 'extension' ? BY_EXTENSION : 'checked by the companion'}
          </span>
          <a class="shelf-url" href={list.url} target="_blank" rel="noopener noreferrer">
            {list.url}
          </a>
          <span class={list.lastError ? 'error' : 'muted'}>{lastCheck(list)}</span>
        </div>
        <div class="row-actions">
          {list.mode === 'companion' ? (
            <button type="button" disabled={busy} aria-label={`Check ${list.title} now`} onClick={check}>
              Check now
            </button>
          ) : null}
          <button
            type="button"
            class="secondary"
            disabled={busy}
            aria-label={`${list.paused ? 'Resume' : 'Pause'} ${list.title}`}
            onClick={togglePause}
          >
            {list.paused ? 'Resume' : 'Pause'}
          </button>
          {confirming ? (
            <fieldset class="confirm">
              <legend class="visually-hidden">{`Remove ${list.title}?`}</legend>
              <button
                ref={confirmButton}
                type="button"
                disabled={busy}
                aria-label={`Yes, remove ${list.title}`}
                onClick={remove}
              >
                Yes, remove
              </button>
              <button
                type="button"
                class="secondary"
                aria-label={`Keep ${list.title}`}
                onClick={() => setConfirming(false)}
              >
                Keep
              </button>
            </fieldset>
          ) : (
            <button
              type="button"
              class="secondary"
              disabled={busy}
              aria-label={`Remove ${list.title}`}
              onClick={() => setConfirming(true)}
            >
              Remove
            </button>
          )}
        </div>
      </div>
      <ListRuns runs={runs} title={list.title} />
    </li>
  );
}
