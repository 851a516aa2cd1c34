import { useEffect, useState } from 'preact/hooks';
import type { BookInfo } from '../../shared/book.js';
import type { BookIdentity } from '../lib/book-identity/types.js';
import { describeCompanionError, isCompanionError } from '../lib/companion-error.js';
import type { SendMessage } from './send-state.js';

const ROW_LABELS = { sending: 'Sending…', sent: 'Sent', failed: 'Retry' } as const;

type PanelState =
  | { kind: 'loading' }
  | { kind: 'results'; results: BookInfo[]; isbnMatchIds: Set<string> }
  | { kind: 'error'; message: string };

export interface SearchPanelProps {
  identity: BookIdentity;
  sendMessage: SendMessage;
  onClose(): void;
  onSent(book: BookInfo): void;
}

/** Search results for the page's book (ISBN hits first), each with its own Send; scraped text rendered as text. */
export function SearchPanel({ identity, sendMessage, onClose, onSent }: SearchPanelProps) {
  const [state, setState] = useState<PanelState>({ kind: 'loading' });
  const [sent, setSent] = useState<Record<string, 'sending' | 'sent' | 'failed'>>({});

  useEffect(() => {
    let live = true;
    sendMessage({ type: 'book:search', identity })
      .then((answer) => {
        if (live) setState({ kind: 'results', results: answer.results, isbnMatchIds: new Set(answer.isbnMatchIds) });
      })
      .catch((err: unknown) => {
        if (live)
          setState({
            kind: 'error',
            message: isCompanionError(err) ? describeCompanionError(err).title : 'The search failed',
          });
      });
    return () => {
      live = false;
    };
  }, [identity, sendMessage]);

  const sendOne = async (book: BookInfo) => {
    setSent((s) => ({ ...s, [book.id]: 'sending' }));
    try {
      await sendMessage({
        type: 'book:send-result',
        book: { id: book.id, title: book.title, author: book.author ?? null, format: book.format ?? null },
        identity,
      });
      setSent((s) => ({ ...s, [book.id]: 'sent' }));
      onSent(book);
    } catch {
      setSent((s) => ({ ...s, [book.id]: 'failed' }));
    }
  };

  const heading = identity.title ?? identity.isbn13 ?? identity.isbn10 ?? 'this book';
  return (
    <section class="bookrelay-panel" aria-label="Bookrelay search results">
      <header>
        <span>Results for “{heading}”</span>
        <button type="button" class="bookrelay-close" aria-label="Close search results" onClick={onClose}>
          ×
        </button>
      </header>
      {state.kind === 'loading' ? <p role="status">Searching…</p> : null}
      {state.kind === 'error' ? <p role="alert">{state.message}</p> : null}
      {state.kind === 'results' && state.results.length === 0 ? <p role="status">Nothing found.</p> : null}
      {state.kind === 'results' && state.results.length > 0 ? (
        <ul>
          {state.results.slice(0, 25).map((book) => {
            const status = sent[book.id];
            const label = status ? ROW_LABELS[status] : 'Send';
            const meta = [book.format, book.size, book.language, book.year].filter(Boolean).join(' · ');
            return (
              <li key={book.id}>
                <div class="bookrelay-result">
                  <strong>{book.title}</strong>
                  {state.isbnMatchIds.has(book.id) ? <span class="bookrelay-isbn"> ISBN match</span> : null}
                  <div>{[book.author, meta].filter(Boolean).join(' — ')}</div>
                </div>
                <button
                  type="button"
                  aria-label={
                    status
                      ? `${book.title} (${book.format ?? 'file'}): ${label}`
                      : `Send ${book.title} (${book.format ?? 'file'})`
                  }
                  disabled={status === 'sending' || status === 'sent'}
                  onClick={() => void sendOne(book)}
                >
                  {label}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
