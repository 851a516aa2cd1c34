import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import {
  ALREADY_AVAILABLE,
  formatHiddenBy,
  HIDDEN_BY_HEADER,
  HIDDEN_RESULTS_HEADER,
  INCLUDE_HIDDEN_PARAM,
} from '../../shared/api.js';
import type { BookInfo, SearchFilters } from '../../shared/book.js';
import type { QueueOrderItem } from '../../shared/download.js';
import type { Config } from '../config.js';
import type { Covers } from '../covers/covers.js';
import type { QueueItem } from '../queue/queue-item.js';
import { readStatus } from '../queue/read-status.js';
import type { Runner } from '../queue/runner.js';
import type { QueueStore } from '../queue/store.js';
import { lookUpBook } from '../sources/look-up-book.js';
import { searchCountingHidden } from '../sources/search-counting-hidden.js';
import type { Source } from '../sources/source.js';
import { ApiHttpError } from './http-error.js';
import { readBookId, readFlag, readList, readOne, readPriority } from './read-params.js';

export interface CompatDeps {
  store: QueueStore;
  runner: Runner;
  source: Source;
  config: Readonly<Config>;
  /** Remembers the cover URLs of results, for the web UI's cover route. */
  covers?: Covers;
}

/** The fields /api/status and /api/search send for a book (CWA-BD's BookInfo), in its order. */
export const BOOK_FIELDS = [
  'author',
  'content',
  'description',
  'download_path',
  'download_urls',
  'format',
  'id',
  'info',
  'language',
  'preview',
  'priority',
  'progress',
  'publisher',
  'size',
  'source',
  'source_url',
  'status_message',
  'title',
  'year',
] as const;

/** BookInfo as CWA-BD's `/api/status` sends it: every field, nulls included, keys sorted. */
function toStatusBook(item: QueueItem): BookInfo {
  const full: Record<string, unknown> = {
    ...item.book,
    download_path: item.downloadPath,
    priority: item.priority,
    progress: item.progress,
    status_message: item.statusMessage ?? item.error,
    download_urls: item.book.download_urls ?? [],
    // The source the download comes from, as `/api/events` and the queue view say it (one truth for both).
    source: item.source ?? item.book.source ?? null,
  };
  return Object.fromEntries(BOOK_FIELDS.map((key) => [key, full[key] ?? null])) as unknown as BookInfo;
}

