import { useEffect, useRef, useState } from 'preact/hooks';
import type { BookInfo } from '../../../../shared/book.js';
import { coverPath } from '../../../../shared/web-ui-paths.js';
import { API_BASE, api, errorText } from '../api.js';

/** The ISBNs a record page lists (AA's `info` keys "ISBN-13" and "ISBN-10"). */
export function isbnsOf(book: Pick<BookInfo, 'info'>): string[] {
  const entries = Object.entries(book.info ?? {}).filter(([key]) => /^isbn-?1[03]$/i.test(key));
  return [...new Set(entries.flatMap(([, values]) => values))];
}

/** Where the file can come from: the hosts of its download links, named once each. */
export function sourcesOf(book: Pick<BookInfo, 'download_urls'>): string[] {
  const hosts = (book.download_urls ?? []).flatMap((url) => (URL.canParse(url) ? [new URL(url).host] : []));
  return [...new Set(hosts)];
}

export interface BookDetailsProps {
  /** What the result card knew; the record page fills in the rest. */
  book: BookInfo;
  onBack: () => void;
  onDownload: (book: BookInfo) => void;
  /** The book's state line ("Queued", "Downloading 40%") when it is in the queue. */
  state: string | null;
}

/** A book's record: cover, description, publisher, ISBNs and sources, from `GET /api/info`. */
export function BookDetails({ book: summary, onBack, onDownload, state }: BookDetailsProps) {
  const [book, setBook] = useState<BookInfo>(summary);
  const [status, setStatus] = useState<'loading' | 'done' | string>('loading');
  useEffect(() => {
    let live = true;
    api<BookInfo>(`/info?id=${encodeURIComponent(summary.id)}`)
      .then((full) => {
        if (!live) return;
        setBook({ ...summary, ...full });
        setStatus('done');
      })
      .catch((err) => live && setStatus(errorText(err)));
    return () => {
      live = false;
    };
  }, [summary.id]);
  const [coverFailed, setCoverFailed] = useState(false);
  // Keyboard and screen reader users land on the book they opened.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const isbns = isbnsOf(book);
  const sources = sourcesOf(book);
  const facts: Array<[string, string | null | undefined]> = [
    ['Author', book.author],
    ['Publisher', book.publisher],
    ['Year', book.year],
    ['Language', book.language],
    ['Format', book.format?.toUpperCase()],
    ['Size', book.size],
    ['Content', book.content],
    ['ISBN', isbns.join(', ') || null],
    ['Sources', sources.join(', ') || (status === 'loading' ? null : 'None listed')],
    ['md5', book.id],
  ];
  return (
    <section class="book-details" aria-labelledby="details-title">
      <button type="button" class="secondary back" onClick={onBack}>
        ← Back to results
      </button>
      <div class="details-body">
        {coverFailed ? (
          <div key="no-cover" class="cover large cover-missing" role="img" aria-label={`No cover for ${book.title}`} />
        ) : (
          <img
            key="cover"
            class="cover large"
            src={`${API_BASE}${coverPath(book.id)}`}
            alt={`Cover of ${book.title}`}
            onError={() => setCoverFailed(true)}
          />
        )}
        <div key="text">
          <h2 id="details-title" tabIndex={-1} ref={heading}>
            {book.title}
          </h2>
          <dl class="facts">
            {facts
              .filter(([, value]) => value)
              .map(([label, value]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
          </dl>
          {status === 'loading' ? <p role="status">Loading the record…</p> : null}
          {status !== 'loading' && status !== 'done' ? <p class="error">Could not load the record: {status}</p> : null}
          {book.description ? <p class="description">{book.description}</p> : null}
          <div class="details-actions">
            {state ? (
              <span role="status">{state}</span>
            ) : (
              <button type="button" onClick={() => onDownload(book)}>
                Download
              </button>
            )}
          </div>
        </div>
      </div>
    </section>
  );
}
