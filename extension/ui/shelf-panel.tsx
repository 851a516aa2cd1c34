import { useEffect, useState } from 'preact/hooks';
import type { ListView, ShelfEntry } from '../../shared/lists-api.js';
import { sendMessage as defaultSendMessage } from '../lib/send-message.js';
import type { ShelfPreviewItem, ShelfSendAnswer } from '../lib/shelf-messages.js';
import { describeError } from './book-buttons.js';
import type { SendMessage } from './send-state.js';

const REASON_TEXT: Record<string, string> = {
  'no-identity': 'no title',
  'no-results': 'not found',
  'different-book': 'no good match',
  'unwanted-format': 'no file in your formats',
  'unwanted-language': 'not in your languages',
  'implausible-size': 'no plausible file',
  'search-failed': 'search failed',
};

type PanelState =
  | { kind: 'idle' }
  | { kind: 'previewing'; count: number }
  | { kind: 'preview'; items: ShelfPreviewItem[] }
  | { kind: 'sending' }
  | { kind: 'sent'; answer: ShelfSendAnswer; noMatch: number }
  | { kind: 'error'; message: string };

export interface ShelfPanelProps {
  url: string;
  /** Reads the page's entries at the moment of the click (long shelves load more rows as the user scrolls). */
  readEntries: () => ShelfEntry[];
  sendMessage?: SendMessage;
  /** Hardcover: the user may give an API token, so the companion reads the shelf itself (no browser needed). */
  asksForToken?: boolean;
}

const byline = (entry: ShelfEntry) => (entry.authors[0] ? ` — ${entry.authors[0]}` : '');

/** *Send all* (preview, then confirm) and *Watch this shelf* on a shelf page, in a shadow root. */
export function ShelfPanel({
  url,
  readEntries,
  sendMessage = defaultSendMessage,
  asksForToken = false,
}: ShelfPanelProps) {
  const [state, setState] = useState<PanelState>({ kind: 'idle' });
  const [watched, setWatched] = useState<ListView | null>(null);
  const [watchError, setWatchError] = useState<string | null>(null);
  const [token, setToken] = useState('');

  useEffect(() => {
    sendMessage({ type: 'shelf:watched', url }).then(setWatched, () => setWatched(null));
  }, [url, sendMessage]);

  const preview = async () => {
    const entries = readEntries();
    if (entries.length === 0) return setState({ kind: 'error', message: 'No books found on this page' });
    setState({ kind: 'previewing', count: entries.length });
    try {
      setState({ kind: 'preview', items: await sendMessage({ type: 'shelf:preview', entries }) });
    } catch (err) {
      setState({ kind: 'error', message: describeError(err) });
    }
  };

  const confirm = async (items: ShelfPreviewItem[]) => {
    const books = items.flatMap((item) => (item.ok ? [item.book] : []));
    setState({ kind: 'sending' });
    try {
      const answer = await sendMessage({ type: 'shelf:send', books });
      setState({ kind: 'sent', answer, noMatch: items.length - books.length });
    } catch (err) {
      setState({ kind: 'error', message: describeError(err) });
    }
  };

  const watch = async () => {
    setWatchError(null);
    try {
      const secret = token.trim();
      setWatched(
        await sendMessage({ type: 'shelf:watch', url, entries: readEntries(), ...(secret ? { token: secret } : {}) }),
      );
      setToken('');
    } catch (err) {
      setWatchError(describeError(err));
    }
  };

  const busy = state.kind === 'previewing' || state.kind === 'sending';
  return (
    <section class="bookrelay bookrelay-shelf" aria-label="Bookrelay shelf">
      <div class="bookrelay-row">
        <button type="button" class="bookrelay-send" disabled={busy} onClick={preview}>
          {state.kind === 'previewing' ? `Checking ${state.count} books…` : 'Send all'}
        </button>
        <button type="button" disabled={watched !== null} onClick={watch}>
          {watched ? (watched.paused ? 'Watching (paused)' : 'Watching this shelf') : 'Watch this shelf'}
        </button>
      </div>
      {asksForToken && watched === null ? (
        <label class="bookrelay-row">
          Hardcover API token (optional)
          <input
            type="password"
            autocomplete="off"
            value={token}
            maxLength={4000}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </label>
      ) : null}
      {watchError && <p role="alert">Could not watch: {watchError}</p>}
      {state.kind === 'error' && <p role="alert">{state.message}</p>}
      {state.kind === 'sending' && <p role="status">Queueing…</p>}
      {state.kind === 'sent' && (
        <p role="status">
          Queued {state.answer.queued.length} {state.answer.queued.length === 1 ? 'book' : 'books'}
          {state.noMatch > 0 ? `; ${state.noMatch} without a good match` : ''}
          {state.answer.failed.length > 0 ? `; ${state.answer.failed.length} refused` : ''}
        </p>
      )}
      {state.kind === 'preview' && (
        <Preview items={state.items} onConfirm={confirm} onCancel={() => setState({ kind: 'idle' })} />
      )}
    </section>
  );
}

function Preview({
  items,
  onConfirm,
  onCancel,
}: {
  items: ShelfPreviewItem[];
  onConfirm: (items: ShelfPreviewItem[]) => void;
  onCancel: () => void;
}) {
  const matched = items.filter((item) => item.ok);
  const missing = items.filter((item) => !item.ok);
  return (
    <section class="bookrelay-panel" aria-label="Send all preview">
      <h3>Will queue ({matched.length})</h3>
      <ul aria-label="Will queue">
        {matched.map((item) => (
          <li key={item.entry.key}>
            {item.entry.title}
            {byline(item.entry)}
            {item.ok && item.book.format ? ` (${item.book.format})` : ''}
          </li>
        ))}
      </ul>
      {missing.length > 0 && (
        <>
          <h3>No good match ({missing.length})</h3>
          <ul aria-label="No good match">
            {missing.map((item) => (
              <li key={item.entry.key}>
                {item.entry.title}
                {byline(item.entry)}: {item.ok ? '' : (REASON_TEXT[item.reason] ?? item.reason)}
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="bookrelay-row">
        <button type="button" class="bookrelay-send" disabled={matched.length === 0} onClick={() => onConfirm(items)}>
          {`Queue ${matched.length} ${matched.length === 1 ? 'book' : 'books'}`}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
