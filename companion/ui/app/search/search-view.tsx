import { useEffect, useState } from 'preact/hooks';
import type { BookInfo } from '../../../../shared/book.js';
import { coverPath } from '../../../../shared/web-ui-paths.js';
import { describeItemStatus } from '../../../../ui-kit/describe-item-status.js';
import { ResultCard, type SendAttempt } from '../../../../ui-kit/result-card.js';
import { API_BASE, apiCall, errorText } from '../api.js';
import { describeHidden, type HiddenResults, readHiddenResults } from '../hidden-results.js';
import { download } from '../queue-actions.js';
import {
  type SearchForm as Form,
  filtersToApiQuery,
  formFromUrl,
  formToFilters,
  formToUrl,
  hasSearch,
} from '../search-params.js';
import type { ViewProps } from '../views.js';
import { BookDetails } from './book-details.js';
import { SearchForm } from './search-form.js';

type Results =
  | { kind: 'idle' }
  | { kind: 'searching' }
  | { kind: 'done'; books: BookInfo[]; hidden: HiddenResults | null; includeHidden: boolean }
  | { kind: 'failed'; error: string };

/** Search with filters, deep-linkable (`/?q=…`), result cards with covers, details, and Download with priority. */
export function SearchView({ queue, notify }: ViewProps) {
  const [form, setForm] = useState<Form>(() => formFromUrl(location.search));
  const [results, setResults] = useState<Results>({ kind: 'idle' });
  const [priority, setPriority] = useState(0);
  const [attempts, setAttempts] = useState<Record<string, SendAttempt>>({});
  const [details, setDetails] = useState<BookInfo | null>(null);
  const byId = new Map(queue.items.map((item) => [item.id, item]));

  const run = async (wanted: Form, includeHidden = false) => {
    if (!hasSearch(wanted)) return setResults({ kind: 'idle' });
    setResults({ kind: 'searching' });
    setDetails(null);
    try {
      const { body, headers } = await apiCall<BookInfo[]>(
        `/search?${filtersToApiQuery(formToFilters(wanted), includeHidden)}`,
      );
      setResults({
        kind: 'done',
        books: body,
        hidden: includeHidden ? null : readHiddenResults(headers),
        includeHidden,
      });
    } catch (err) {
      setResults({ kind: 'failed', error: errorText(err) });
    }
  };
  useEffect(() => {
    void run(form);
    const onPop = () => {
      const next = formFromUrl(location.search);
      setForm(next);
      void run(next);
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const submit = () => {
    history.pushState(null, '', `${location.pathname}${formToUrl(form)}${location.hash}`);
    void run(form);
  };
  const send = async (book: BookInfo) => {
    setAttempts((all) => ({ ...all, [book.id]: { kind: 'sending' } }));
    try {
      await download(book, priority);
      // From here the queue's live state speaks for the book (no stale "Queued" once it is done).
      setAttempts(({ [book.id]: _, ...rest }) => rest);
    } catch (err) {
      setAttempts((all) => ({ ...all, [book.id]: { kind: 'failed', reason: errorText(err) } }));
      notify(`Could not queue ${book.title}: ${errorText(err)}`, true);
    }
  };

  if (details) {
    const item = byId.get(details.id);
    const attempt = attempts[details.id];
    const state =
      attempt?.kind === 'sending'
        ? 'Sending…'
        : item && item.status !== 'cancelled' && item.status !== 'error'
          ? describeItemStatus(item).text
          : null;
    return <BookDetails book={details} onBack={() => setDetails(null)} onDownload={send} state={state} />;
  }
  return (
    <section aria-labelledby="search-title">
      <h2 id="search-title" class="visually-hidden">
        Search
      </h2>
      <SearchForm
        form={form}
        onChange={setForm}
        onSubmit={submit}
        priority={priority}
        onPriority={setPriority}
        busy={results.kind === 'searching'}
      />
      {results.kind === 'searching' ? <p role="status">Searching…</p> : null}
      {results.kind === 'failed' ? (
        <p class="error" role="alert">
          {results.error}
        </p>
      ) : null}
      {results.kind === 'done' ? (
        <>
          {results.hidden ? (
            <p class="hidden-notice">
              {describeHidden(results.hidden)}.{' '}
              <button type="button" class="secondary" onClick={() => void run(form, true)}>
                Show them
              </button>
            </p>
          ) : null}
          {results.books.length === 0 && !results.hidden ? <p class="empty">No books found.</p> : null}
          <ul class="results" aria-label="Search results">
            {results.books.map((book) => (
              <ResultCard
                key={book.id}
                book={book}
                item={byId.get(book.id)}
                attempt={attempts[book.id]}
                onSend={send}
                sendLabel="Download"
                coverSrc={`${API_BASE}${coverPath(book.id)}`}
              >
                <button
                  type="button"
                  class="secondary"
                  aria-label={`Details of ${book.title}`}
                  onClick={() => setDetails(book)}
                >
                  Details
                </button>
              </ResultCard>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
