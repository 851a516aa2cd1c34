import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeHidden, readHiddenResults } from '../../../../companion/ui/app/hidden-results.js';
import { move, orderToPriorities } from '../../../../companion/ui/app/queue-actions.js';
import { BookDetails, isbnsOf, sourcesOf } from '../../../../companion/ui/app/search/book-details.js';
import { SearchView } from '../../../../companion/ui/app/search/search-view.js';
import {
  filtersToApiQuery,
  formFromUrl,
  formToFilters,
  formToUrl,
  hasSearch,
} from '../../../../companion/ui/app/search-params.js';
import { DiagnosticsSection } from '../../../../companion/ui/app/settings/diagnostics-section.js';
import { applyEvent } from '../../../../companion/ui/app/use-queue.js';
import type { BookInfo } from '../../../../shared/book.js';
import { displayTitle } from '../../../../ui-kit/display-title.js';
import { QueueRow } from '../../../../ui-kit/queue-row.js';
import { ResultCard } from '../../../../ui-kit/result-card.js';
import { makeItem, md5 } from '../../background/queue-item-fixture.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('deep links with Shelfmark’s parameter names', () => {
  it('reads q, author, title, isbn, lang, format, content and sort, and writes them back', () => {
    const form = formFromUrl(
      '?q=dune&author=Frank+Herbert&isbn=9780441013593&lang=en&lang=de&format=epub&content=book_fiction&sort=newest',
    );
    expect(form).toMatchObject({ q: 'dune', author: 'Frank Herbert', lang: 'en, de', format: 'epub', sort: 'newest' });
    expect(hasSearch(form)).toBe(true);
    expect(formFromUrl(formToUrl(form))).toEqual(form);
    // CWA-BD's API calls Shelfmark's `q` `query`; repeated values stay repeated.
    expect(filtersToApiQuery(formToFilters(form))).toBe(
      'query=dune&isbn=9780441013593&author=Frank+Herbert&lang=en&lang=de&format=epub&content=book_fiction&sort=newest',
    );
    expect(filtersToApiQuery(formToFilters(form), true)).toContain('include_hidden=true');
    expect(hasSearch(formFromUrl('?sort=newest'))).toBe(false);
  });
});

