import { Hono } from 'hono';
import type { HealthResponse } from '../../shared/api.js';
import { APP_VERSION } from '../../shared/version.js';
import type { DiskProblem } from '../store/disk-space.js';

export interface HealthDeps {
  /** What keeps the service from working right now (a full disk); empty when all is well. */
  problems: () => DiskProblem[];
}

/**
 * Health needs no credentials (the Docker healthcheck and the extension's ping use it). A problem makes it
 * `degraded` but still 200: the process is up, and restarting it would not free the disk.
 */
export const healthRoutes = ({ problems }: HealthDeps = { problems: () => [] }) =>
  new Hono()
    // GET /api/health
    .get('/health', (c) => {
      const found = problems().map(({ code, message }) => ({ code, message }));
      return c.json<HealthResponse>(
        found.length > 0
          ? { status: 'degraded', version: APP_VERSION, problems: found }
          : { status: 'ok', version: APP_VERSION },
      );
    });
