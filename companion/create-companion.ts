import type { WaitingReason } from '../shared/download.js';
import { createApp } from './app.js';
import { createCalibreWebAuth } from './auth/calibre-web-db.js';
import { createClientAddress } from './auth/client-address.js';
import { createFirstAdminIfNeeded } from './auth/first-admin.js';
import { createIsAuthRequired } from './auth/is-auth-required.js';
import { createKnownClients } from './auth/known-clients.js';
import { createLoginGuard } from './auth/login-guard.js';
import { createAuthMiddleware } from './auth/middleware.js';
import { createPairing } from './auth/pairing.js';
import { migrateAuth } from './auth/schema.js';
import { createSessionStore } from './auth/sessions.js';
import { createTokenStore } from './auth/tokens.js';
import { createUserStore } from './auth/users.js';
import { createBypass } from './bypass/create-bypass.js';
import type { Config } from './config.js';
import { createWebUiCovers } from './covers/create-web-ui-covers.js';
import { cleanLeftovers } from './download/clean-leftovers.js';
import { downloadBook, RetryLaterError, stagingPathFor } from './download/download-book.js';
import { isCompanionError, TimeoutError, UpstreamHttpError, UpstreamNetworkError } from './errors.js';
import { createEventBus } from './events.js';
import { createListService } from './lists/list-service.js';
import { createListPoller } from './lists/poller.js';
import { migrateLists } from './lists/schema.js';
import { createListStore } from './lists/store.js';
import type { Logger } from './logger.js';
import { migrateClearance } from './net/clearance-schema.js';
import { createClearanceStore } from './net/clearance-store.js';
import { createDnsLookup } from './net/create-dns-lookup.js';
import { createHttpClient } from './net/create-http-client.js';
import { createHostGuard } from './net/host-guard.js';
import { siteOf } from './net/site-of.js';
import { createNotifier } from './notify/notifier.js';
import { toQueueItemView } from './queue/queue-item.js';
import { createRunner } from './queue/runner.js';
import { migrateQueue } from './queue/schema.js';
import { createQueueStore, type QueueChange, type QueueStore } from './queue/store.js';
import { createAskExtension } from './relay/ask-extension.js';
import { createClearanceRequests } from './relay/clearance-requests.js';
import { runWithJobStatus, whileWaitingForClearance } from './relay/job-status.js';
import { NeedsRelayError } from './relay/relay-errors.js';
import { createRelayJobs } from './relay/relay-jobs.js';
import { migrateRelay } from './relay/relay-schema.js';
import {
  createAnnasArchiveSource,
  readAnnasArchiveOptions,
} from './sources/annas-archive/create-annas-archive-source.js';
import { createDiskState } from './store/disk-space.js';
import type { Db } from './store/open-database.js';

export interface CompanionDeps {
  config: Readonly<Config>;
  logger: Logger;
  db: Db;
  /** Tuning for tests; the defaults suit real use. */
  tuning?: {
    leaseMs?: number;
    pollIntervalMs?: number;
    retryBaseMs?: number;
    backoffMs?: number;
    extensionTimeoutMs?: number;
    /** Extra hosts the client may fetch (tests serve partner files from 127.0.0.1 ports). */
    extraAllowedOrigins?: string[];
    /** Free space the folders need before downloads resume after the disk was full. */
    minFreeBytes?: number;
    /** First wait before a notification is sent again (doubles each retry). */
    notifyBackoffMs?: number;
  };
}

/** Which failures are worth another attempt later. */
function classifyFailure(err: unknown): { atMs: number; message: string } | boolean {
  if (isCompanionError(err, RetryLaterError)) return { atMs: err.atMs, message: err.message };
  return (
    isCompanionError(err, UpstreamNetworkError) ||
    isCompanionError(err, TimeoutError) ||
    (isCompanionError(err, UpstreamHttpError) && err.status >= 500)
  );
}

/**
 * Builds the whole companion from its configuration: database tables, HTTP client with host guard and clearance
 * replay, the Anna's Archive source, the bypass, the queue and its runner, auth, and the HTTP app. Nothing listens
 * and no worker runs until `runner.start()`; main.ts and the integration tests share this wiring.
 */
