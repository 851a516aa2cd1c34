import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { BookIdentity } from '../../../extension/lib/book-identity/types.js';
import type { BookJob } from '../../../extension/lib/book-job.js';
import { CompanionError } from '../../../extension/lib/companion-error.js';
import type { MessageRequest, MessageResponse, MessageType } from '../../../extension/lib/messages.js';
import { BookButtons, describeSendState } from '../../../extension/ui/book-buttons.js';
import type { SendMessage } from '../../../extension/ui/send-state.js';

const identity: BookIdentity = {
  title: 'Project Hail Mary',
  isbn13: '9780593135204',
  authors: ['Andy Weir'],
  site: 'hardcover',
  sourceUrl: 'https://hardcover.app/books/project-hail-mary',
};
const md5 = '0123456789abcdef0123456789abcdef';

/**
 * Plays the background's part: answers each message type from a script, the way the real router would; jobs are
 * served in order (queued → downloading → done) and the last one repeats.
 */
function scriptBackground(answers: {
  sent?: MessageResponse<'book:sent'>;
  send?: MessageResponse<'book:send-best-match'> | Error;
  jobs?: BookJob[];
  search?: MessageResponse<'book:search'>;
}) {
  const seen: string[] = [];
  const jobs = [...(answers.jobs ?? [])];
  const send = (async (message: MessageRequest<MessageType>) => {
    seen.push(message.type);
    switch (message.type) {
      case 'book:sent':
        return answers.sent ?? null;
      case 'book:send-best-match':
        if (answers.send instanceof Error) throw answers.send;
        return answers.send;
      case 'book:job':
        return jobs.length > 1 ? jobs.shift() : jobs[0];
      case 'book:search':
        return answers.search ?? { results: [], isbnMatchIds: [] };
      case 'book:send-result':
        return { md5 };
      default:
        throw new Error(`Unexpected message ${message.type}`);
    }
  }) as SendMessage;
  return { send, seen };
}

const job = (status: BookJob['status'], progress: number | null = null, message: string | null = null): BookJob => ({
  md5,
  status,
  progress,
  message,
});

afterEach(cleanup);

describe('describeSendState', () => {
  it('names every step of the job the way the button shows it', () => {
    expect(describeSendState({ kind: 'idle' })).toBe('Send to library');
    expect(describeSendState({ kind: 'following', md5, job: null })).toBe('Queued');
    expect(describeSendState({ kind: 'following', md5, job: job('downloading', 42.7) })).toBe('42%');
    expect(describeSendState({ kind: 'following', md5, job: job('done') })).toBe('In library');
    expect(describeSendState({ kind: 'following', md5, job: job('error', null, 'md5 mismatch') })).toBe(
      'Failed: md5 mismatch',
    );
    expect(describeSendState({ kind: 'no-match', reason: 'different-book' })).toBe('No good match – search instead');
  });
});

describe('BookButtons', () => {
  it('Send follows the job: queued → % → In library', async () => {
    const background = scriptBackground({
      send: { kind: 'queued', md5, title: 'Project Hail Mary' },
      jobs: [job('queued'), job('downloading', 50), job('done')],
    });
    render(<BookButtons identity={identity} sendMessage={background.send} pollIntervalMs={5} />);
    fireEvent.click(screen.getByRole('button', { name: 'Send to library' }));
    await screen.findByRole('button', { name: 'In library' });
    expect(background.seen.filter((type) => type === 'book:job').length).toBeGreaterThanOrEqual(3);
    expect(background.seen).toContain('book:send-best-match');
  });

  it('a failed download says why, and a click retries the same file', async () => {
    const background = scriptBackground({
      send: { kind: 'queued', md5, title: 'Project Hail Mary' },
      jobs: [job('error', null, 'all mirrors failed')],
    });
    render(<BookButtons identity={identity} sendMessage={background.send} pollIntervalMs={5} />);
    fireEvent.click(screen.getByRole('button', { name: 'Send to library' }));
    const failed = await screen.findByRole('button', { name: 'Failed: all mirrors failed' });
    fireEvent.click(failed);
    await waitFor(() => expect(background.seen).toContain('book:send-result'));
  });

  it('no good match: says so and opens the search instead of guessing', async () => {
    const background = scriptBackground({ send: { kind: 'no-match', reason: 'different-book', detail: 'x' } });
    render(<BookButtons identity={identity} sendMessage={background.send} />);
    fireEvent.click(screen.getByRole('button', { name: 'Send to library' }));
    await screen.findByRole('button', { name: 'No good match – search instead' });
    await screen.findByRole('region', { name: 'Bookrelay search results' });
    await waitFor(() => expect(background.seen).toContain('book:search'));
    expect(background.seen).not.toContain('book:send-result');
  });

  it('a book already sent shows In library at once, without a click', async () => {
    const background = scriptBackground({
      sent: { md5, isbns: ['9780593135204'], title: 'Project Hail Mary', sentAtMs: 1, done: true },
    });
    render(<BookButtons identity={identity} sendMessage={background.send} />);
    await screen.findByRole('button', { name: 'In library' });
    expect(background.seen).not.toContain('book:send-best-match');
  });

  it('an unreachable companion is explained on the button', async () => {
    const background = scriptBackground({ send: new CompanionError('unreachable', 'Could not reach it') });
    render(<BookButtons identity={identity} sendMessage={background.send} />);
    fireEvent.click(screen.getByRole('button', { name: 'Send to library' }));
    await screen.findByRole('button', { name: 'Failed: The companion is unreachable' });
  });

  it('renders scraped text as text, never as HTML', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">Evil';
    const background = scriptBackground({
      search: { results: [{ id: md5, title: hostile, author: '<b>bold</b>', format: 'epub' }], isbnMatchIds: [] },
    });
    const { container } = render(
      <BookButtons identity={{ ...identity, title: hostile }} sendMessage={background.send} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Search for this book' }));
    await screen.findByRole('button', { name: `Send ${hostile} (epub)` });
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toContain(hostile);
  });
});
