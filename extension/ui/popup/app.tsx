import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { HiddenResults } from '../../../shared/api.js';
import type { BookInfo } from '../../../shared/book.js';
import type { QueueItemView } from '../../../shared/download.js';
import { QueueRow } from '../../../ui-kit/queue-row.js';
import { ResultCard, type SendAttempt } from '../../../ui-kit/result-card.js';
import { type CompanionErrorInfo, describeCompanionError, toCompanionErrorInfo } from '../../lib/companion-error.js';
import { toEffectivePreferences } from '../../lib/effective-preferences.js';
import type { ConnectionState, MessageRequest } from '../../lib/messages.js';
import { pendingSearch } from '../../lib/pending-search.js';
import { sendMessage } from '../../lib/send-message.js';
import { ConnectionNotice, needsPairing } from '../connection-notice.js';
import { HiddenResultsNotice } from './hidden-results-notice.js';
import { ListsSection } from './lists-section.js';
import { buildSearchFilters, SearchForm, type SearchRequest } from './search-form.js';
import { usePopupPort } from './use-popup-port.js';

type SearchState =
  | { kind: 'idle' }
  | { kind: 'searching'; query: string }
  | { kind: 'done'; query: string; results: BookInfo[]; hidden: HiddenResults; request: SearchRequest }
  | { kind: 'failed'; query: string; error: CompanionErrorInfo };

const QUEUE_LIMIT = 20;

