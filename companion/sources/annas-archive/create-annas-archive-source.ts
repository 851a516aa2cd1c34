import { isMd5, type Md5 } from '../../../shared/book.js';
import { abortableSleep } from '../../abortable-sleep.js';
import type { Config } from '../../config.js';
import { RetryLaterError } from '../../download/download-book.js';
import {
  ChallengeError,
  CompanionError,
  isCompanionError,
  UpstreamHttpError,
  UpstreamNetworkError,
} from '../../errors.js';
import type { Logger } from '../../logger.js';
import { silentLogger } from '../../logger.js';
import type { HttpClient } from '../../net/http-client.js';
import { siteOf } from '../../net/site-of.js';
import { fetchLibgenLink } from '../libgen/fetch-libgen-link.js';
import { searchLibgen } from '../libgen/search-libgen.js';
import {
  createDiscoveredHosts,
  createHostParking,
  createMirrorPool,
  DEFAULT_PARK_MS,
  type HostParking,
  isMirrorFailure,
  type MirrorPool,
  type MirrorState,
  MirrorUnusableError,
} from '../mirrors.js';
import { type CandidateSourceId, orderCandidateSources } from '../resolve-candidates.js';
import type { DownloadCandidate, ResolveContext, Source } from '../source.js';
import { fetchWelibLinks } from '../welib/fetch-welib-links.js';
import { fetchZlibLink } from '../zlib/fetch-zlib-link.js';
import { fetchFastDownloadUrl } from './fetch-fast-download.js';
import { type FetchedPage, fetchPage, type PageSolver } from './fetch-page.js';
import { type FetchedRecord, fetchRecordPage } from './fetch-record-page.js';
import { fetchSearchResults, sortByFormat } from './fetch-search-page.js';
import { resolveCountdown } from './fetch-slow-download.js';
import { toBookInfo } from './to-book-info.js';

export interface AnnasArchiveSourceOptions {
  client: HttpClient;
  /** `AA_BASE_URL`: `auto` probes `mirrorUrls` in order; a URL is used first. */
  baseUrl?: 'auto' | string;
  /** AA mirrors in order (`config.annasArchive.mirrorUrls`: defaults plus `AA_ADDITIONAL_URLS`). */
  mirrorUrls: string[];
  /**
   * Mirror lists of the other sites; when empty, the links on the AA record page are used instead. With libgen
   * mirrors, a search while every AA mirror is unreachable is answered from libgen.li's search instead.
   */
  libgenMirrors?: string[];
  zlibMirrors?: string[];
  welibMirrors?: string[];
  /** `AA_DONATOR_KEY`; never logged. */
  donatorKey?: string;
  /** `SUPPORTED_FORMATS` and `BOOK_LANGUAGE`: search defaults and result order. */
  formats: string[];
  languages: string[];
  /** `SOURCE_PRIORITY`; default CWA-BD's order. */
  priority?: readonly CandidateSourceId[];
  prioritizeWelib?: boolean;
  allowWelib?: boolean;
  useCfBypass?: boolean;
  /** Countdowns longer than this skip the partner server instead of waiting; default 10 min. */
  countdownMaxWaitMs?: number;
  /** Options tried per source (e.g. slow partner servers) before moving on; default 4 (Shelfmark's threshold). */
  maxOptionsPerSource?: number;
  /** Share one with the download side so a 429 on a file host is honoured here too. */
  parking?: HostParking;
  /** Clearance for protected pages (search, record, countdown); without it a challenge skips the option. */
  solver?: PageSolver;
  logger?: Logger;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  probeTimeoutMs?: number;
  /** `TRUSTED_ORIGINS`: loopback/private origins pages may link to (a LAN mirror); any other private link is refused. */
  trustedOrigins?: string[];
}

/** The Anna's Archive source, plus what the host guard and the download side need from it. */
export interface AnnasArchiveSource extends Source {
  /** Configured mirrors of every site plus the hosts this source found on pages it fetched (partner servers). */
  allowedOrigins(): string[];
  mirrorStatus(): MirrorState[];
  readonly parking: HostParking;
}

