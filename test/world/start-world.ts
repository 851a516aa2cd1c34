import { type AaSettings, createAaApp, createAaState } from './aa-origin.js';
import { type BookSpec, createCatalogue, defaultBookSpecs, type WorldBook } from './catalogue.js';
import { createCounterStore, type WorldCounters } from './counters.js';
import { createFaultEngine, type FaultControl } from './faults.js';
import { createGatedApp } from './gated-origin.js';
import { createGateEngine, type GateControl, type GateRule, type GateSettings } from './gates.js';
import { createLibgenApp, createLibgenState } from './libgen-origin.js';
import type { OriginName } from './origin-name.js';
import { type OriginApp, type OriginServer, startOriginServer } from './origin-server.js';
import { createPartnerLinks } from './partner-links.js';
import { createPartnerApp } from './partner-origin.js';
import type { SlowLinkStyle, SlowRefusal } from './render-aa-countdown.js';
import { createZlibApp, type ZlibSession } from './zlib-origin.js';

export interface WorldOptions {
  /** Seeds the book bytes (and so the md5s); default `bookrelay-world`. */
  seed?: string;
  /** The catalogue; default five books from ~60 KB to ~3 MB. */
  books?: BookSpec[];
  /** slow_download wait in seconds (0 = link at once); default 2. */
  countdownSeconds?: number;
  /** Ready-page link markup; default `copy-url` (the 2026 capture). */
  slowLinkStyle?: SlowLinkStyle;
  /** Keep the unrelated real rows after the world's books on search pages; default false. */
  keepCapturedRows?: boolean;
  /** Valid member key for /dyn/api/fast_download.json; default `world-donator-key`. */
  donatorKey?: string;
  /** A key whose account exists but is not a member (403 Not a member); default `world-non-member-key`. */
  nonMemberKey?: string;
  /** Fast downloads per day for the member key; default 25. */
  fastDownloadsPerDay?: number;
  /** Number of extra AA origins (`aa-mirror-0`, …); default 2. */
  aaMirrorCount?: number;
  /** Search path per extra AA origin by index, e.g. `['/s/']`: `aa-mirror-0` searches at `/s/?q=` and 404s `/search`. */
  aaMirrorSearchPaths?: Array<string | undefined>;
  /** Body throughput per origin in bytes/s (e.g. `{ partner: 2_000_000 }`); default unlimited. */
  throughputBytesPerSecond?: Partial<Record<OriginName, number>>;
  /** Lifetime of AA's partner links; when set, the partner refuses unknown/expired `/file/` tokens (403). Default: unchecked. */
  partnerLinkTtlMs?: number;
  /** Lifetime of libgen get.php keys; default 30 min. */
  libgenKeyTtlMs?: number;
  gates?: Partial<GateSettings>;
  /** Cookies zlib's `/dl/` accepts (`remix_userid`, `remix_userkey`); default `world-user` / `world-user-key`. */
  zlibSession?: ZlibSession;
  /** zlib book pages omit the download button unless the session cookies are sent (as Z-Library does); default false. */
  zlibButtonNeedsSession?: boolean;
}

export interface World {
  /** Base URLs like `http://127.0.0.1:PORT` (no trailing slash). */
  origins: {
    aa: string;
    aaMirrors: string[];
    partner: string;
    libgen: string;
    gated: string;
    zlib: string;
    /** Welib runs AA's templates: the same pages and routes as `aa`, with its own countdown state. */
    welib: string;
  };
  books: WorldBook[];
  addBook(spec: BookSpec): WorldBook;
  /** The exact file content of a world book. */
  bookBytes(md5: string): Buffer;
  faults: FaultControl;
  gates: GateControl;
  counters: WorldCounters;
  /** Maps a URL back to the world origin serving it (undefined for foreign URLs). */
  originOf(url: string | URL): OriginName | undefined;
  /** Changes the slow_download wait for later visits. */
  setCountdownSeconds(seconds: number): void;
  /** Makes slow_download pages refuse (AA's "only the official website" / "not through Cloudflare"); undefined = normal. */
  setSlowDownloadRefusal(refusal: SlowRefusal | undefined): void;
  /** Sets (or with undefined turns off) the partner-link lifetime check. */
  setPartnerLinkTtl(ttlMs: number | undefined): void;
  /** Sets (or with undefined removes) an origin's body throughput limit. */
  setThroughput(origin: OriginName, bytesPerSecond: number | undefined): void;
  /**
   * `false` closes the origin's listening socket, so connections are *refused* (ECONNREFUSED) rather than reset;
   * `true` listens again on the same port.
   */
  setReachable(origin: OriginName, reachable: boolean): Promise<void>;
  /**
   * Clears faults, counters, issued clearance, countdown visits, partner links, libgen keys and fast-download quota.
   * Gate rules/settings stay; unreachable origins stay unreachable (use `setReachable`).
   */
  reset(): void;
  close(): Promise<void>;
}

