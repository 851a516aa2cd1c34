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

// GET routes that change state (CWA-BD's `GET /api/download` queues a book); kept for CWA-BD clients.
const STATE_CHANGING_GET = /^\/(?:request\/)?api\/download\/?$/;

/**
 * Whether a state-changing GET was started by another site: a link, form or `<img>` on a page elsewhere, which the
 * browser would send with cached Basic credentials or in open mode. `Sec-Fetch-Site` tells (all current browsers
 * send it); a request without it is a script or CWA-BD client, and the extension proves itself by its protocol header
 * (a page cannot add one without a CORS preflight, which is refused) or its origin.
 */
export function isCrossSiteStateChange(
  { method, path, headers }: { method: string; path: string; headers: Headers },
  { extensionOrigins = [] }: { extensionOrigins?: readonly string[] } = {},
): boolean {
  if ((method !== 'GET' && method !== 'HEAD') || !STATE_CHANGING_GET.test(path)) return false;
  if (headers.get('sec-fetch-site') !== 'cross-site') return false;
  if (headers.get(PROTOCOL_HEADER) !== null) return false;
  const origin = headers.get('origin');
  return !(origin && EXTENSION_ORIGIN.test(origin) && isAllowedOrigin(origin, '', { extensionOrigins }));
}

/**
 * CORS for the extension only: preflights from extension origins are answered, any other browser `Origin` is
 * refused with 403 before a route runs (a web page must not drive the companion), and so is a state-changing GET
 * started by another site ({@link isCrossSiteStateChange}). Also answers 412 when a client
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
    if (
      isCrossSiteStateChange(
        { method: c.req.method, path: c.req.path, headers: c.req.raw.headers },
        { extensionOrigins },
      )
    ) {
      return c.json({ error: 'Refused a request started by another site', code: 'forbidden' } satisfies ApiError, 403);
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