/** The source options, from the validated config. */
export function readAnnasArchiveOptions(
  config: Pick<Config, 'annasArchive' | 'downloads'>,
): Omit<AnnasArchiveSourceOptions, 'client'> {
  const aa = config.annasArchive;
  return {
    baseUrl: aa.baseUrl,
    mirrorUrls: aa.mirrorUrls,
    ...(aa.donatorKey ? { donatorKey: aa.donatorKey } : {}),
    formats: config.downloads.supportedFormats,
    languages: config.downloads.bookLanguages,
    prioritizeWelib: aa.prioritizeWelib,
    allowWelib: aa.allowWelib,
    // USE_CF_BYPASS only turns off our own browser (and FlareSolverr): stored clearance and the user's extension still
    // get through protected pages, so no source is dropped for it, unlike CWA-BD which had no other way in.
    useCfBypass: true,
    libgenMirrors: aa.libgenMirrors,
    zlibMirrors: aa.zlibMirrors,
    welibMirrors: aa.welibMirrors,
    ...(aa.sourcePriority ? { priority: aa.sourcePriority } : {}),
    countdownMaxWaitMs: aa.countdownMaxWaitMs,
    ...(aa.trustedOrigins?.length ? { trustedOrigins: aa.trustedOrigins } : {}),
  };
}

function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

type LinkOutcome = { ok: true; url: string; pageUrl: string } | { ok: false; reason: string };

/** One page to load on a pool: `pool.run(base => base + path)`. */
interface Lead {
  pool: MirrorPool;
  path: string;
  label: string;
}

/** Per-`candidates()` state: what was offered, the record page (loaded once), and why options were skipped. */
interface Run {
  md5: Md5;
  ctx: ResolveContext;
  offered: Set<string>;
  record?: Promise<FetchedRecord | undefined>;
  /** Earliest time a rate-limited option may be asked again. */
  retryAtMs?: number;
  /** A network failure that might pass (every mirror of a site unreachable). */
  transient?: unknown;
  /** Why AA refused the member key (`AA_DONATOR_KEY`), never the key itself. */
  keyRefused?: string;
}

const SITE_NAMES = { libgen: 'libgen', zlib: 'Z-Library', welib: 'Welib' } as const;
type OtherSite = keyof typeof SITE_NAMES;
const SITE_PATHS: Record<OtherSite, (md5: Md5) => string> = {
  libgen: (md5) => `/ads.php?md5=${md5}`,
  zlib: (md5) => `/md5/${md5}`,
  welib: (md5) => `/md5/${md5}`,
};
// Which record-page links of each site are pages this source knows how to read.
const SITE_PAGES: Record<OtherSite, RegExp> = {
  libgen: /\/ads\.php\?/i,
  zlib: /\/(md5|book)\//i,
  welib: /\/md5\//i,
};

/**
 * Builds the Anna's Archive source: search and record pages from the current AA mirror, and download candidates
 * in the configured order (donator API, slow partners without waitlist, libgen, Welib, slow with waitlist,
 * Z-Library), each resolved only when the consumer asks for the next. Rate-limited hosts are parked; when
 * options were skipped only for now, the iteration ends with {@link RetryLaterError}.
 */
