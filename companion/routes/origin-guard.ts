import type { MiddlewareHandler } from 'hono';
import { HIDDEN_BY_HEADER, HIDDEN_RESULTS_HEADER } from '../../shared/api.js';
import type { ApiError } from '../../shared/errors.js';
import { IDENTITY_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/version.js';

const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\/[a-z0-9-]{1,64}$/i;

/**
 * Whether a browser `Origin` may call the API: the companion's own pages, and the extension — any extension origin,
 * or only `extensionOrigins` when configured (EXTENSION_ORIGINS pins the installed extension's ids).
 */
export function isAllowedOrigin(
  origin: string,
  requestUrl: string,
  { extensionOrigins = [] }: { extensionOrigins?: readonly string[] } = {},
): boolean {
  if (EXTENSION_ORIGIN.test(origin))
    return extensionOrigins.length === 0 || extensionOrigins.includes(origin.toLowerCase());
  try {
    return new URL(requestUrl).origin === origin;
  } catch {
    return false;
  }
}

/**
 * CORS for the extension only: preflights from extension origins are answered, any other browser `Origin` is
 * refused with 403 before a route runs (a web page must not drive the companion). Also answers 412 when a client
 * speaks another protocol version.
 */
export function createOriginGuard({
  extensionOrigins = [],
}: {
  extensionOrigins?: readonly string[];
} = {}): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && !isAllowedOrigin(origin, c.req.url, { extensionOrigins })) {
      return c.json({ error: 'Origin not allowed', code: 'forbidden' } satisfies ApiError, 403);
    }
    if (origin) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Credentials', 'true');
      c.header('Access-Control-Expose-Headers', [IDENTITY_HEADER, HIDDEN_RESULTS_HEADER, HIDDEN_BY_HEADER].join(', '));
      c.header('Vary', 'Origin');
    }
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      c.header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
      c.header('Access-Control-Allow-Headers', `Authorization, Content-Type, ${PROTOCOL_HEADER}, X-CSRF-Token`);
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    const protocol = c.req.header(PROTOCOL_HEADER);
    if (protocol !== undefined && protocol !== String(PROTOCOL_VERSION)) {
      return c.json(
        {
          error: `Protocol ${protocol} is not supported; this companion speaks ${PROTOCOL_VERSION}`,
          code: 'protocol-mismatch',
        } satisfies ApiError,
        412,
      );
    }
    return next();
  };
}
