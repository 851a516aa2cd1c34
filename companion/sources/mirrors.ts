import { deadlineSignal } from '../deadline-signal.js';
import {
  ChallengeError,
  CompanionError,
  isCompanionError,
  redactUrl,
  TimeoutError,
  UpstreamHttpError,
  UpstreamNetworkError,
} from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { mayDiscover } from '../net/host-guard.js';
import type { HttpClient } from '../net/http-client.js';

/** How long a host stays parked after a 429 that named no Retry-After (shelfmark #1286 parks for minutes). */
export const DEFAULT_PARK_MS = 5 * 60_000;

/** A mirror answered 200 with a page that is not the site (a parked or seized domain, shelfmark #1218). */
export class MirrorUnusableError extends CompanionError {
  override name = 'MirrorUnusableError' as const;
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`Mirror unusable: GET ${redactUrl(url)} (${detail})`);
  }
}

/** Hosts that answered 429, each parked until its Retry-After runs out, so retries never hammer a site. */
export interface HostParking {
  /** Parks the host of `url` for `forMs` (default {@link DEFAULT_PARK_MS}); returns the un-park time. */
  park(url: string | URL, forMs?: number): number;
  /** When the host of `url` may be asked again, or undefined when it is not parked. */
  parkedUntil(url: string | URL): number | undefined;
}

/** The key hosts are parked under: host with port, so two local servers on one address stay apart. */
export function hostKey(url: string | URL): string {
  return new URL(url).host.toLowerCase().replace(/\.$/, '');
}

/** Creates an in-memory parking lot; share one between the sources and the download side. */
export function createHostParking({
  now = Date.now,
  defaultParkMs = DEFAULT_PARK_MS,
  maxParkMs = 6 * 60 * 60_000,
}: {
  now?: () => number;
  defaultParkMs?: number;
  maxParkMs?: number;
} = {}): HostParking {
  const until = new Map<string, number>();
  return {
    park(url, forMs) {
      const key = hostKey(url);
      // A hostile Retry-After of a year must not silence a source forever.
      const at = now() + Math.min(Math.max(0, forMs ?? defaultParkMs), maxParkMs);
      until.set(key, Math.max(until.get(key) ?? 0, at));
      return until.get(key) as number;
    },
    parkedUntil(url) {
      const key = hostKey(url);
      const at = until.get(key);
      if (at === undefined) return undefined;
      if (at <= now()) {
        until.delete(key);
        return undefined;
      }
      return at;
    },
  };
}

/** Search paths AA mirrors are known to serve (one 2026 mirror answers `/s/?q=` and 404s `/search`). */
export const KNOWN_SEARCH_PATHS = ['/search', '/s/'] as const;

/**
 * The search path a site's home page names in its search form (`<form role="search" action="/s/">`), when it is
 * a plain path on the same host; undefined otherwise.
 */
export function readSearchPath(html: string): string | undefined {
  for (const [tag] of html.matchAll(/<form\b[^>]*>/gi)) {
    if (!/\brole\s*=\s*["']?search\b/i.test(tag)) continue;
    const action = /\baction\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1];
    if (action && /^\/[a-z0-9_-]{1,32}\/?$/i.test(action)) return action;
  }
  return undefined;
}

/** One mirror as diagnostics show it (shared/api.ts `mirrorDiagnostics`). */
export interface MirrorState {
  site: string;
  url: string;
  state: 'ok' | 'parked';
  /** The search path learned for this mirror (or the default); null for sites searched another way. */
  searchPath: string | null;
  /** The mirror requests go to first. */
  inUse: boolean;
  parkedUntil?: number;
  /** Why the last request (or probe) on this mirror failed; cleared by a success. Never carries secrets. */
  lastError?: string;
}

/** An ordered set of base URLs serving the same site, with a current choice that fails over at run time. */
export interface MirrorPool {
  /** Human name for messages ("Anna's Archive"). */
  readonly name: string;
  /** Every configured base URL, in order (for the host guard). */
  readonly urls: readonly string[];
  /** The base URL in use; in `auto` mode the first call probes the list. Undefined when no mirror is configured. */
  current(signal?: AbortSignal): Promise<string | undefined>;
  /**
   * Runs `attempt(baseUrl)` on the current mirror, then on the others in order: network errors, timeouts, 5xx
   * and {@link MirrorUnusableError} fail over, a 429 parks the host and fails over, anything else (403, 404,
   * challenges) is thrown as is. Exhaustion throws {@link UpstreamHttpError} 429 (with the earliest un-park
   * time) when a host is parked, else {@link UpstreamNetworkError}.
   */
  run<T>(attempt: (baseUrl: string) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** The search path to use on `baseUrl`: learned from its home page or a search that worked, else the default. */
  searchPath(baseUrl: string): string;
  /** Remembers that `baseUrl` serves search at `path`. */
  learnSearchPath(baseUrl: string, path: string): void;
  /** Every mirror: answering or parked, its search path, the last failure. */
  status(): MirrorState[];
}

export interface MirrorPoolOptions {
  name: string;
  /** Base URLs in order; trailing slashes are dropped. */
  urls: string[];
  /** `auto` probes `GET /` on each in order (first 200 wins, cached); a URL is used first without probing. */
  baseUrl?: 'auto' | string;
  client: HttpClient;
  parking: HostParking;
  logger?: Logger;
  probeTimeoutMs?: number;
  now?: () => number;
  /** The site's search path (`/search` for AA); unset for sites this pool does not search. */
  defaultSearchPath?: string;
}

function describeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unparsable URL';
  }
}

