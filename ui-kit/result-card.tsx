import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { BookInfo } from '../shared/book.js';
import type { QueueItemView } from '../shared/download.js';
import { describeItemStatus } from './describe-item-status.js';
import { Progress } from './progress.js';

/** A send the popup started: in flight, or refused by the companion with its reason. */
export type SendAttempt = { kind: 'sending' } | { kind: 'failed'; reason: string };

export interface ResultCardProps {
  book: BookInfo;
  /** The queue item for this book, once the companion has it. */
  item: QueueItemView | undefined;
  attempt: SendAttempt | undefined;
  onSend: (book: BookInfo) => void;
  /** Where the cover comes from; defaults to the scraped `preview` (the web UI passes its own cover route). */
  coverSrc?: string | null;
  /** The send button's words ("Send to library" in the popup). */
  sendLabel?: string;
  /** More controls after the state (the web UI's Details and priority). */
  children?: ComponentChildren;
}

// Only web images: a scraped `preview` is never used as any other kind of URL.
const isWebImage = (url: string | null | undefined): url is string =>
  !!url && URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol);

/**
 * One search result: cover, title, author, year, format, size, language and *Send to library*, which turns into the
 * book's state (queued → % → in library, or failed with the reason and a retry). Scraped text only as text.
 */
export function ResultCard({
  book,
  item,
  attempt,
  onSend,
  coverSrc,
  sendLabel = 'Send to library',
  children,
}: ResultCardProps) {
  // An unreachable cover host shows the placeholder instead of a broken image.
  const [coverFailed, setCoverFailed] = useState(false);
  const details = [book.year, book.format?.toUpperCase(), book.size, book.language].filter(Boolean).join(' · ');
  const titleId = `title-${book.id}`;
  const cover = coverSrc !== undefined ? coverSrc : isWebImage(book.preview) ? book.preview : null;
  const send = (
    <button type="button" aria-describedby={titleId} onClick={() => onSend(book)}>
      {sendLabel}
    </button>
  );
  let state = send;
  if (attempt?.kind === 'sending') state = <span role="status">Sending…</span>;
  else if (attempt?.kind === 'failed') {
    state = (
      <span class="failed">
        <span role="status">Failed: {attempt.reason}</span>
        <button type="button" aria-describedby={titleId} onClick={() => onSend(book)}>
          Retry
        </button>
      </span>
    );
  } else if (item && item.status !== 'cancelled') {
    const status = describeItemStatus(item);
    state = (
      <span class={`tone-${status.tone}`}>
        <span role="status">{status.text}</span>
        {item.status === 'downloading' && !item.waiting ? (
          <Progress value={item.progress} label={`Progress of ${book.title}`} />
        ) : null}
        {item.status === 'error' ? (
          <button type="button" aria-describedby={titleId} onClick={() => onSend(book)}>
            Retry
          </button>
        ) : null}
      </span>
    );
  }
  return (
    <li class="result-card" aria-label={book.title}>
      {cover && !coverFailed ? (
        <img
          key="cover"
          class="cover"
          src={cover}
          alt={`Cover of ${book.title}`}
          loading="lazy"
          onError={() => setCoverFailed(true)}
          referrerpolicy="no-referrer"
        />
      ) : (
        <div key="no-cover" class="cover cover-missing" role="img" aria-label={`No cover for ${book.title}`} />
      )}
      {/* Keyed: a cover that fails to load must not make Preact rebuild (and unfocus) the text beside it. */}
      <div key="text" class="result-text">
        <span class="title" id={titleId}>
          {book.title}
        </span>
        {book.author ? <span class="author">{book.author}</span> : null}
        {details ? <span class="details">{details}</span> : null}
        <div class="result-state">
          {state}
          {children}
        </div>
      </div>
    </li>
  );
}
