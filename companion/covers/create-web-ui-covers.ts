import type { LookupFunction } from 'node:net';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createHttpClient } from '../net/create-http-client.js';
import type { HostGuard } from '../net/host-guard.js';
import { createCoverCache } from './cover-cache.js';
import { createCoverRegistry } from './cover-registry.js';
import { type Covers, createCovers } from './covers.js';
import { publicHostGuard } from './public-host-guard.js';

/** The covers disk cache is capped at 50 MB (a few thousand covers). */
export const COVER_CACHE_MAX_BYTES = 50 * 1024 * 1024;

/** Wires covers for the web UI: registry, disk cache under DATA_DIR/covers, and a client behind the host guard. */
export function createWebUiCovers({
  config,
  hostGuard,
  lookup,
  logger,
}: {
  config: Readonly<Config>;
  hostGuard: HostGuard;
  lookup?: LookupFunction;
  logger: Logger;
}): Covers {
  return createCovers({
    registry: createCoverRegistry(),
    cache: createCoverCache({ dir: path.join(config.paths.dataDir, 'covers'), maxBytes: COVER_CACHE_MAX_BYTES }),
    client: createHttpClient({
      hostGuard: publicHostGuard(hostGuard),
      proxy: config.net,
      ...(lookup ? { lookup } : {}),
      connectTimeoutMs: 5000,
      logger,
    }),
    logger,
  });
}
