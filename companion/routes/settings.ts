import { statfs } from 'node:fs/promises';
import { Hono } from 'hono';
import type { DiskResponse, SettingsConfigResponse } from '../../shared/web-ui-api.js';
import type { AuthVariables } from '../auth/middleware.js';
import type { Config } from '../config.js';
import { maskConfig } from '../settings/mask-config.js';
import { requireAdmin } from './require-admin.js';

export interface SettingsDeps {
  config: Readonly<Config>;
}

/** The web UI's Settings: the effective configuration (read-only, secrets masked) and the ingest folder's free space. */
export const settingsRoutes = ({ config }: SettingsDeps) =>
  new Hono<{ Variables: AuthVariables }>()
    // GET /api/settings/config
    .get('/settings/config', (c) => {
      requireAdmin(c);
      return c.json({ entries: maskConfig(config) } satisfies SettingsConfigResponse);
    })
    // GET /api/settings/disk
    .get('/settings/disk', async (c) => {
      const path = config.paths.ingestDir;
      try {
        const stats = await statfs(path);
        return c.json({
          path,
          freeBytes: stats.bavail * stats.bsize,
          totalBytes: stats.blocks * stats.bsize,
        } satisfies DiskResponse);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
        return c.json({
          path,
          freeBytes: null,
          totalBytes: null,
          error: `Cannot read the folder (${code})`,
        } satisfies DiskResponse);
      }
    });
