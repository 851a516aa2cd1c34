import {
  type EnqueueResponse,
  enqueueResponse,
  type HiddenResults,
  INCLUDE_HIDDEN_PARAM,
  type PairRequest,
  type PairResponse,
  type PingResponse,
  pairResponse,
  pingResponse,
  readHiddenResults,
  searchResponse,
} from '../../shared/api.js';
import { API_PATHS } from '../../shared/api-paths.js';
import type { SearchFilters } from '../../shared/book.js';
import type { ApiError } from '../../shared/errors.js';
import type { CompanionEvent } from '../../shared/events.js';
import { IDENTITY_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/version.js';
import { CompanionError, type CompanionErrorReason } from './companion-error.js';
import { parseSseStream } from './parse-sse.js';

export type SearchResult = ReturnType<typeof searchResponse.parse>[number];

/** A search's results and how many the companion's default format/language filters hid (its response headers). */
export interface SearchAnswer {
  results: SearchResult[];
  hidden: HiddenResults;
}

export interface CompanionClientOptions {
  /** e.g. `http://127.0.0.1:8084` (no trailing slash needed). */
  baseUrl: string;
  token?: string | null | undefined;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** Names the reason for a transport failure (LNA, HTTPS-Only); defaults to `unreachable`. */
  classifyNetworkError?: (err: unknown, url: URL) => CompanionErrorReason;
}

interface Parser<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
}

const STATUS_REASONS: Record<number, CompanionErrorReason> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'not-found',
  409: 'conflict',
  412: 'protocol-mismatch',
  413: 'bad-request',
  429: 'rate-limited',
};

/**
 * The extension's only client of the companion (used by the background alone): base URL, bearer token, protocol
 * header, a timeout per call, typed answers checked against `shared/api.ts`, and one {@link CompanionError} whose
 * `reason` the UI explains. An answer without the identity header is `not-bookrelay` (zotero-connectors' rule).
 */
export function createCompanionClient({
  baseUrl,
  token,
  timeoutMs = 10_000,
  fetch: fetchImpl = (...args) => globalThis.fetch(...args),
  classifyNetworkError = () => 'unreachable',
}: CompanionClientOptions) {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);

  async function send(path: string, init: RequestInit & { timeoutMs?: number | null } = {}): Promise<Response> {
    const url = new URL(path.replace(/^\//, ''), base);
    const headers = new Headers(init.headers);
    headers.set(PROTOCOL_HEADER, String(PROTOCOL_VERSION));
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const limit = init.timeoutMs === undefined ? timeoutMs : init.timeoutMs;
    const signals = [init.signal, limit === null ? undefined : AbortSignal.timeout(limit)].filter(
      (s): s is AbortSignal => s != null,
    );
    let res: Response;
    try {
      res = await fetchImpl(url, {
        ...init,
        headers,
        credentials: 'omit',
        signal: signals.length ? AbortSignal.any(signals) : null,
      });
    } catch (err) {
      if (init.signal?.aborted) throw err;
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        throw new CompanionError('timeout', `The companion did not answer within ${limit} ms: ${url.origin}`);
      }
      throw new CompanionError(
        classifyNetworkError(err, url),
        `Could not reach the companion at ${url.origin}`,
        undefined,
        {
          cause: err,
        },
      );
    }
    if (!res.headers.has(IDENTITY_HEADER)) {
      throw new CompanionError(
        'not-bookrelay',
        `${url.origin} answered, but it is not a Bookrelay companion`,
        res.status,
      );
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => undefined)) as Partial<ApiError> | undefined;
      const message = typeof body?.error === 'string' ? body.error : `The companion answered ${res.status}`;
      const reason =
        STATUS_REASONS[res.status] ?? (body?.code === 'upstream-unreachable' ? 'upstream-unreachable' : 'server-error');
      throw new CompanionError(reason, message, res.status);
    }
    return res;
  }

  async function json<T>(path: string, parser: Parser<T>, init?: RequestInit & { timeoutMs?: number }): Promise<T> {
    const res = await send(path, init);
    const parsed = parser.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new CompanionError('bad-response', `Unexpected answer from ${path}`, res.status);
    return parsed.data;
  }

  return {
    baseUrl: base.origin,
    /** Who answers, its protocol and defaults; the options page's connection test. */
    ping: (signal?: AbortSignal) => json<PingResponse>(API_PATHS.ping, pingResponse, { signal: signal ?? null }),
    /** Redeems a pairing code for a device token. */
    pair: (request: PairRequest) =>
      json<PairResponse>(API_PATHS.pair, pairResponse, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      }),
    /**
     * CWA-BD's `/api/search`: repeatable filters become repeated query parameters. Searches may take a while. The
     * answer says how many results the companion's default filters hid; `includeHidden` lifts those defaults.
     */
    search: async (
      filters: SearchFilters,
      signal?: AbortSignal,
      { includeHidden = false }: { includeHidden?: boolean } = {},
    ): Promise<SearchAnswer> => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(filters)) {
        if (Array.isArray(value)) for (const v of value) params.append(key, v);
        else if (typeof value === 'string' && value) params.set(key, value);
      }
      if (includeHidden) params.set(INCLUDE_HIDDEN_PARAM, 'true');
      const path = `${API_PATHS.search}?${params}`;
      const res = await send(path, { signal: signal ?? null, timeoutMs: 60_000 });
      const parsed = searchResponse.safeParse(await res.json().catch(() => undefined));
      if (!parsed.success) throw new CompanionError('bad-response', `Unexpected answer from ${path}`, res.status);
      return { results: parsed.data, hidden: readHiddenResults(res.headers) };
    },
    /** Queues a book (`/api/download?id=`); title/author/format let the companion queue it while AA is down. */
    enqueue: (book: { id: string; title?: string; author?: string; format?: string; priority?: number }) => {
      const params = new URLSearchParams({ id: book.id });
      for (const key of ['title', 'author', 'format', 'priority'] as const) {
        const value = book[key];
        if (value !== undefined && value !== '') params.set(key, String(value));
      }
      return json<EnqueueResponse>(`${API_PATHS.download}?${params}`, enqueueResponse, { timeoutMs: 60_000 });
    },
    cancel: async (id: string) => {
      await send(API_PATHS.cancel(id), { method: 'DELETE' });
    },
    /** Any other call (added endpoints); the answer is checked by `parser`. */
    request: json,
    /** The raw response, for streams and uploads; same headers, checks and errors as the rest. */
    send,
    /**
     * `GET /api/events` as an async iterable (Server-Sent Events over fetch: service workers have no EventSource,
     * and EventSource cannot send the bearer token). Ends when `signal` aborts or the companion closes the stream.
     */
    async *events(signal: AbortSignal): AsyncGenerator<CompanionEvent> {
      const res = await send(API_PATHS.events, { signal, timeoutMs: null, headers: { accept: 'text/event-stream' } });
      if (!res.body) throw new CompanionError('bad-response', 'The event stream has no body');
      for await (const message of parseSseStream(res.body, signal)) {
        try {
          yield JSON.parse(message.data) as CompanionEvent;
        } catch {
          // A malformed event is skipped; the next snapshot repairs the view.
        }
      }
    },
  };
}

export type CompanionClient = ReturnType<typeof createCompanionClient>;