export async function createCompanion({ config, logger, db, tuning = {} }: CompanionDeps) {
  migrateQueue(db);
  migrateClearance(db);
  migrateAuth(db);
  migrateRelay(db);
  migrateLists(db);

  const bus = createEventBus();
  // A full disk fails the download that hit it, pauses the queue and shows in health until space is free again.
  const disk = createDiskState({
    folders: [
      { variable: 'DATA_DIR', dir: config.paths.dataDir },
      { variable: 'TMP_DIR', dir: config.paths.stagingDir },
      { variable: 'INGEST_DIR', dir: config.paths.ingestDir },
    ],
    minFreeBytes: tuning.minFreeBytes,
  });
  const clearance = createClearanceStore({ db });
  const dns = createDnsLookup({ customDns: config.net.customDns, useDoh: config.net.useDoh, logger });

  let allowedOrigins: () => string[] = () => [];
  const hostGuard = createHostGuard(() => [...allowedOrigins(), ...(tuning.extraAllowedOrigins ?? [])]);
  const client = createHttpClient({
    hostGuard,
    clearance,
    proxy: config.net,
    ...(dns ? { lookup: dns.lookup } : {}),
    logger,
  });

  let store: QueueStore;
  // Clearance requests stay pending (SSE for a connected extension, GET /api/clearance/requests for one that was
  // asleep) until POST /api/clearance answers them or they expire.
  const clearanceRequests = createClearanceRequests({
    db,
    ttlMs: config.bypass.clearanceRequestTtlMs,
    itemsWaitingOn: (site) =>
      store
        .list()
        .filter(
          (item) => item.status === 'downloading' && item.waiting?.kind === 'clearance' && item.waiting.site === site,
        )
        .map((item) => item.id),
  });
  const askExtension = createAskExtension({
    bus,
    clearance,
    requests: clearanceRequests,
    hasOwnBypass: config.annasArchive.useCfBypass,
  });
  const solver = createBypass({ config, store: clearance, askExtension, dns, logger });
  const bypass = {
    ...solver,
    // Whichever path earned clearance, the site is no longer asked for.
    // Items waiting on a wall in front of a page (not only a file) show it too.
    async solve(site: string, url: string, signal?: AbortSignal, challenge?: string) {
      const record = await whileWaitingForClearance(
        siteOf(site.includes('://') ? site : `https://${site}`),
        () => solver.solve(site, url, signal, challenge),
        { challenge },
      );
      clearanceRequests.close(record.site);
      return record;
    },
  };

  const source = createAnnasArchiveSource({
    client,
    ...readAnnasArchiveOptions(config),
    solver: bypass,
    logger,
  });
  // Shelf feeds and notification targets are configured origins too; nothing else is fetched for them.
  const listOrigins = [config.lists.goodreadsUrl, config.lists.openLibraryUrl, config.lists.hardcoverApiUrl];
  const notifyOrigins = [config.notify.webhookUrl, config.notify.ntfyUrl]
    .filter((url): url is string => Boolean(url))
    .map((url) => new URL(url).origin);
  allowedOrigins = () => [...source.allowedOrigins(), ...listOrigins, ...notifyOrigins];

  const publish = ({ kind, ids }: QueueChange) => {
    if (kind === 'removed') return bus.publish({ type: 'removed', ids });
    for (const id of ids) {
      const item = store.get(id);
      if (!item) continue;
      if (kind === 'progress') {
        bus.publish({
          type: 'progress',
          id,
          progress: item.progress,
          bytesDone: item.bytesDone,
          bytesTotal: item.bytesTotal,
        });
      } else bus.publish({ type: 'item', item: toQueueItemView(item) });
    }
  };
  store = createQueueStore({ db, onChange: publish });
  const relay = createRelayJobs({
    store,
    bus,
    stagingDir: config.paths.stagingDir,
    ingestDir: config.paths.ingestDir,
    useBookTitle: config.downloads.useBookTitle,
    customScript: config.downloads.customScript,
    customScriptTimeoutMs: config.downloads.customScriptTimeoutMs,
    ttlMs: config.relay.timeoutMs,
    logger,
  });

  const runner = createRunner({
    store,
    logger,
    concurrency: config.downloads.maxConcurrent,
    stallTimeoutMs: config.downloads.stallTimeoutMs,
    maxAttempts: Math.max(1, Math.min(config.downloads.maxRetry, 5)),
    isRetryable: classifyFailure,
    leaseMs: tuning.leaseMs,
    pollIntervalMs: tuning.pollIntervalMs,
    retryBaseMs: tuning.retryBaseMs ?? config.downloads.defaultSleepMs * 6,
    onDiskFull: (err) => disk.report(err),
    paused: () => disk.isFull(),
    handOff: (item, leaseId, err) => isCompanionError(err, NeedsRelayError) && relay.park(item, leaseId, err),
    process: (item, ctx) => {
      let lastProgressWriteMs = 0;
      const status = (message: string, waiting?: WaitingReason | null) => {
        ctx.touch();
        store.setStatusMessage(item.id, ctx.leaseId, message, waiting ?? null);
      };
      return runWithJobStatus(status, () =>
        downloadBook(
          item.book,
          {
            client,
            source,
            solver: bypass,
            stagingDir: config.paths.stagingDir,
            ingestDir: config.paths.ingestDir,
            useBookTitle: config.downloads.useBookTitle,
            customScript: config.downloads.customScript,
            customScriptTimeoutMs: config.downloads.customScriptTimeoutMs,
            backoffMs: tuning.backoffMs ?? config.downloads.defaultSleepMs / 5,
            relaySites: config.relay.sites,
            relayFallback: config.relay.fallback,
            maxAttempts: Math.max(1, config.downloads.maxRetry),
            attemptsMade: store.get(item.id)?.attempt ?? item.attempt,
            logger,
          },
          ctx.signal,
          {
            status,
            progress: (bytesDone, bytesTotal) => {
              ctx.touch();
              // SQLite gets at most ~5 writes a second per item; the last chunk always lands.
              const at = Date.now();
              if (at - lastProgressWriteMs < 200 && bytesDone !== bytesTotal) return;
              lastProgressWriteMs = at;
              store.setProgress(item.id, ctx.leaseId, { bytesDone, bytesTotal });
            },
            staging: (stagingPath, label) => store.setStaging(item.id, ctx.leaseId, stagingPath, label),
            attempt: (a) => {
              ctx.touch();
              lastProgressWriteMs = 0;
              store.startAttempt(item.id, ctx.leaseId, a);
            },
          },
        ),
      );
    },
  });

  const lists = createListStore({ db });
  const listService = createListService({
    lists,
    queue: store,
    runner,
    source,
    client,
    endpoints: config.lists,
    preferences: () => ({ formats: config.downloads.supportedFormats, languages: config.downloads.bookLanguages }),
    logger,
  });
  const listPoller = createListPoller({
    lists,
    service: listService,
    intervalMs: config.lists.checkIntervalMs,
    logger,
  });
  const notifier = createNotifier({
    bus,
    client,
    targets: config.notify,
    initial: store.list().map((item) => ({ id: item.id, status: item.status })),
    attempts: config.notify.attempts,
    backoffMs: tuning.notifyBackoffMs ?? 2000,
    logger,
  });

  const users = createUserStore({ db });
  const tokens = createTokenStore({ db });
  const sessions = createSessionStore({ db });
  const pairing = createPairing({
    db,
    tokens,
    onWithdrawn: (count) =>
      logger.warn(`Withdrew ${count} pairing code(s) after too many wrong guesses; create a new one to pair`),
  });
  const calibreWeb = config.auth.cwaDbPath
    ? createCalibreWebAuth({ dbPath: config.auth.cwaDbPath, logger })
    : undefined;
  const isAuthRequired = createIsAuthRequired({
    countUsers: () => users.count(),
    hasCalibreWeb: calibreWeb !== undefined,
    listenHost: config.server.host,
  });
  const firstAdmin = await createFirstAdminIfNeeded({ users, isAuthRequired, hasCalibreWeb: calibreWeb !== undefined });
  // One address reading (TRUST_PROXY) and one set of password-guessing limits for Basic and the login form.
  const clientAddress = createClientAddress({ trustProxy: config.server.trustProxy });
  const loginGuard = createLoginGuard({ knownClients: createKnownClients({ db }) });
  const auth = createAuthMiddleware({
    users,
    tokens,
    sessions,
    calibreWeb,
    isAuthRequired,
    logger,
    loginGuard,
    getClientAddress: clientAddress,
  });

  const covers = createWebUiCovers({ config, hostGuard, ...(dns ? { lookup: dns.lookup } : {}), logger });
  const app = createApp({
    config,
    logger,
    store,
    runner,
    source,
    bus,
    auth,
    authRoutes: {
      users,
      tokens,
      sessions,
      pairing,
      loginGuard,
      clientAddress,
      isAuthRequired,
      authMode: () => (calibreWeb ? 'cwa' : isAuthRequired() ? 'builtin' : 'none'),
      logger,
    },
    clearance: {
      clearance,
      isKnownSite: (site) => source.allowedOrigins().some((origin) => siteOf(origin) === site),
      onStored: (site) => clearanceRequests.close(site),
    },
    relay: { relay, clearanceRequests },
    covers,
    health: { problems: () => disk.problems() },
    onDiskFull: (err) => disk.report(err),
    lists: { lists, service: listService, logger },
  });
  let relaySweep: NodeJS.Timeout | undefined;

  return {
    app,
    store,
    runner,
    bus,
    clearance,
    clearanceRequests,
    relay,
    disk,
    lists,
    listService,
    users,
    tokens,
    pairing,
    isAuthRequired,
    /** The first admin's generated password, when one was just created (print it once). */
    firstAdmin,
    /** Sweeps what a crash left behind, then starts the workers (items left `downloading` resume first). */
    async start(): Promise<void> {
      const live = store
        .list()
        .filter((item) => item.status === 'queued' || item.status === 'downloading')
        .map((item) => item.stagingPath ?? stagingPathFor(config.paths.stagingDir, item.id));
      const removed = await cleanLeftovers({
        ingestDir: config.paths.ingestDir,
        stagingDir: config.paths.stagingDir,
        liveStagingPaths: live,
      });
      if (removed.length > 0) logger.info('Removed files left by an interrupted run', { count: removed.length });
      runner.start();
      listPoller.start();
      relaySweep = setInterval(() => {
        relay.sweepExpired().catch((err) => logger.error('Could not expire relay jobs', { error: err }));
      }, 30_000);
      relaySweep.unref();
    },
    /** Stops workers (their items go back to the queue), the bypass browser, connections, and the database. */
    async close(): Promise<void> {
      clearInterval(relaySweep);
      listPoller.stop();
      await notifier.close();
      await listService.idle();
      await runner.stop();
      await bypass.close();
      await client.close();
      await covers.close();
      await dns?.close();
      db.close();
    },
  };
}

export type Companion = Awaited<ReturnType<typeof createCompanion>>;