/** The toolbar popup: search, send, and watch the queue live. `initialQuery` comes from `?q=` or the context menu. */
export function App({ initialQuery }: { initialQuery: string | null }) {
  const live = usePopupPort();
  const [tested, setTested] = useState<ConnectionState | null>(null);
  const [preferences, setPreferences] = useState<{ formats: string[]; languages: string[] } | null>(null);
  // The companion's own defaults: a preferred list equal to them is left to the companion, which counts what it hides.
  const [defaults, setDefaults] = useState<{ formats: string[]; languages: string[] }>({ formats: [], languages: [] });
  const [query, setQuery] = useState<string | null>(null);
  const [search, setSearch] = useState<SearchState>({ kind: 'idle' });
  const [attempts, setAttempts] = useState<Record<string, SendAttempt>>({});
  const [queueError, setQueueError] = useState<string | null>(null);

  const connection = live.connection?.checkedAtMs ? live.connection : (tested ?? live.connection);
  const queue = live.queue ?? [];
  const byId = new Map(queue.map((item) => [item.id, item]));

  const testConnection = () =>
    void sendMessage({ type: 'connection:test' } as MessageRequest<'connection:test'>)
      .then(setTested)
      .catch(() => {});

  const runSearch = async (request: SearchRequest, prefs = preferences, companion = defaults, showHidden = false) => {
    if (!prefs) return;
    setSearch({ kind: 'searching', query: request.query });
    const { filters, includeHidden } = buildSearchFilters(request, prefs, companion, showHidden);
    try {
      const { results, hidden } = await sendMessage({
        type: 'search',
        filters,
        ...(includeHidden ? { includeHidden } : {}),
      });
      setSearch({ kind: 'done', query: request.query, results, hidden, request });
    } catch (err) {
      setSearch({ kind: 'failed', query: request.query, error: toCompanionErrorInfo(err) });
    }
  };

  useEffect(() => {
    testConnection();
    void (async () => {
      // Through the background, so the popup bundle carries no storage layer of its own.
      const view = await sendMessage({ type: 'preferences:get' } as MessageRequest<'preferences:get'>).catch(() => ({
        preferences: { formats: null, languages: null },
        defaults: { formats: [], languages: [] },
      }));
      const prefs = toEffectivePreferences(view.preferences, view.defaults);
      const start = initialQuery ?? (await pendingSearch.take().catch(() => null));
      setPreferences(prefs);
      setDefaults(view.defaults);
      setQuery(start ?? '');
      if (start) await runSearch({ query: start, format: 'preferred', language: 'preferred' }, prefs, view.defaults);
    })();
  }, []);

  const send = async (book: Pick<BookInfo, 'id' | 'title' | 'author' | 'format'>) => {
    setAttempts((all) => ({ ...all, [book.id]: { kind: 'sending' } }));
    try {
      await sendMessage({
        type: 'send',
        id: book.id,
        title: book.title,
        ...(book.author ? { author: book.author } : {}),
        ...(book.format ? { format: book.format } : {}),
      });
      setAttempts(({ [book.id]: _, ...rest }) => rest);
    } catch (err) {
      const { title } = describeCompanionError(toCompanionErrorInfo(err));
      setAttempts((all) => ({ ...all, [book.id]: { kind: 'failed', reason: title } }));
    }
  };

  const cancel = async (item: QueueItemView) => {
    setQueueError(null);
    await sendMessage({ type: 'cancel', id: item.id }).catch((err) =>
      setQueueError(describeCompanionError(toCompanionErrorInfo(err)).title),
    );
  };

  const webUiUrl = connection?.url ? `${connection.url.replace(/\/+$/, '')}/` : null;
  const usable = connection?.status === 'online' || (connection?.status === 'unknown' && !connection.error);

  return (
    <main class="popup">
      <header class="popup-header">
        <h1>Bookrelay</h1>
        {webUiUrl ? (
          <a href={webUiUrl} target="_blank" rel="noreferrer">
            Open the companion
          </a>
        ) : null}
      </header>
      {connection ? (
        <ConnectionNotice
          state={connection}
          onOpenOptions={() => void browser.runtime.openOptionsPage()}
          onRetry={testConnection}
        />
      ) : null}
      {preferences && query !== null && !(connection && needsPairing(connection)) ? (
        <SearchForm
          key={query}
          initialQuery={query}
          preferences={preferences}
          busy={search.kind === 'searching'}
          onSearch={(request) => void runSearch(request)}
        />
      ) : null}
      <section class="results" aria-label="Search results">
        {search.kind === 'searching' ? <p role="status">Searching for “{search.query}”…</p> : null}
        {search.kind === 'failed' ? <SearchFailure error={search.error} /> : null}
        {search.kind === 'done' && search.results.length === 0 ? (
          <p role="status">No results for “{search.query}”. Try fewer words or another format or language.</p>
        ) : null}
        {search.kind === 'done' ? (
          <HiddenResultsNotice
            hidden={search.hidden}
            onShow={() => void runSearch(search.request, preferences, defaults, true)}
          />
        ) : null}
        {search.kind === 'done' && search.results.length > 0 ? <h2>Results</h2> : null}
        {search.kind === 'done' && search.results.length > 0 ? (
          <ul class="result-list">
            {search.results.map((book) => (
              <ResultCard
                key={book.id}
                book={book}
                item={byId.get(book.id)}
                attempt={attempts[book.id]}
                onSend={(b) => void send(b)}
              />
            ))}
          </ul>
        ) : null}
      </section>
      <section class="queue" aria-labelledby="queue-heading">
        <h2 id="queue-heading">{usable ? 'Queue' : 'Queue (last known)'}</h2>
        {queueError ? (
          <p class="failed" role="alert">
            {queueError}
          </p>
        ) : null}
        {live.queue === null ? null : queue.length === 0 ? (
          <p class="empty">
            {usable ? 'Nothing in the queue yet. Search for a book and send it to your library.' : 'No queue to show.'}
          </p>
        ) : (
          <ul class="queue-list">
            {queue.slice(0, QUEUE_LIMIT).map((item) => (
              <QueueRow
                key={item.id}
                item={item}
                onCancel={(i) => void cancel(i)}
                onRetry={(i) => void send({ id: i.id, title: i.title, author: i.author, format: i.format })}
              />
            ))}
          </ul>
        )}
      </section>
      {usable && !(connection && needsPairing(connection)) ? (
        <ListsSection
          capabilities={connection?.capabilities}
          onSearch={(q) => {
            setQuery(q);
            void runSearch({ query: q, format: 'preferred', language: 'preferred' });
          }}
        />
      ) : null}
    </main>
  );
}

function SearchFailure({ error }: { error: CompanionErrorInfo }) {
  const { title, action } = describeCompanionError(error);
  return (
    <div class="failed" role="alert">
      <strong>{title}</strong>
      {action ? <p>{action}</p> : null}
    </div>
  );
}