export function createAnnasArchiveSource(options: AnnasArchiveSourceOptions): AnnasArchiveSource {
  const {
    client,
    solver,
    logger = silentLogger,
    sleep = abortableSleep,
    now = Date.now,
    countdownMaxWaitMs = 10 * 60_000,
    maxOptionsPerSource = 4,
  } = options;
  const parking = options.parking ?? createHostParking({ now });
  const pageDeps = { client, ...(solver ? { solver } : {}) };
  const poolOptions = {
    client,
    parking,
    logger,
    now,
    ...(options.probeTimeoutMs ? { probeTimeoutMs: options.probeTimeoutMs } : {}),
  };
  const aa = createMirrorPool({
    ...poolOptions,
    name: "Anna's Archive",
    urls: options.mirrorUrls,
    baseUrl: options.baseUrl ?? 'auto',
    defaultSearchPath: '/search',
  });
  const configuredPool = (site: OtherSite, urls: string[] | undefined) =>
    urls && urls.length > 0
      ? createMirrorPool({ ...poolOptions, name: SITE_NAMES[site], urls, baseUrl: urls[0] })
      : undefined;
  const sitePools: Record<OtherSite, MirrorPool | undefined> = {
    libgen: configuredPool('libgen', options.libgenMirrors),
    zlib: configuredPool('zlib', options.zlibMirrors),
    welib: configuredPool('welib', options.welibMirrors),
  };
  const configuredPools = [aa, ...Object.values(sitePools).filter((pool): pool is MirrorPool => pool !== undefined)];
  const order = orderCandidateSources({
    ...(options.priority ? { priority: options.priority } : {}),
    hasDonatorKey: Boolean(options.donatorKey),
    prioritizeWelib: options.prioritizeWelib ?? false,
    allowWelib: options.allowWelib ?? true,
    useCfBypass: options.useCfBypass ?? true,
  });

  // Partner servers and the libgen/z-lib hosts AA links to: the host guard allows them once found on a page.
  const hosts = createDiscoveredHosts(configuredPools, poolOptions, undefined, options.trustedOrigins);
  const poolFor = hosts.poolFor;
  const load = (lead: Lead, signal: AbortSignal): Promise<FetchedPage> =>
    lead.pool.run((base) => fetchPage(pageDeps, base + lead.path, { signal }), signal);

  const note = (run: Run, message: string) => {
    logger.info(message, { md5: run.md5 });
    run.ctx.onStatus(message);
  };

  /** Runs one option's resolution; its failures skip the option (recording the ones worth a retry). */
  const guarded = async <T>(run: Run, what: string, resolve: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await resolve();
    } catch (err) {
      if (run.ctx.signal.aborted) throw run.ctx.signal.reason;
      if (isCompanionError(err, UpstreamHttpError) && (err.status === 429 || err.status === 503)) {
        run.retryAtMs = Math.min(run.retryAtMs ?? Infinity, now() + (err.retryAfterMs ?? DEFAULT_PARK_MS));
        note(run, `${what} is busy (HTTP ${err.status}); skipping it for now`);
        return undefined;
      }
      if (isMirrorFailure(err) && !isCompanionError(err, MirrorUnusableError)) run.transient ??= err;
      note(run, `${what} skipped: ${(err as Error).message}`);
      return undefined;
    }
  };

  function* offer(run: Run, url: string, label: string, referer?: string): Generator<DownloadCandidate> {
    if (run.offered.has(url)) return;
    const parkedUntil = parking.parkedUntil(url);
    if (parkedUntil !== undefined) {
      run.retryAtMs = Math.min(run.retryAtMs ?? Infinity, parkedUntil);
      note(run, `${label} is rate-limited until ${new Date(parkedUntil).toISOString()}; skipping it for now`);
      return;
    }
    run.offered.add(url);
    if (!hosts.discover(url)) {
      return note(run, `${label} skipped: its link points at a private address (${new URL(url).host})`);
    }
    yield { url, label, site: siteOf(url), ...(referer ? { headers: { referer } } : {}) };
  }

  const record = (run: Run) => {
    run.record ??= guarded(run, "Anna's Archive record page", () =>
      fetchRecordPage({ ...pageDeps, pool: aa }, run.md5, run.ctx.signal),
    );
    return run.record;
  };

  async function* countdown(run: Run, pool: MirrorPool, url: string, label: string, waitLabel: string) {
    const { signal } = run.ctx;
    let challenged: ChallengeError | undefined;
    const outcome = await guarded(run, label, async () => {
      try {
        return await resolveCountdown({
          fetch: () => load({ pool, path: pathOf(url), label }, signal),
          label: waitLabel,
          maxWaitMs: countdownMaxWaitMs,
          sleep,
          onStatus: run.ctx.onStatus,
          signal,
        });
      } catch (err) {
        if (isCompanionError(err, ChallengeError)) challenged = err;
        throw err;
      }
    });
    // A wall the server could not pass: the page itself is a candidate for the browser relay (never fetched here).
    if (!outcome && challenged && !run.offered.has(url)) {
      run.offered.add(url);
      yield { url, label, site: siteOf(url), kind: 'countdown-page' as const };
      return;
    }
    if (!outcome) return;
    if (outcome.kind === 'skip') return note(run, outcome.reason);
    yield* offer(run, outcome.url, label, outcome.pageUrl);
  }

  async function* fast(run: Run): AsyncGenerator<DownloadCandidate> {
    const key = options.donatorKey;
    if (!key) return;
    const label = "Anna's Archive fast download";
    run.ctx.onStatus("Asking Anna's Archive for a fast download");
    const outcome = await guarded(run, label, () =>
      fetchFastDownloadUrl({ client, pool: aa }, run.md5, key, run.ctx.signal),
    );
    if (!outcome) return;
    if (!outcome.ok) {
      if (outcome.refused) run.keyRefused = outcome.reason;
      return note(run, `${label}: ${outcome.reason}`);
    }
    yield* offer(run, outcome.url, label);
  }

  async function* slow(run: Run, waitlist: boolean): AsyncGenerator<DownloadCandidate> {
    const fetched = await record(run);
    if (!fetched) return;
    const picked = fetched.record.downloads.filter((o) =>
      waitlist
        ? o.kind === 'aa-slow' && o.waitlist !== false
        : o.kind === 'file' || (o.kind === 'aa-slow' && o.waitlist === false),
    );
    for (const option of picked.slice(0, maxOptionsPerSource)) {
      if (option.kind === 'file') {
        yield* offer(run, option.url, "Anna's Archive partner file", fetched.pageUrl);
        continue;
      }
      const server = /#\s*(\d+)/.exec(option.label)?.[1];
      const suffix = server ? ` #${server}` : '';
      yield* countdown(
        run,
        poolFor(option.url),
        option.url,
        `Anna's Archive slow partner${suffix}`,
        `Anna's Archive partner${suffix}`,
      );
    }
  }

  const siteLeads = async (run: Run, site: OtherSite): Promise<Lead[]> => {
    const configured = sitePools[site];
    if (configured) return [{ pool: configured, path: SITE_PATHS[site](run.md5), label: SITE_NAMES[site] }];
    const fetched = await record(run);
    return (fetched?.record.downloads ?? [])
      .filter((option) => option.kind === site && SITE_PAGES[site].test(option.url))
      .slice(0, maxOptionsPerSource)
      .map((option) => ({
        pool: poolFor(option.url),
        path: pathOf(option.url),
        label: `${SITE_NAMES[site]} (${new URL(option.url).host})`,
      }));
  };

  /** libgen and Z-Library: one page per lead that names the file URL. */
  const linkStep = (
    site: 'libgen' | 'zlib',
    fetchLink: (deps: typeof pageDeps, url: string, signal: AbortSignal) => Promise<LinkOutcome>,
  ) =>
    async function* (run: Run): AsyncGenerator<DownloadCandidate> {
      const { signal } = run.ctx;
      for (const lead of await siteLeads(run, site)) {
        run.ctx.onStatus(`Trying ${lead.label}`);
        const outcome = await guarded(run, lead.label, () =>
          lead.pool.run((base) => fetchLink(pageDeps, base + lead.path, signal), signal),
        );
        if (!outcome) continue;
        if (!outcome.ok) note(run, outcome.reason);
        else yield* offer(run, outcome.url, lead.label, outcome.pageUrl);
      }
    };

  async function* welib(run: Run): AsyncGenerator<DownloadCandidate> {
    const { signal } = run.ctx;
    for (const lead of await siteLeads(run, 'welib')) {
      run.ctx.onStatus(`Trying ${lead.label}`);
      const outcome = await guarded(run, lead.label, () =>
        lead.pool.run((base) => fetchWelibLinks(pageDeps, base + lead.path, signal), signal),
      );
      if (!outcome) continue;
      if (!outcome.ok) {
        note(run, outcome.reason);
        continue;
      }
      for (const link of outcome.links.slice(0, maxOptionsPerSource)) {
        const server = /#\s*(\d+)/.exec(link.label)?.[1];
        const label = `Welib partner${server ? ` #${server}` : ''}`;
        yield* countdown(run, poolFor(link.url, [lead.pool]), link.url, label, label);
      }
    }
  }

  // The fallback warning is logged once per outage, not once per search.
  let searchFallbackWarned = false;

  const steps: Record<CandidateSourceId, (run: Run) => AsyncGenerator<DownloadCandidate>> = {
    'aa-fast': fast,
    'aa-slow-nowait': (run) => slow(run, false),
    'aa-slow-wait': (run) => slow(run, true),
    libgen: linkStep('libgen', fetchLibgenLink),
    welib,
    zlib: linkStep('zlib', fetchZlibLink),
  };

  return {
    id: 'annas-archive',
    parking,
    allowedOrigins() {
      return [...configuredPools.flatMap((pool) => pool.urls), ...hosts.origins()];
    },
    mirrorStatus() {
      return configuredPools.flatMap((pool) => pool.status());
    },
    async search(filters, signal, { applyDefaults = true } = {}) {
      try {
        // Without the defaults AA filters nothing the request did not name; results keep CWA-BD's format order.
        const defaults = applyDefaults
          ? { languages: options.languages, formats: options.formats }
          : { languages: ['all'], formats: [] };
        const results = await fetchSearchResults({ ...pageDeps, pool: aa }, filters, defaults, signal);
        searchFallbackWarned = false;
        return applyDefaults ? results : sortByFormat(results, options.formats);
      } catch (err) {
        // Only "no AA mirror answers" falls back: a challenge or a layout change is AA's to fix, not libgen's.
        const libgen = sitePools.libgen;
        if (!libgen || signal?.aborted || !isCompanionError(err, UpstreamNetworkError)) throw err;
        if (!searchFallbackWarned) {
          logger.warn("Anna's Archive is unreachable; searching libgen instead until it answers again", {
            error: (err as Error).message,
          });
          searchFallbackWarned = true;
        }
        return searchLibgen({ ...pageDeps, pool: libgen }, filters, options.formats, signal);
      }
    },
    async details(id, signal, { solve = true } = {}) {
      if (!isMd5(id)) return undefined;
      const deps = solve ? { ...pageDeps, pool: aa } : { client, pool: aa };
      const fetched = await fetchRecordPage(deps, id.toLowerCase(), signal);
      return fetched ? toBookInfo(fetched.record) : undefined;
    },
    async *candidates(book, ctx) {
      if (!isMd5(book.id)) return;
      const run: Run = { md5: book.id.toLowerCase(), ctx, offered: new Set() };
      for (const id of order) {
        ctx.signal.throwIfAborted();
        yield* steps[id](run);
      }
      if (run.retryAtMs !== undefined) {
        const seconds = Math.max(1, Math.ceil((run.retryAtMs - now()) / 1000));
        throw new RetryLaterError(`Some sources are rate-limited; trying again in ${seconds} s`, run.retryAtMs);
      }
      // Nothing was offered because sites were unreachable: let the queue retry with back-off rather than fail for
      // good. When candidates were offered and failed, download-book's own summary says more.
      if (run.transient !== undefined && run.offered.size === 0) throw run.transient;
      // Nothing to try and the member key was refused: that, not a bare "no source", is what the user must fix.
      if (run.keyRefused !== undefined && run.offered.size === 0) {
        throw new CompanionError(`No download source was found for this book. ${run.keyRefused} (AA_DONATOR_KEY)`);
      }
    },
  };
}
