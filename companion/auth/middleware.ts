import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { ApiError } from '../../shared/errors.js';
import { PROTOCOL_HEADER } from '../../shared/version.js';
import type { Logger } from '../logger.js';
import type { CalibreWebAuth } from './calibre-web-db.js';
import { createClientAddress } from './client-address.js';
import { createLoginGuard, type LoginGuard } from './login-guard.js';
import type { RateLimitState } from './rate-limit.js';
import { checkCsrf, SESSION_COOKIE, type SessionStore } from './sessions.js';
import type { TokenKind, TokenStore } from './tokens.js';
import type { UserStore } from './users.js';

/** Who made the request, as the auth middleware established it (`c.get('principal')`). */
export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      via: 'basic' | 'session';
      source: 'local' | 'calibre-web';
      /** The companion user id; null for Calibre-Web accounts, which live in app.db. */
      userId: number | null;
      name: string;
      isAdmin: boolean;
    }
  | { kind: 'token'; tokenId: number; tokenName: string; tokenKind: TokenKind; userId: number | null };

/** Hono variables set by {@link createAuthMiddleware}: type routes with `new Hono<{ Variables: AuthVariables }>()`. */
export interface AuthVariables {
  principal: Principal;
}

export interface AuthMiddlewareDeps {
  users: UserStore;
  tokens: TokenStore;
  sessions: SessionStore;
  /** Calibre-Web's app.db, tried for HTTP Basic after the companion's own users (CWA_DB_PATH). */
  calibreWeb?: CalibreWebAuth;
  isAuthRequired: () => boolean;
  logger: Logger;
  /** Password guessing limits for HTTP Basic (shared with the login route). */
  loginGuard?: LoginGuard;
  /** The client's address for rate limiting and logs; defaults to the socket's peer (see TRUST_PROXY). */
  getClientAddress?: (c: Context) => string;
  now?: () => number;
}

export const AUTH_REALM = 'Basic realm="Bookrelay"';