/** The gated origin starts behind Cloudflare; tests switch it with `gates.protect({ origin: 'gated', kind })`. */
const defaultGateRules: GateRule[] = [{ origin: 'gated', kind: 'cloudflare' }];

/**
 * Starts the local fake internet: AA (+ mirrors), a partner file server, libgen, zlib and a gated origin,
 * each a real HTTP server on 127.0.0.1 with a random port.
 */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const catalogue = createCatalogue({
    seed: options.seed ?? 'bookrelay-world',
    specs: options.books ?? defaultBookSpecs,
  });
  const faults = createFaultEngine();
  const gates = createGateEngine();
  const counters = createCounterStore();
  gates.configure(options.gates ?? {});
  for (const rule of defaultGateRules) gates.protect(rule);
  const throughput = new Map(Object.entries(options.throughputBytesPerSecond ?? {})) as Map<OriginName, number>;

  const aaState = createAaState();
  const libgenState = createLibgenState();
  const partnerLinks = createPartnerLinks(
    options.partnerLinkTtlMs === undefined ? {} : { ttlMs: options.partnerLinkTtlMs },
  );
  const aaSettings: AaSettings = {
    countdownSeconds: options.countdownSeconds ?? 2,
    slowLinkStyle: options.slowLinkStyle ?? 'copy-url',
    keepCapturedRows: options.keepCapturedRows ?? false,
    slowRefusal: undefined,
  };
  const origins: World['origins'] = { aa: '', aaMirrors: [], partner: '', libgen: '', gated: '', zlib: '', welib: '' };
  const accounts = {
    memberKey: options.donatorKey ?? 'world-donator-key',
    nonMemberKey: options.nonMemberKey ?? 'world-non-member-key',
    downloadsPerDay: options.fastDownloadsPerDay ?? 25,
  };
  const aaDeps = { catalogue, settings: aaSettings, accounts, links: partnerLinks, origins: () => origins };
  const aaApp = createAaApp({ ...aaDeps, state: aaState });
  const welibState = createAaState();

  const servers: Array<{ name: OriginName; server: OriginServer }> = [];
  const start = async (name: OriginName, app: OriginApp) => {
    const server = await startOriginServer({
      name,
      app,
      faults,
      gates,
      counters,
      throughput: () => throughput.get(name),
    });
    servers.push({ name, server });
    return server.url;
  };
  try {
    origins.aa = await start('aa', aaApp);
    for (let i = 0; i < (options.aaMirrorCount ?? 2); i++) {
      const searchPath = options.aaMirrorSearchPaths?.[i];
      const app = searchPath ? createAaApp({ ...aaDeps, state: aaState, searchPath }) : aaApp;
      origins.aaMirrors.push(await start(`aa-mirror-${i}`, app));
    }
    origins.partner = await start('partner', createPartnerApp({ catalogue, links: partnerLinks }));
    origins.libgen = await start(
      'libgen',
      createLibgenApp({
        catalogue,
        state: libgenState,
        ...(options.libgenKeyTtlMs ? { keyTtlMs: options.libgenKeyTtlMs } : {}),
      }),
    );
    origins.gated = await start('gated', createGatedApp({ catalogue }));
    origins.welib = await start('welib', createAaApp({ ...aaDeps, state: welibState }));
    origins.zlib = await start(
      'zlib',
      createZlibApp({
        catalogue,
        session: options.zlibSession ?? { userId: 'world-user', userKey: 'world-user-key' },
        buttonNeedsSession: options.zlibButtonNeedsSession ?? false,
      }),
    );
  } catch (error) {
    await Promise.all(servers.map(({ server }) => server.close()));
    throw error;
  }

  return {
    origins,
    books: catalogue.books,
    addBook: (spec) => catalogue.addBook(spec),
    bookBytes: (md5) => catalogue.bookBytes(md5),
    faults,
    gates,
    counters,
    originOf(url) {
      const origin = new URL(url).origin;
      return servers.find(({ server }) => server.url === origin)?.name;
    },
    setCountdownSeconds(seconds) {
      aaSettings.countdownSeconds = seconds;
    },
    async setReachable(origin, reachable) {
      const entry = servers.find((s) => s.name === origin);
      if (!entry) throw new Error(`Expected \`origin\` to be a world origin, got \`${origin}\``);
      await entry.server.setListening(reachable);
    },
    setSlowDownloadRefusal(refusal) {
      aaSettings.slowRefusal = refusal;
    },
    setPartnerLinkTtl(ttlMs) {
      partnerLinks.ttlMs = ttlMs;
    },
    setThroughput(origin, bytesPerSecond) {
      if (bytesPerSecond === undefined) throughput.delete(origin);
      else throughput.set(origin, bytesPerSecond);
    },
    reset() {
      faults.clear();
      counters.clear();
      gates.resetState();
      for (const state of [aaState, welibState]) {
        state.slowVisits.clear();
        state.fast.recentlyDownloaded.length = 0;
      }
      libgenState.keys.clear();
      partnerLinks.clear();
    },
    async close() {
      await Promise.all(servers.map(({ server }) => server.close()));
    },
  };
}
