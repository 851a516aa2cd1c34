import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  renderGoodreadsRss,
  renderGoodreadsShelfPage,
  renderHardcoverBooks,
  renderOpenLibraryLog,
  renderStoryGraphToRead,
  type ShelfBook,
} from './shelf-pages.js';

export type { ShelfBook } from './shelf-pages.js';

type Site = 'goodreads' | 'openlibrary' | 'hardcover' | 'storygraph';

/** The shelves the world's book sites hold; tests put books on them and take them off. */
export function createShelfState() {
  const shelves = new Map<string, ShelfBook[]>();
  const key = (site: Site, user: string, shelf: string) => `${site}\u0000${user}\u0000${shelf}`;
  return {
    get(site: Site, user: string, shelf: string): ShelfBook[] {
      return shelves.get(key(site, user, shelf)) ?? [];
    },
    set(site: Site, user: string, shelf: string, books: ShelfBook[]): void {
      shelves.set(key(site, user, shelf), [...books]);
    },
    add(site: Site, user: string, shelf: string, book: ShelfBook): void {
      shelves.set(key(site, user, shelf), [...this.get(site, user, shelf), book]);
    },
  };
}

export type ShelfState = ReturnType<typeof createShelfState>;

export interface ShelfAnswer {
  status: number;
  contentType: string;
  body: string;
}

const json = (body: string, status = 200): ShelfAnswer => ({ status, contentType: 'application/json', body });

/**
 * What the world's Goodreads, Open Library, Hardcover and StoryGraph answer for a shelf request (the companion's
 * feeds and API, and the shelf pages the extension reads); undefined → 404. One function for both the plain HTTP
 * origin the companion is pointed at and the HTTPS server that plays the real host names in e2e tests.
 */
export function answerShelfRequest(
  state: ShelfState,
  request: { url: URL; method: string; authorization?: string; body?: string },
  hardcoverToken: string,
): ShelfAnswer | undefined {
  const { url } = request;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const shelf = url.searchParams.get('shelf') ?? 'to-read';
  if (parts[0] === 'review' && parts[1] === 'list_rss' && parts[2]) {
    const books = state.get('goodreads', parts[2], shelf);
    return {
      status: 200,
      contentType: 'application/xml; charset=utf-8',
      body: renderGoodreadsRss(parts[2], shelf, books),
    };
  }
  if (parts[0] === 'review' && parts[1] === 'list' && parts[2]) {
    const user = parts[2].split('-')[0] ?? '';
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: renderGoodreadsShelfPage(user, shelf, state.get('goodreads', user, shelf)),
    };
  }
  if (parts[0] === 'people' && parts[2] === 'books' && parts[3]?.endsWith('.json')) {
    const books = state.get('openlibrary', parts[1] ?? '', parts[3].replace(/\.json$/, ''));
    return json(renderOpenLibraryLog(books, Math.max(1, Number(url.searchParams.get('page')) || 1)));
  }
  if (parts[0] === 'to-read' && parts[1]) {
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: renderStoryGraphToRead(parts[1], state.get('storygraph', parts[1], 'to-read')),
    };
  }
  if (parts[0] === 'v1' && parts[1] === 'graphql' && request.method === 'POST') {
    if (request.authorization !== `Bearer ${hardcoverToken}`) {
      return json(JSON.stringify({ errors: [{ message: 'Unable to verify token' }] }), 200);
    }
    let body: { query?: string; variables?: Record<string, string> } = {};
    try {
      body = JSON.parse(request.body ?? '{}');
    } catch {
      return json(JSON.stringify({ errors: [{ message: 'invalid json' }] }), 400);
    }
    const user = body.variables?.user ?? '';
    if (body.query?.includes('lists(')) {
      return json(renderHardcoverBooks(state.get('hardcover', user, `list:${body.variables?.slug ?? ''}`), 'lists'));
    }
    return json(renderHardcoverBooks(state.get('hardcover', user, 'want-to-read'), 'users'));
  }
  return undefined;
}

export interface ShelfSites {
  /** `http://127.0.0.1:PORT`: GOODREADS_BASE_URL, OPENLIBRARY_BASE_URL and (plus /v1/graphql) HARDCOVER_API_URL. */
  origin: string;
  state: ShelfState;
  /** Every request as `METHOD path?query` with its authorization header, for assertions. */
  requests: Array<{ line: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

/** Starts the world's shelf sites on one 127.0.0.1 port (port 0). */
export async function startShelfSites({ hardcoverToken = 'world-hardcover-token' } = {}): Promise<ShelfSites> {
  const state = createShelfState();
  const requests: ShelfSites['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorization = req.headers.authorization;
    requests.push({ line: `${req.method} ${url.pathname}${url.search}`, authorization });
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const answer = answerShelfRequest(state, { url, method: req.method ?? 'GET', authorization, body }, hardcoverToken);
    res.writeHead(answer?.status ?? 404, { 'content-type': answer?.contentType ?? 'text/plain' });
    res.end(answer?.body ?? 'Not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The environment that points a companion's shelf reading at these sites. */
export function shelfEnv(sites: ShelfSites): Record<string, string> {
  return {
    GOODREADS_BASE_URL: sites.origin,
    OPENLIBRARY_BASE_URL: sites.origin,
    HARDCOVER_API_URL: `${sites.origin}/v1/graphql`,
  };
}
