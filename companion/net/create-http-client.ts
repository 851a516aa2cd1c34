import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { type Challenge, detectChallenge, isSolvable, parseRetryAfterMs } from '../../shared/detect-challenge.js';
import {
  ChallengeError,
  CompanionError,
  redactUrl,
  TimeoutError,
  UpstreamHttpError,
  UpstreamNetworkError,
} from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { buildBrowserHeaders } from './browser-headers.js';
import type { ClearanceRecord, ClearanceStore } from './clearance-store.js';
import { createDispatcher, type ProxySettings } from './create-dispatcher.js';
import type { HostGuard } from './host-guard.js';
import type { HttpClient, HttpRequest, HttpResponse } from './http-client.js';
import { loadUndici } from './load-undici.js';
import { decodeBody, decodeText, peekBody, readBounded } from './read-body.js';
import { siteOf } from './site-of.js';

export interface HttpClientOptions {
  /** Checked on the first URL and on every redirect hop. */
  hostGuard?: HostGuard;
  /** Stored clearance is replayed (cookies + the UA that earned them) and purged when a challenge answers anyway. */
  clearance?: ClearanceStore;
  proxy?: ProxySettings;
  /** A resolver from `createDnsLookup` (CUSTOM_DNS / USE_DOH). */
  lookup?: LookupFunction;
  /** Replaces the whole connection layer (tests, or a caller that owns one). */
  dispatcher?: Dispatcher;
  userAgent?: string;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  maxRedirects?: number;
  /** Upper bound for `text()`; files are read from `body` and are not bounded. */
  maxTextBytes?: number;
  logger?: Logger;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Bodies of these statuses are read (bounded) to tell a bot wall from a plain error.
const SUSPECT_STATUSES = new Set([403, 429, 503]);
const SUSPECT_BODY_BYTES = 512 * 1024;

function headerList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

/** Maps undici's failures onto our error family; the caller's abort reason is passed through untouched. */
function toCompanionError(err: unknown, url: string, method: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (err instanceof CompanionError) return err;
  const code = (err as { code?: string } | undefined)?.code;
  const phase = code ? TIMEOUT_CODES[code] : undefined;
  if (phase) return new TimeoutError(`Timed out: ${method} ${redactUrl(url)} (${phase})`, { cause: err });
  return new UpstreamNetworkError(url, err, method);
}

/** Adds `Set-Cookie` name=value pairs to a per-request jar (DDoS-Guard's `/search` → `?check=1` probe, #1209). */
function harvestCookies(jar: Map<string, string>, setCookie: string | string[] | undefined): void {
  for (const line of headerList(setCookie)) {
    const pair = line.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

/**
 * Builds the companion's HTTP client on one shared keep-alive undici dispatcher: browser-like headers, redirects
 * followed here (host guard on every hop, same-host loops → {@link ChallengeError} `redirect-loop`), bot walls
 * → {@link ChallengeError}, failures → {@link UpstreamNetworkError} / {@link TimeoutError} with redacted URLs.
 */
export function createHttpClient({
  hostGuard,
  clearance,
  proxy,
  lookup,
  dispatcher,
  userAgent,
  connectTimeoutMs = 10_000,
  headersTimeoutMs = 30_000,
  bodyTimeoutMs = 60_000,
  maxRedirects = 5,
  maxTextBytes = 10 * 1024 * 1024,
  logger = silentLogger,
}: HttpClientOptions = {}): HttpClient {
  // Made on the first request (undici loads then); an injected dispatcher is used as it is.
  let own: Promise<Dispatcher> | undefined;
  const shared = (): Promise<Dispatcher> | Dispatcher =>
    dispatcher ??
    // biome-ignore lint/suspicious/noAssignInExpressions: memoised on first use
    (own ??= createDispatcher({ connectTimeoutMs, ...(proxy ? { proxy } : {}), ...(lookup ? { lookup } : {}) }));

  const challenged = (site: string, url: string, challenge: Challenge, record: ClearanceRecord | undefined) => {
    // Being challenged while presenting cookies proves they are dead; replaying them again only re-arms the wall.
    if (record) clearance?.purge(site, `${challenge.kind} while presenting clearance`);
    logger.info('Challenge answered', { site, kind: challenge.kind, url: redactUrl(url) });
    return new ChallengeError(site, url, challenge.kind);
  };

  const wrap = (
    status: number,
    headers: HttpResponse['headers'],
    url: string,
    method: string,
    body: Readable,
    site: string,
    record: ClearanceRecord | undefined,
    signal: AbortSignal | undefined,
  ): HttpResponse => ({
    status,
    headers,
    url,
    body,
    async text() {
      let text: string;
      try {
        text = decodeText(await readBounded(body, maxTextBytes, url, method), headerList(headers['content-type'])[0]);
      } catch (err) {
        throw toCompanionError(err, url, method, signal);
      }
      // A wall can also answer 200 (DDoS-Guard's title page); pages are only trusted once read and checked.
      const challenge = status < 300 ? detectChallenge({ status, headers, body: text }) : undefined;
      if (challenge && isSolvable(challenge)) throw challenged(site, url, challenge, record);
      return text;
    },
    async dump() {
      // Draining a short remainder keeps the kept-alive socket usable; a long one is cheaper to drop.
      let drained = 0;
      try {
        for await (const chunk of body) {
          drained += (chunk as Buffer).length;
          if (drained > 256 * 1024) return void body.destroy();
        }
      } catch {
        // The body is being thrown away; its errors do not matter.
      }
    },
  });

  return {
    async request(input, init: HttpRequest = {}) {
      const method = init.method ?? 'GET';
      const redirectLimit = init.maxRedirects ?? maxRedirects;
      const jar = new Map<string, string>();
      let url = new URL(input);
      let currentMethod = method;
      let body = init.body;
      let sameHostHops = 0;
      for (let hop = 0; ; hop++) {
        // The first URL must be a configured or discovered source; later hops may leave for a public CDN.
        if (hop === 0) hostGuard?.check(url);
        else hostGuard?.checkRedirect(url);
        const href = url.href;
        const site = siteOf(url);
        const record = clearance?.get(site);
        const jarCookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
        const cookie = [record ? clearance?.cookieHeader(site) : undefined, jarCookie].filter(Boolean).join('; ');
        const headers = buildBrowserHeaders({
          ...(userAgent ? { userAgent } : {}),
          clearance: record,
          cookie,
          extra: init.headers ?? {},
        });
        const [{ request }, via] = await Promise.all([loadUndici(), shared()]);
        let res: Dispatcher.ResponseData;
        try {
          res = await request(href, {
            dispatcher: via,
            method: currentMethod,
            headers,
            ...(body !== undefined ? { body } : {}),
            ...(init.signal ? { signal: init.signal } : {}),
            headersTimeout: init.headersTimeoutMs ?? headersTimeoutMs,
            bodyTimeout: init.bodyTimeoutMs ?? bodyTimeoutMs,
          });
        } catch (err) {
          throw toCompanionError(err, href, currentMethod, init.signal);
        }
        const location = headerList(res.headers.location)[0];
        if (REDIRECTS.has(res.statusCode) && location && redirectLimit > 0) {
          await res.body.dump().catch(() => {});
          const next = new URL(location, url);
          const sameHost = next.host === url.host;
          if (sameHost) {
            sameHostHops++;
            harvestCookies(jar, res.headers['set-cookie']);
          } else {
            jar.clear();
          }
          if (hop + 1 > redirectLimit) {
            // Only same-host hops: DDoS-Guard's `?check=1` loop when it rejects what we present (shelfmark #1220).
            if (sameHostHops === hop + 1)
              throw challenged(site, href, { kind: 'redirect-loop', provider: 'other' }, record);
            throw new UpstreamNetworkError(href, new Error(`more than ${redirectLimit} redirects`), currentMethod);
          }
          if (
            res.statusCode === 303 ||
            ((res.statusCode === 301 || res.statusCode === 302) && currentMethod === 'POST')
          ) {
            currentMethod = 'GET';
            body = undefined;
          }
          url = next;
          continue;
        }
        const headersOut = res.headers as HttpResponse['headers'];
        let stream = decodeBody(res.body, headerList(headersOut['content-encoding'])[0]);
        const suspect = SUSPECT_STATUSES.has(res.statusCode) || headerList(headersOut['cf-mitigated']).length > 0;
        if (suspect) {
          let peeked: { head: Buffer; rest: Readable };
          try {
            peeked = await peekBody(stream, SUSPECT_BODY_BYTES);
          } catch (err) {
            throw toCompanionError(err, href, currentMethod, init.signal);
          }
          const text = decodeText(peeked.head, headerList(headersOut['content-type'])[0]);
          const challenge = detectChallenge({ status: res.statusCode, headers: headersOut, body: text });
          if (challenge && isSolvable(challenge)) {
            peeked.rest.destroy();
            throw challenged(site, href, challenge, record);
          }
          stream = peeked.rest;
        }
        return wrap(res.statusCode, headersOut, href, currentMethod, stream, site, record, init.signal);
      }
    },
    async close() {
      if (own) await (await own).close();
    },
  };
}

/** Throws {@link UpstreamHttpError} for a status outside 2xx, after dropping the body (for callers that need a page). */
export async function assertOk(response: HttpResponse, method = 'GET'): Promise<HttpResponse> {
  if (response.status >= 200 && response.status < 300) return response;
  await response.dump();
  const retryAfterMs = parseRetryAfterMs(headerList(response.headers['retry-after'])[0]);
  throw new UpstreamHttpError(response.status, response.url, method, retryAfterMs);
}