// CWA-BD's local-download name: the title with \ / : * ? " < > | replaced, cut to 245 characters, plus the format.
// Control and format characters go too (as in the ingest name): a right-to-left override (U+202E) before `bup.exe`
// would show the file as `exe.pub` in the browser's download bar.
function attachmentName(item: QueueItem): string {
  const title =
    (item.book.title || item.id)
      .replace(/[\\/:*?"<>|\p{Cc}\p{Cf}]/gu, '_')
      .trim()
      .slice(0, 245) || item.id;
  const ext = path.extname(item.downloadPath ?? '') || (item.book.format ? `.${item.book.format}` : '');
  return `${title}${ext}`;
}

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** CWA-BD's REST API, the same paths, shapes and status codes (mounted under /api and /request/api). */
export const compatRoutes = ({ store, runner, source, config, covers }: CompatDeps) =>
  new Hono()
    // GET /api/search
    .get('/search', async (c) => {
      const q = (name: string) => readList(c.req.queries(name), name);
      const filters: SearchFilters = {
        query: readOne(c.req.query('query'), 'query'),
        isbn: q('isbn'),
        author: q('author'),
        title: q('title'),
        lang: q('lang'),
        content: q('content'),
        format: q('format'),
        sort: readOne(c.req.query('sort'), 'sort'),
      };
      const empty =
        !filters.query && !filters.sort && Object.values(filters).every((v) => !Array.isArray(v) || v.length === 0);
      if (empty) return c.json([]);
      const { results, hidden } = await searchCountingHidden(
        source,
        filters,
        { formats: config.downloads.supportedFormats, languages: config.downloads.bookLanguages },
        { includeHidden: readFlag(c.req.query(INCLUDE_HIDDEN_PARAM), INCLUDE_HIDDEN_PARAM), signal: c.req.raw.signal },
      );
      c.header(HIDDEN_RESULTS_HEADER, String(hidden.total));
      c.header(HIDDEN_BY_HEADER, formatHiddenBy(hidden));
      covers?.registry.remember(results);
      return c.json(results);
    })
    // GET /api/info?id=
    .get('/info', async (c) => {
      const book = await source.details(readBookId(c.req.query('id')), c.req.raw.signal);
      if (!book) throw new ApiHttpError(404, 'Book not found');
      covers?.registry.remember([book]);
      return c.json(book);
    })
    // GET /api/download?id=&priority=
    .get('/download', async (c) => {
      const id = readBookId(c.req.query('id'));
      const priority = readPriority(c.req.query('priority'));
      const existing = store.get(id);
      // A book already placed in the ingest folder is not fetched again (CWA-BD said "queued" here and did nothing).
      if (existing?.status === 'available') {
        return c.json({ status: ALREADY_AVAILABLE, priority: existing.priority, book_id: id });
      }
      let book: BookInfo | undefined = existing?.book;
      if (!book || existing?.status === 'error') {
        const lookup = await lookUpBook(source, id, c.req.raw.signal);
        if (lookup.kind === 'unknown') throw new ApiHttpError(404, `Anna's Archive has no record of ${id}`);
        book = lookup.kind === 'found' ? lookup.book : existing?.book;
      }
      // When the source cannot be reached now, queue what the client told us; the worker resolves the rest.
      book ??= {
        id,
        title: readOne(c.req.query('title'), 'title') ?? id,
        author: readOne(c.req.query('author'), 'author') ?? null,
        format: readOne(c.req.query('format'), 'format')?.toLowerCase() ?? null,
      };
      const { item } = store.enqueue({ ...book, id }, priority);
      runner.wake();
      return c.json({ status: 'queued', priority: item.priority });
    })
    // GET /api/status: a StatusResponse, kept rendered (only changed items are rendered again)
    .get('/status', (c) =>
      c.body(readStatus(store, config.downloads.statusTimeoutMs, toStatusBook), 200, {
        'content-type': 'application/json',
      }),
    )
    // GET /api/localdownload?id=
    .get('/localdownload', (c) => {
      const id = readBookId(c.req.query('id'));
      const item = store.get(id);
      if (!item?.downloadPath || !existsSync(item.downloadPath)) throw new ApiHttpError(404, 'File not found');
      const size = statSync(item.downloadPath).size;
      return new Response(Readable.toWeb(createReadStream(item.downloadPath)) as ReadableStream, {
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(size),
          'content-disposition': contentDisposition(attachmentName(item)),
          'cache-control': 'no-store',
        },
      });
    })
    // DELETE /api/download/:id/cancel
    .delete('/download/:id/cancel', async (c) => {
      const id = readBookId(c.req.param('id'));
      if (!(await runner.cancel(id))) throw new ApiHttpError(404, 'Failed to cancel download or book not found');
      return c.json({ status: 'cancelled', book_id: id });
    })
    // PUT /api/queue/:id/priority
    .put('/queue/:id/priority', async (c) => {
      const id = readBookId(c.req.param('id'));
      const body = await c.req.json<unknown>().catch(() => undefined);
      if (!body || typeof body !== 'object' || !('priority' in body))
        throw new ApiHttpError(400, 'Priority not provided');
      const priority = readPriority((body as { priority: unknown }).priority);
      if (!store.setPriority(id, priority)) throw new ApiHttpError(404, 'Failed to update priority or book not found');
      runner.wake();
      return c.json({ status: 'updated', book_id: id, priority });
    })
    // POST /api/queue/reorder
    .post('/queue/reorder', async (c) => {
      const body = await c.req.json<unknown>().catch(() => undefined);
      if (!body || typeof body !== 'object' || !('book_priorities' in body)) {
        throw new ApiHttpError(400, 'book_priorities not provided');
      }
      const map = (body as { book_priorities: unknown }).book_priorities;
      if (!map || typeof map !== 'object' || Array.isArray(map))
        throw new ApiHttpError(400, 'book_priorities must be a dictionary');
      const entries = Object.entries(map as Record<string, unknown>);
      if (entries.length > 10_000) throw new ApiHttpError(400, 'book_priorities has too many entries');
      const priorities: Record<string, number> = {};
      for (const [key, value] of entries) {
        const id = key.trim().toLowerCase();
        if (typeof value !== 'number' && typeof value !== 'string')
          throw new ApiHttpError(400, `Invalid priority for book ${id.slice(0, 64)}`);
        priorities[id] = readPriority(value, `Invalid priority for book ${id.slice(0, 64)}`);
      }
      store.reorder(priorities);
      runner.wake();
      return c.json({ status: 'reordered', updated_count: entries.length });
    })
    // GET /api/queue/order
    .get('/queue/order', (c) => {
      const queue: QueueOrderItem[] = store.queueOrder().map((item) => ({
        id: item.id,
        title: item.book.title,
        author: item.book.author ?? null,
        priority: item.priority,
        added_time: item.addedAtMs / 1000,
        status: item.status,
      }));
      return c.json({ queue });
    })
    // GET /api/downloads/active
    .get('/downloads/active', (c) => c.json({ active_downloads: store.activeIds() }))
    // DELETE /api/queue/clear
    .delete('/queue/clear', (c) => c.json({ status: 'cleared', removed_count: store.clearFinished().length }));
