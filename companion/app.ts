import path from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ApiError } from '../shared/errors.js';
import { APP_VERSION, IDENTITY_HEADER } from '../shared/version.js';
import type { Config } from './config.js';
import type { Covers } from './covers/covers.js';
import {
  ChallengeError,
  HostNotAllowedError,
  isCompanionError,
  UpstreamHttpError,
  UpstreamLayoutError,
  UpstreamNetworkError,
} from './errors.js';
import type { EventBus } from './events.js';
import type { Logger } from './logger.js';
import type { Runner } from './queue/runner.js';
import type { QueueStore } from './queue/store.js';
import { type AuthRouteDeps, privateAuthRoutes, publicAuthRoutes } from './routes/auth.js';
import { type ClearanceRouteDeps, clearanceRoutes } from './routes/clearance.js';
import { compatRoutes } from './routes/compat.js';
import { coversRoutes } from './routes/covers.js';
import { diagnosticsRoutes } from './routes/diagnostics.js';
import { downloadsRoutes } from './routes/downloads.js';
import { eventsRoutes } from './routes/events.js';
import { faviconRoutes } from './routes/favicon.js';
import { type HealthDeps, healthRoutes } from './routes/health.js';
import { createHostAllowList } from './routes/host-allow-list.js';
import { ApiHttpError } from './routes/http-error.js';
import { type ListRouteDeps, listsRoutes } from './routes/lists.js';
import { openapiRoutes } from './routes/openapi.js';
import { createOriginGuard } from './routes/origin-guard.js';
import { pingRoutes } from './routes/ping.js';
import { queueActionsRoutes } from './routes/queue-actions.js';
import { queueItemsRoutes } from './routes/queue-items.js';
import { type RelayRouteDeps, relayRoutes } from './routes/relay.js';
import { settingsRoutes } from './routes/settings.js';
import { uiRoutes } from './routes/ui.js';
import { usersRoutes } from './routes/users.js';
import type { Source } from './sources/source.js';
import { isDiskFull } from './store/disk-space.js';

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  store: QueueStore;
  runner: Runner;
  source: Source;
  bus: EventBus;
  /** Guards every route but health, login and pairing. */
  auth: MiddlewareHandler;
  authRoutes: AuthRouteDeps;
  clearance: ClearanceRouteDeps;
  relay: RelayRouteDeps;
  /** Covers for the web UI (filled from search results). */
  covers: Covers;
  health?: HealthDeps;
  lists: ListRouteDeps;
  /** Told of every write that found the disk full (a 507), so health says so as for a download that filled it. */
  onDiskFull?: (err: unknown) => void;
}

function toApiError(err: Error): { status: 400 | 403 | 404 | 500 | 502 | 503 | 507; body: ApiError } {
  if (err instanceof ApiHttpError) return { status: err.status as 400, body: { error: err.message, code: err.code } };
  if (err instanceof HTTPException) {
    return { status: err.status as 400, body: { error: err.message || 'Bad request', code: 'bad-request' } };
  }
  if (isDiskFull(err)) {
    return { status: 507, body: { error: 'The companion cannot store anything: its disk is full', code: 'disk-full' } };
  }
  if (isCompanionError(err, HostNotAllowedError))
    return { status: 403, body: { error: err.message, code: 'forbidden' } };
  if (isCompanionError(err, UpstreamLayoutError)) {
    return { status: 502, body: { error: err.message, code: 'upstream-unreachable' } };
  }
  if (
    isCompanionError(err, UpstreamNetworkError) ||
    isCompanionError(err, ChallengeError) ||
    isCompanionError(err, UpstreamHttpError)
  ) {
    return {
      status: 503,
      body: {
        error: "Unable to reach Anna's Archive. Network restricted or mirrors are blocked.",
        code: 'upstream-unreachable',
      },
    };
  }
  return { status: 500, body: { error: 'Internal server error', code: 'internal' } };
}

/** Builds the companion's HTTP app. Never listens: main.ts serves it, tests call `app.request()`. */
export function createApp(deps: AppDeps): Hono {
  // strict: false gives CWA-BD's trailing-slash variants (`/request/api/status/`).
  const app = new Hono({ strict: false });
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set(IDENTITY_HEADER, APP_VERSION);
  });

  // Before anything else reads the request: a rebound name (Host: evil.example) never reaches a route.
  app.use('*', createHostAllowList({ allowedHosts: deps.config.server.allowedHosts, logger: deps.logger }));
  app.use('*', createOriginGuard({ extensionOrigins: deps.config.server.extensionOrigins }));
  app.route('/', uiRoutes());
  // The built extensions (`npm run zip` → .output/, shipped in the image), linked from the web UI.
  app.route('/downloads', downloadsRoutes({ dir: path.resolve('.output') }));
  app.route('/', faviconRoutes());

  // CWA-BD serves every route under /api and /request/api; scripts and the old UI use both.
  for (const prefix of ['/api', '/request/api']) {
    app.route(prefix, healthRoutes(deps.health));
    app.route(prefix, publicAuthRoutes(deps.authRoutes));
    app.use(`${prefix}/*`, deps.auth);
    app.route(prefix, privateAuthRoutes(deps.authRoutes));
    app.route(prefix, pingRoutes({ config: deps.config, isAuthRequired: deps.authRoutes.isAuthRequired }));
    app.route(prefix, openapiRoutes());
    app.route(prefix, diagnosticsRoutes({ source: deps.source }));
    app.route(prefix, compatRoutes(deps));
    app.route(prefix, eventsRoutes(deps));
    app.route(prefix, relayRoutes(deps.relay));
    app.route(prefix, clearanceRoutes(deps.clearance));
    app.route(prefix, listsRoutes(deps.lists));
    app.route(prefix, queueItemsRoutes({ store: deps.store, statusTimeoutMs: deps.config.downloads.statusTimeoutMs }));
    // The web UI's own routes.
    app.route(prefix, queueActionsRoutes(deps));
    app.route(prefix, coversRoutes(deps));
    app.route(prefix, settingsRoutes(deps));
    app.route(prefix, usersRoutes({ ...deps.authRoutes }));
  }

  app.notFound((c) => c.json({ error: 'Resource not found', code: 'not-found' } satisfies ApiError, 404));
  app.onError((err, c) => {
    const { status, body } = toApiError(err);
    if (isCompanionError(err, UpstreamHttpError) && err.retryAfterMs !== undefined) {
      c.header('Retry-After', String(Math.ceil(err.retryAfterMs / 1000)));
    }
    if (status === 507) deps.onDiskFull?.(err);
    if (status >= 500) deps.logger.error('Request failed', { path: c.req.path, error: err });
    return c.json(body, status);
  });
  return app;
}
