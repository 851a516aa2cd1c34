import { Hono } from 'hono';
import { CAPABILITIES, type PingResponse } from '../../shared/api.js';
import { APP_VERSION, PROTOCOL_VERSION } from '../../shared/version.js';
import type { AuthVariables } from '../auth/middleware.js';
import type { Config } from '../config.js';

export interface PingDeps {
  config: Pick<Readonly<Config>, 'downloads'>;
  isAuthRequired: () => boolean;
}

/**
 * The extension's connection test: who answers, the protocol it speaks, what it can do and the defaults the
 * extension's preferences start from. Mounted behind auth, so a missing or revoked token is a 401.
 */
export const pingRoutes = ({ config, isAuthRequired }: PingDeps) =>
  new Hono<{ Variables: AuthVariables }>()
    // GET /api/ping
    .get('/ping', (c) =>
      c.json({
        app: 'bookrelay',
        version: APP_VERSION,
        protocol: PROTOCOL_VERSION,
        capabilities: [...CAPABILITIES],
        authRequired: isAuthRequired(),
        authenticated: c.get('principal')?.kind !== 'anonymous' || !isAuthRequired(),
        defaults: { formats: config.downloads.supportedFormats, languages: config.downloads.bookLanguages },
      } satisfies PingResponse),
    );
