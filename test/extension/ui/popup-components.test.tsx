import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../../../extension/lib/messages.js';
import { ConnectionNotice } from '../../../extension/ui/connection-notice.js';
import { resolveFilter } from '../../../extension/ui/popup/search-form.js';
import type { BookInfo } from '../../../shared/book.js';
import { describeItemStatus } from '../../../ui-kit/describe-item-status.js';
import { QueueRow } from '../../../ui-kit/queue-row.js';
import { ResultCard } from '../../../ui-kit/result-card.js';
import { makeItem, md5 } from '../background/queue-item-fixture.js';

afterEach(cleanup);

const book: BookInfo = {
  id: md5(1),
  title: '<img src=x onerror="alert(1)">Moby-Dick',
  author: 'Herman Melville',
  year: '1851',
  format: 'epub',
  size: '0.8MB',
  language: 'English [en]',
  preview: 'https://covers.example/1.jpg',
};

describe('describeItemStatus', () => {
  it('names each state in the user’s words', () => {
    const base = makeItem({ id: md5(1) });
    expect(describeItemStatus(base).text).toBe('Queued');
    expect(describeItemStatus({ ...base, status: 'downloading', progress: 42.7 }).text).toBe('Downloading 42%');
    expect(describeItemStatus({ ...base, status: 'downloading', statusMessage: 'Resolving links' }).text).toBe(
      'Resolving links',
    );
    expect(
      describeItemStatus({ ...base, status: 'downloading', waiting: { kind: 'clearance', site: 'annas-archive.org' } }),
    ).toEqual({ text: 'Waiting for annas-archive.org’s check', tone: 'waiting' });
    expect(describeItemStatus({ ...base, status: 'available' })).toEqual({ text: 'In library', tone: 'done' });
    expect(describeItemStatus({ ...base, status: 'done' }).text).toBe('In library');
    expect(describeItemStatus({ ...base, status: 'error', error: 'md5 mismatch' })).toEqual({
      text: 'Failed: md5 mismatch',
      tone: 'failed',
    });
  });
});

describe('ResultCard', () => {
  it('shows every field as text, a cover with alt text, and a Send to library button', () => {
    const onSend = vi.fn();
    const { container } = render(<ResultCard book={book} item={undefined} attempt={undefined} onSend={onSend} />);
    const card = screen.getByRole('listitem', { name: book.title });
    expect(card.textContent).toContain(book.title);
    expect(card.textContent).toContain('1851 · EPUB · 0.8MB · English [en]');
    expect(screen.getByAltText(`Cover of ${book.title}`).getAttribute('src')).toBe(book.preview);
    // The scraped title's markup stayed text: the only image is the cover.
    expect(container.querySelectorAll('img')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Send to library' }));
    expect(onSend).toHaveBeenCalledWith(book);
  });

  it('never uses a non-web preview as an image source', () => {
    render(
      <ResultCard
        book={{ ...book, preview: 'javascript:alert(1)' }}
        item={undefined}
        attempt={undefined}
        onSend={() => {}}
      />,
    );
    expect(screen.queryByRole('img', { name: `Cover of ${book.title}` })).toBeNull();
    expect(screen.getByRole('img', { name: `No cover for ${book.title}` })).toBeTruthy();
  });

  it('turns into the book’s state: sending, progress, in library, failed with a retry', () => {
    const onSend = vi.fn();
    const { rerender } = render(
      <ResultCard book={book} item={undefined} attempt={{ kind: 'sending' }} onSend={onSend} />,
    );
    expect(screen.getByRole('status').textContent).toBe('Sending…');
    const downloading = makeItem({ id: book.id, status: 'downloading', progress: 30 });
    rerender(<ResultCard book={book} item={downloading} attempt={undefined} onSend={onSend} />);
    expect(screen.getByRole('status').textContent).toBe('Downloading 30%');
    expect(screen.getByRole('progressbar', { name: `Progress of ${book.title}` })).toBeTruthy();
    rerender(
      <ResultCard book={book} item={{ ...downloading, status: 'available' }} attempt={undefined} onSend={onSend} />,
    );
    expect(screen.getByRole('status').textContent).toBe('In library');
    expect(screen.queryByRole('button')).toBeNull();
    rerender(
      <ResultCard
        book={book}
        item={undefined}
        attempt={{ kind: 'failed', reason: 'The companion is unreachable' }}
        onSend={onSend}
      />,
    );
    expect(screen.getByRole('status').textContent).toBe('Failed: The companion is unreachable');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onSend).toHaveBeenCalledWith(book);
  });
});

describe('QueueRow', () => {
  it('offers Cancel while active and Retry after a failure, named after the book', () => {
    const onCancel = vi.fn();
    const onRetry = vi.fn();
    const item = makeItem({ id: md5(2), title: 'Emma', status: 'downloading', progress: 10 });
    const { rerender } = render(<QueueRow item={item} onCancel={onCancel} onRetry={onRetry} />);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel Emma' }));
    expect(onCancel).toHaveBeenCalledWith(item);
    const failed = { ...item, status: 'error' as const, error: 'No source had the file' };
    rerender(<QueueRow item={failed} onCancel={onCancel} onRetry={onRetry} />);
    expect(screen.getByRole('status').textContent).toBe('Failed: No source had the file');
    fireEvent.click(screen.getByRole('button', { name: 'Retry Emma' }));
    expect(onRetry).toHaveBeenCalledWith(failed);
  });
});

describe('ConnectionNotice', () => {
  const state = (over: Partial<ConnectionState>): ConnectionState => ({
    status: 'online',
    url: 'http://127.0.0.1:8084',
    deviceName: null,
    error: null,
    version: null,
    checkedAtMs: 1,
    ...over,
  });

  it('says nothing when online', () => {
    const { container } = render(<ConnectionNotice state={state({})} onOpenOptions={() => {}} onRetry={() => {}} />);
    expect(container.textContent).toBe('');
  });

  it('a never-paired device refused by the companion is told to pair, with a way to the options page', () => {
    const onOpenOptions = vi.fn();
    render(
      <ConnectionNotice
        state={state({ status: 'offline', error: { reason: 'unauthorized', message: 'Unauthorized', status: 401 } })}
        onOpenOptions={onOpenOptions}
        onRetry={() => {}}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('Not paired with a companion');
    fireEvent.click(screen.getByRole('button', { name: 'Open options to pair' }));
    expect(onOpenOptions).toHaveBeenCalledOnce();
  });

  it('a revoked token says so; an unreachable companion offers Try again', () => {
    const { rerender } = render(
      <ConnectionNotice
        state={state({ status: 'unpaired', deviceName: 'laptop', error: { reason: 'unauthorized', message: 'x' } })}
        onOpenOptions={() => {}}
        onRetry={() => {}}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('The companion refused this device (401)');
    const onRetry = vi.fn();
    rerender(
      <ConnectionNotice
        state={state({ status: 'offline', error: { reason: 'unreachable', message: 'x' } })}
        onOpenOptions={() => {}}
        onRetry={onRetry}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('The companion is unreachable');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });
});

describe('resolveFilter', () => {
  it('maps the select choice to the search filter', () => {
    expect(resolveFilter('preferred', ['epub', 'mobi'])).toEqual(['epub', 'mobi']);
    expect(resolveFilter('preferred', [])).toBeUndefined();
    expect(resolveFilter('any', ['epub'])).toBeUndefined();
    expect(resolveFilter('pdf', ['epub'])).toEqual(['pdf']);
  });
});
