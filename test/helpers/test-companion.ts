import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../companion/config.js';
import { type Companion, createCompanion } from '../../companion/create-companion.js';
import { type Logger, silentLogger } from '../../companion/logger.js';
import { openDatabase } from '../../companion/store/open-database.js';
import type { World } from '../world/start-world.js';

export interface TestCompanion {
  companion: Companion;
  dataDir: string;
  ingestDir: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The environment that points a companion at the test world (only world mirrors; Chromium starts only if a gate challenges). */
export function worldEnv(world: World, root: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: path.join(root, 'data'),
    INGEST_DIR: path.join(root, 'ingest'),
    AA_BASE_URL: world.origins.aa,
    AA_ADDITIONAL_URLS: world.origins.aaMirrors.join(','),
    MAX_CONCURRENT_DOWNLOADS: '2',
    DEFAULT_SLEEP: '0',
    USE_CF_BYPASS: 'true',
    LOG_LEVEL: 'error',
    // The world runs on 127.0.0.1; pages link to its partner/libgen/z-lib servers, trusted like a LAN mirror.
    TRUSTED_ORIGINS: Object.values(world.origins).flat().join(','),
    ...extra,
  };
}

/** A real companion (same wiring as main.ts) on temp folders, pointed at the world; `start` runs its workers. */
export async function startTestCompanion(
  world: World,
  {
    env: extra = {},
    start = true,
    logger = silentLogger,
    tuning = {},
  }: {
    env?: Record<string, string>;
    start?: boolean;
    logger?: Logger;
    tuning?: NonNullable<Parameters<typeof createCompanion>[0]['tuning']>;
  } = {},
): Promise<TestCompanion> {
  const root = mkdtempSync(path.join(tmpdir(), 'bookrelay-companion-'));
  const env = worldEnv(world, root, extra);
  const config = loadConfig(env);
  const { mkdirSync } = await import('node:fs');
  for (const dir of [config.paths.dataDir, config.paths.ingestDir, config.paths.stagingDir])
    mkdirSync(dir, { recursive: true });
  const companion = await createCompanion({
    config,
    logger,
    db: openDatabase(config.paths.databaseFile),
    tuning: { pollIntervalMs: 100, retryBaseMs: 200, backoffMs: 50, leaseMs: 3000, ...tuning },
  });
  if (start) await companion.start();
  return {
    companion,
    dataDir: config.paths.dataDir,
    ingestDir: config.paths.ingestDir,
    env,
    async close() {
      await companion.close();
      rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs` with `what` in the message). */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