/** Splits an HTTP Basic value (RFC 7617: base64 of `name:password`, UTF-8); undefined when malformed. */
export function parseBasicCredentials(value: string): { name: string; password: string } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Accepts HTTP Basic (own users, then Calibre-Web's app.db), `Authorization: Bearer <token>` or the session cookie,
 * and sets `principal`. Failures answer 401 `{"error":"Unauthorized"}`; password guessing is limited per address
 * and user, per user and in total (429, {@link LoginGuard}), while credentials that worked before always pass; a cookie or Basic request that fails the CSRF rule answers 403.
 */
export function createAuthMiddleware({
  users,
  tokens,
  sessions,
  calibreWeb,
  isAuthRequired,
  logger,
  loginGuard = createLoginGuard(),
  getClientAddress = createClientAddress(),
  now = Date.now,
}: AuthMiddlewareDeps): MiddlewareHandler<{ Variables: AuthVariables }> {
  function unauthorized(c: Context, { withChallenge }: { withChallenge: boolean }) {
    // The Basic challenge makes browsers prompt; clients that handle 401 themselves (the extension and web UI send
    // the protocol header, tokens use Bearer) are spared the prompt.
    if (withChallenge) c.header('WWW-Authenticate', AUTH_REALM);
    return c.json({ error: 'Unauthorized', code: 'unauthorized' } satisfies ApiError, 401);
  }

  // CWA-BD clients send Basic on every request; a scrypt check each time would cost ~50 ms of CPU per poll. A
  // verified header is remembered (as its sha256) for a minute, so a password change applies within that minute.
  const basicCache = new Map<string, { principal: Principal; expiresAtMs: number }>();
  const BASIC_CACHE_MS = 60_000;
  const BASIC_CACHE_MAX = 100;

  async function verifyBasic(
    value: string,
    address: string,
  ): Promise<{ principal?: Principal; name?: string; limited?: RateLimitState & { limited: true } }> {
    const key = createHash('sha256').update(value).digest('base64url');
    const cached = basicCache.get(key);
    if (cached && cached.expiresAtMs > now()) return { principal: cached.principal };
    basicCache.delete(key);
    const credentials = parseBasicCredentials(value) ?? { name: '', password: value };
    const attempt = { address, name: credentials.name, secret: credentials.password };
    const state = loginGuard.check(attempt);
    if (state.limited) return { name: credentials.name, limited: state };
    const result = await verifyBasicUncached(value);
    if (result.principal) loginGuard.succeeded(attempt);
    else loginGuard.failed(attempt);
    if (result.principal) {
      if (basicCache.size >= BASIC_CACHE_MAX) basicCache.delete(basicCache.keys().next().value as string);
      basicCache.set(key, { principal: result.principal, expiresAtMs: now() + BASIC_CACHE_MS });
    }
    return result;
  }

  async function verifyBasicUncached(value: string): Promise<{ principal?: Principal; name?: string }> {
    const credentials = parseBasicCredentials(value);
    if (!credentials) return {};
    const { name, password } = credentials;
    const local = await users.verify(name, password);
    if (local) {
      return {
        name,
        principal: {
          kind: 'user',
          via: 'basic',
          source: 'local',
          userId: local.id,
          name: local.name,
          isAdmin: local.isAdmin,
        },
      };
    }
    if (!calibreWeb) return { name };
    const result = await calibreWeb.verifyCalibreWebUser(name, password);
    if (result.ok) {
      const { user } = result;
      return {
        name,
        principal: {
          kind: 'user',
          via: 'basic',
          source: 'calibre-web',
          userId: null,
          name: user.name,
          isAdmin: user.isAdmin,
        },
      };
    }
    if (result.error.kind === 'unavailable')
      logger.warn('Calibre-Web login check failed', { reason: result.error.detail });
    return { name };
  }

  return async (c, next) => {
    // CORS preflights never carry credentials; they must reach the CORS handler (or 404) rather than a 401.
    const isPreflight = c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined;
    if (isPreflight || !isAuthRequired()) {
      c.set('principal', { kind: 'anonymous' });
      return next();
    }
    const withChallenge = !c.req.header(PROTOCOL_HEADER);
    const authorization = c.req.header('authorization')?.trim();
    const cookie = authorization ? undefined : getCookie(c, SESSION_COOKIE);
    if (!authorization && !cookie) return unauthorized(c, { withChallenge });

    const address = getClientAddress(c);
    const where = { address, method: c.req.method, path: c.req.path };
    const tooMany = (retryAfterMs: number) => {
      c.header('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
      return c.json({ error: 'Too many failed login attempts', code: 'rate-limited' } satisfies ApiError, 429);
    };

    let principal: Principal | undefined;
    let scheme: 'basic' | 'bearer' | 'session' | 'other';
    let csrfToken: string | undefined;
    let name: string | undefined;
    if (authorization) {
      const space = authorization.indexOf(' ');
      const schemeWord = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
      const value = space < 0 ? '' : authorization.slice(space + 1).trim();
      if (schemeWord === 'bearer') {
        scheme = 'bearer';
        const token = tokens.verify(value);
        if (token) {
          principal = {
            kind: 'token',
            tokenId: token.id,
            tokenName: token.name,
            tokenKind: token.kind,
            userId: token.userId,
          };
        }
      } else if (schemeWord === 'basic') {
        scheme = 'basic';
        const verified = await verifyBasic(value, address);
        ({ principal, name } = verified);
        if (verified.limited) {
          logger.warn('Authentication refused: too many failures', { scheme, user: name, ...where });
          return tooMany(verified.limited.retryAfterMs);
        }
      } else {
        scheme = 'other';
      }
    } else {
      scheme = 'session';
      const session = cookie ? sessions.verify(cookie) : undefined;
      if (session) {
        const { user } = session;
        csrfToken = session.csrfToken;
        principal = {
          kind: 'user',
          via: 'session',
          source: 'local',
          userId: user.id,
          name: user.name,
          isAdmin: user.isAdmin,
        };
      }
    }

    if (!principal) {
      if (scheme === 'session') {
        // A stale cookie (expired, logged out elsewhere) is not a guess: clear it instead of counting it.
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
      }
      logger.warn('Authentication failed', { scheme, ...(name !== undefined && { user: name }), ...where });
      // A wrong bearer token is always a plain 401, never a 429 and never a block of the address: tokens are 256-bit
      // random (nothing to guess), and a revoked device must keep hearing "pair again", not "slow down".
      return unauthorized(c, { withChallenge: withChallenge && scheme !== 'bearer' });
    }

    // Browsers attach cookies and cached Basic credentials on their own, so those two need the CSRF rule; a
    // bearer token is only ever sent by code that holds it.
    if (scheme === 'session' || scheme === 'basic') {
      const csrf = checkCsrf({ method: c.req.method, url: c.req.url, headers: c.req.raw.headers }, { csrfToken });
      if (!csrf.ok) {
        logger.warn('Refused a cross-site request', { scheme, reason: csrf.detail, ...where });
        return c.json({ error: 'Forbidden', code: 'forbidden' } satisfies ApiError, 403);
      }
    }
    if (principal.kind === 'user' && principal.source === 'calibre-web') {
      logger.debug('Calibre-Web user authenticated', { user: principal.name, ...where });
    }
    c.set('principal', principal);
    return next();
  };
}