describe('hidden results', () => {
  it('reads X-Hidden-Results and X-Hidden-By', () => {
    const hidden = readHiddenResults(new Headers({ 'X-Hidden-Results': '3', 'X-Hidden-By': 'format=2,language=1' }));
    expect(hidden).toEqual({ count: 3, byFormat: 2, byLanguage: 1 });
    expect(describeHidden(hidden as NonNullable<typeof hidden>)).toBe(
      '3 results hidden by your default format and language filters',
    );
    expect(readHiddenResults(new Headers())).toBeNull();
    expect(readHiddenResults(new Headers({ 'X-Hidden-Results': 'lots' }))).toBeNull();
  });

  it('says how many the defaults hid instead of "No books found.", and shows them on request', async () => {
    const book: BookInfo = { id: md5(7), title: 'A PDF Only Book', format: 'pdf' };
    // The companion's answer as GET /api/search sends it when the default filters hid everything.
    const fetchMock = vi.fn(async (url: string) =>
      url.includes('include_hidden=true')
        ? Response.json([book])
        : Response.json([], { headers: { 'X-Hidden-Results': '1', 'X-Hidden-By': 'format=1' } }),
    );
    vi.stubGlobal('fetch', fetchMock);
    history.replaceState(null, '', '/?q=pdf');
    render(
      <SearchView
        queue={{ items: [], connected: true, clearance: [] }}
        isAdmin
        authRequired={false}
        notify={() => {}}
      />,
    );
    await screen.findByText(/1 result hidden by your default format filter/);
    expect(screen.queryByText('No books found.')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Show them' }));
    await screen.findByRole('listitem', { name: 'A PDF Only Book' });
    expect(fetchMock.mock.calls.at(-1)?.[0]).toContain('include_hidden=true');
  });
});

describe('QueueRow in the web UI', () => {
  it('shows the attempt and source when the companion sends them, and names the move buttons', () => {
    const item = {
      ...makeItem({ id: md5(1), title: 'Dune', status: 'downloading', progress: 40, source: 'partner 4' }),
      attempt: 2,
      maxAttempts: 6,
    };
    const onMoveUp = vi.fn();
    render(
      <ul>
        <QueueRow item={item} detailed onCancel={() => {}} onRetry={() => {}} onMoveUp={onMoveUp} />
      </ul>,
    );
    expect(screen.getByText('attempt 2 of 6 · partner 4')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Move Dune up' }));
    expect(onMoveUp).toHaveBeenCalledWith(item);
    expect(screen.queryByRole('button', { name: 'Move Dune down' })).toBeNull();
  });

  it('says which site waits for clearance and what to do', () => {
    const item = makeItem({
      id: md5(2),
      title: 'Emma',
      status: 'downloading',
      waiting: { kind: 'clearance', site: 'annas-archive.org' },
    });
    render(
      <ul>
        <QueueRow item={item} detailed onCancel={() => {}} onRetry={() => {}} />
      </ul>,
    );
    expect(screen.getByText(/annas-archive\.org asks for a browser check: open the Bookrelay extension/)).toBeTruthy();
  });

  it('offers retry and remove on a failed item, titled even when only its md5 was known', () => {
    const item = makeItem({ id: md5(3), title: md5(3), status: 'error', error: 'No source had the file' });
    const onRetry = vi.fn();
    const onRemove = vi.fn();
    render(
      <ul>
        <QueueRow item={item} detailed onCancel={() => {}} onRetry={onRetry} onRemove={onRemove} />
      </ul>,
    );
    const title = `Unknown title (md5 ${md5(3).slice(0, 8)}…)`;
    expect(displayTitle(item)).toBe(title);
    expect(screen.getByRole('listitem', { name: title }).textContent).toContain('Failed: No source had the file');
    fireEvent.click(screen.getByRole('button', { name: `Retry ${title}` }));
    fireEvent.click(screen.getByRole('button', { name: `Remove ${title}` }));
    expect(onRetry).toHaveBeenCalledOnce();
    expect(onRemove).toHaveBeenCalledOnce();
  });
});

describe('BookDetails', () => {
  it('shows the record’s description, publisher, ISBNs and sources, scraped markup as text', async () => {
    const record: BookInfo = {
      id: md5(4),
      title: '<script>window.__pwned=1</script>Persuasion',
      author: 'Jane Austen',
      publisher: 'John Murray <b>1817</b>',
      description: 'A <img src=x onerror=alert(1)> novel.',
      info: { 'ISBN-13': ['9780141439686'], 'ISBN-10': ['0141439688'] },
      download_urls: [
        'https://partner.example/file/1',
        'https://libgen.example/get.php?md5=1',
        'https://partner.example/file/2',
      ],
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json(record)),
    );
    const onDownload = vi.fn();
    const { container } = render(
      <BookDetails book={{ id: md5(4), title: record.title }} onBack={() => {}} onDownload={onDownload} state={null} />,
    );
    await screen.findByText('John Murray <b>1817</b>');
    expect(document.activeElement?.id).toBe('details-title');
    expect(screen.getByText('A <img src=x onerror=alert(1)> novel.')).toBeTruthy();
    expect(screen.getByText('9780141439686, 0141439688')).toBeTruthy();
    expect(screen.getByText('partner.example, libgen.example')).toBeTruthy();
    expect(screen.getByRole('heading', { name: record.title })).toBeTruthy();
    expect(container.querySelectorAll('script, b')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Download' }));
    expect(onDownload).toHaveBeenCalledWith(expect.objectContaining({ publisher: record.publisher }));
    expect(isbnsOf({ info: { isbn13: ['1'] } })).toEqual(['1']);
    expect(sourcesOf({ download_urls: ['not a url'] })).toEqual([]);
  });
});

describe('queue state and order', () => {
  it('applies snapshot, item, progress and removed events', () => {
    const a = makeItem({ id: md5(5), status: 'downloading' });
    let items = applyEvent(new Map(), { type: 'snapshot', items: [a] });
    items = applyEvent(items, { type: 'progress', id: a.id, progress: 50, bytesDone: 5, bytesTotal: 10 });
    expect(items.get(a.id)?.progress).toBe(50);
    items = applyEvent(items, { type: 'item', item: { ...a, status: 'available', progress: 100 } });
    expect(items.get(a.id)?.status).toBe('available');
    items = applyEvent(items, { type: 'removed', ids: [a.id] });
    expect(items.size).toBe(0);
  });

  it('moves an id and turns the order into CWA-BD priorities', () => {
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
    expect(orderToPriorities(['a', 'c', 'b'])).toEqual({ a: 0, c: 1, b: 2 });
  });
});

describe('Diagnostics', () => {
  const answer = (mirrors: Response) =>
    vi.fn(async (url: string) => {
      if (url.endsWith('/diagnostics/mirrors')) return mirrors;
      if (url.endsWith('/clearance'))
        return Response.json({
          sites: [{ site: 'annas-archive.org', hasClearance: false, lastPath: 'extension', lastSuccessAtMs: 1_000 }],
        });
      return Response.json({ path: '/ingest', freeBytes: 5 * 1024 ** 3, totalBytes: 10 * 1024 ** 3 });
    });

  it('lists mirrors, reachable or parked, the bypass path that last worked, and the space left', async () => {
    vi.stubGlobal(
      'fetch',
      answer(
        Response.json({
          mirrors: [
            { site: 'annas-archive.org', url: 'https://annas-archive.org', state: 'reachable', searchPath: '/search' },
            { site: 'annas-archive.se', url: 'https://annas-archive.se', state: 'parked', lastError: 'HTTP 503' },
          ],
        }),
      ),
    );
    render(<DiagnosticsSection />);
    const mirrors = await screen.findByRole('list', { name: 'Mirrors' });
    expect(mirrors.textContent).toContain('annas-archive.org reachable · search via /search');
    expect(mirrors.textContent).toContain('annas-archive.se parked · last error: HTTP 503');
    expect((await screen.findByRole('list', { name: 'Protected sites' })).textContent).toContain(
      'last passed by extension',
    );
    await screen.findByText('5.0 GB free of 10.0 GB', { exact: false });
  });

  it('says mirror diagnostics are unavailable when the companion has no such route', async () => {
    vi.stubGlobal('fetch', answer(Response.json({ error: 'Resource not found' }, { status: 404 })));
    render(<DiagnosticsSection />);
    await screen.findByText('Mirror diagnostics are unavailable on this companion.');
  });
});

describe('a cover that fails to load', () => {
  it('turns into the placeholder without rebuilding the text beside it (focus stays on Download)', () => {
    render(
      <ul>
        <ResultCard
          book={{ id: md5(8), title: 'Emma' }}
          item={undefined}
          attempt={undefined}
          onSend={() => {}}
          sendLabel="Download"
          coverSrc="/api/covers/x"
        />
      </ul>,
    );
    const button = screen.getByRole('button', { name: 'Download' });
    button.focus();
    fireEvent.error(screen.getByRole('img', { name: 'Cover of Emma' }));
    expect(screen.getByRole('img', { name: 'No cover for Emma' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download' })).toBe(button);
    expect(document.activeElement).toBe(button);
  });
});
