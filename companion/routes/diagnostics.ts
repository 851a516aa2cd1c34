import { Hono } from 'hono';
import type { MirrorDiagnosticsResponse } from '../../shared/api.js';
import type { Source } from '../sources/source.js';

/** Read-only diagnostics for the web UI: which mirrors answer, which are parked, each one's search path. */
export const diagnosticsRoutes = ({ source }: { source: Source }) =>
  new Hono()
    // GET /api/diagnostics/mirrors
    .get('/diagnostics/mirrors', (c) => {
      const body: MirrorDiagnosticsResponse = { mirrors: source.mirrorStatus?.() ?? [] };
      c.header('Cache-Control', 'no-store');
      return c.json(body);
    });