function trimBase(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** Whether a failure says "this mirror, not the request, is the problem" (shelfmark's failover rule). */
export function isMirrorFailure(err: unknown): boolean {
  return (
    isCompanionError(err, UpstreamNetworkError) ||
    isCompanionError(err, TimeoutError) ||
    isCompanionError(err, MirrorUnusableError) ||
    (isCompanionError(err, UpstreamHttpError) && err.status >= 500)
  );
}

/** Creates a mirror pool; see {@link MirrorPool.run} for the failover rules. */
export function createMirrorPool({
  name,
  urls,
  baseUrl = 'auto',
  client,
  parking,
  logger = silentLogger,
  probeTimeoutMs = 3000,
  now = Date.now,
  defaultSearchPath,
}: MirrorPoolOptions): MirrorPool {
  const pinned = baseUrl === 'auto' ? undefined : trimBase(baseUrl);
  const list = [...new Set([...(pinned ? [pinned] : []), ...urls.map(trimBase)].filter(Boolean))];
  let chosen: string | undefined = pinned;
  let probing: Promise<string | undefined> | undefined;
  const searchPaths = new Map<string, string>();
  const lastErrors = new Map<string, string>();
  const failed = (base: string, message: string) => {
    lastErrors.set(base, message.slice(0, 300));
  };

  const probeOne = async (base: string, signal: AbortSignal | undefined): Promise<'ok' | 'challenged' | 'bad'> => {
    const deadline = deadlineSignal(probeTimeoutMs, signal);
    try {
      const res = await client.request(`${base}/`, {
        signal: deadline.signal,
        headersTimeoutMs: probeTimeoutMs,
        bodyTimeoutMs: probeTimeoutMs,
      });
      if (res.status !== 200) {
        await res.dump();
        if (res.status === 429) parking.park(base, undefined);
        failed(base, `probe: HTTP ${res.status}`);
        return 'bad';
      }
      // The home page names the search path in its search form: learn it while the page is here anyway.
      if (defaultSearchPath !== undefined) {
        const path = readSearchPath(await res.text());
        if (path) searchPaths.set(base, path);
      } else await res.dump();
      lastErrors.delete(base);
      return 'ok';
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      // A protection page proves the site is there; only its clearance is missing.
      if (isCompanionError(err, ChallengeError)) {
        failed(base, `probe: ${(err as Error).message}`);
        return 'challenged';
      }
      failed(base, `probe: ${(err as Error).message}`);
      return 'bad';
    } finally {
      deadline.clear();
    }
  };

  const probe = async (signal: AbortSignal | undefined): Promise<string | undefined> => {
    let challenged: string | undefined;
    for (const base of list) {
      if (parking.parkedUntil(base) !== undefined) continue;
      const verdict = await probeOne(base, signal);
      if (verdict === 'ok') {
        logger.info(`${name}: using mirror ${base}`);
        return base;
      }
      if (verdict === 'challenged') challenged ??= base;
    }
    const fallback = challenged ?? list[0];
    logger.warn(`${name}: no mirror answered the probe with 200; using ${fallback ?? 'none'}`);
    return fallback;
  };

  const current = async (signal?: AbortSignal): Promise<string | undefined> => {
    if (chosen !== undefined || list.length === 0) return chosen ?? list[0];
    probing ??= probe(signal).finally(() => {
      probing = undefined;
    });
    const picked = await probing;
    chosen ??= picked;
    return chosen;
  };

  return {
    name,
    urls: list,
    current,
    async run(attempt, signal) {
      const first = await current(signal);
      if (first === undefined) {
        throw new UpstreamNetworkError(`${name}`, new Error(`no ${name} mirror is configured`));
      }
      const order = [first, ...list.filter((base) => base !== first)];
      const failures: string[] = [];
      let earliestUnparkMs: number | undefined;
      let lastUrl = first;
      for (const base of order) {
        signal?.throwIfAborted();
        const parkedUntil = parking.parkedUntil(base);
        if (parkedUntil !== undefined) {
          earliestUnparkMs = Math.min(earliestUnparkMs ?? Infinity, parkedUntil);
          continue;
        }
        lastUrl = base;
        try {
          const result = await attempt(base);
          lastErrors.delete(base);
          if (base !== chosen) {
            logger.warn(`${name}: failed over to ${base}`);
            chosen = base;
          }
          return result;
        } catch (err) {
          if (signal?.aborted) throw signal.reason;
          failed(base, (err as Error).message);
          if (isCompanionError(err, UpstreamHttpError) && err.status === 429) {
            const at = parking.park(base, err.retryAfterMs);
            earliestUnparkMs = Math.min(earliestUnparkMs ?? Infinity, at);
            logger.warn(`${name}: ${new URL(base).host} answered 429; parked for ${Math.ceil((at - now()) / 1000)} s`);
            failures.push(`${new URL(base).host}: HTTP 429`);
            continue;
          }
          if (!isMirrorFailure(err)) throw err;
          logger.warn(`${name}: mirror ${base} failed`, { error: (err as Error).message });
          failures.push(`${new URL(base).host}: ${(err as Error).message}`);
        }
      }
      if (earliestUnparkMs !== undefined) {
        throw new UpstreamHttpError(429, lastUrl, 'GET', Math.max(0, earliestUnparkMs - now()));
      }
      throw new UpstreamNetworkError(
        lastUrl,
        new Error(`every ${name} mirror failed: ${failures.join('; ') || 'none reachable'}`),
      );
    },
    searchPath(base) {
      return searchPaths.get(trimBase(base)) ?? defaultSearchPath ?? '/search';
    },
    learnSearchPath(base, path) {
      const key = trimBase(base);
      if (searchPaths.get(key) === path) return;
      searchPaths.set(key, path);
      logger.info(`${name}: ${key} serves search at ${path}`);
    },
    status() {
      const inUse = chosen ?? list[0];
      return list.map((url) => {
        const parkedUntil = parking.parkedUntil(url);
        const lastError = lastErrors.get(url);
        return {
          site: name,
          url,
          state: parkedUntil === undefined ? ('ok' as const) : ('parked' as const),
          searchPath: defaultSearchPath === undefined ? null : (searchPaths.get(url) ?? defaultSearchPath),
          inUse: url === inUse,
          ...(parkedUntil === undefined ? {} : { parkedUntil }),
          ...(lastError === undefined ? {} : { lastError }),
        };
      });
    },
  };
}

/** Pools for hosts met on fetched pages (partner servers, libgen/z-lib hosts AA links to), and their origins. */
export interface DiscoveredHosts {
  /** The configured pool serving `url`'s origin, else a one-host pool for it (the origin is then discovered). */
  poolFor(url: string, preferred?: readonly MirrorPool[]): MirrorPool;
  /**
   * Records the origin of a URL taken from a fetched page (the host guard allows it from now on); false, and
   * nothing recorded, when the URL names a loopback/private host that is neither configured nor trusted.
   */
  discover(url: string): boolean;
  /** Origins discovered so far, oldest first. */
  origins(): string[];
}

/**
 * Keeps the hosts a source discovered, bounded (the oldest are forgotten first, which at worst costs one refused
 * fetch of a stale link), each with a one-host pool that parks on 429 like any mirror.
 */
export function createDiscoveredHosts(
  configured: readonly MirrorPool[],
  poolOptions: Omit<MirrorPoolOptions, 'name' | 'urls' | 'baseUrl'>,
  maxHosts = 512,
  trustedOrigins: readonly string[] = [],
): DiscoveredHosts {
  const seen = new Set<string>();
  const pools = new Map<string, MirrorPool>();
  const trusted = [...trustedOrigins, ...configured.flatMap((pool) => pool.urls)];
  const discover = (url: string): boolean => {
    if (!mayDiscover(url, trusted)) {
      (poolOptions.logger ?? silentLogger).warn('Refused a link to a private address found on a fetched page', {
        host: describeHost(url),
      });
      return false;
    }
    const { origin } = new URL(url);
    seen.delete(origin);
    seen.add(origin);
    if (seen.size > maxHosts) seen.delete(seen.values().next().value as string);
    return true;
  };
  return {
    discover,
    origins: () => [...seen],
    poolFor(url, preferred = configured) {
      const { origin, host } = new URL(url);
      const owner = preferred.find((pool) => pool.urls.some((base) => new URL(base).origin === origin));
      if (owner) return owner;
      discover(url);
      let pool = pools.get(origin);
      if (!pool) {
        pool = createMirrorPool({ ...poolOptions, name: host, urls: [origin], baseUrl: origin });
        pools.set(origin, pool);
        if (pools.size > maxHosts) pools.delete(pools.keys().next().value as string);
      }
      return pool;
    },
  };
}
