import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { pairRequest } from '../../shared/api.js';
import type { LoginGuard } from '../auth/login-guard.js';
import type { AuthVariables } from '../auth/middleware.js';
import type { Pairing } from '../auth/pairing.js';
import { authRightsOf } from '../auth/scopes.js';
import { isHttpsRequest, SESSION_COOKIE, type SessionStore, sessionCookieOptions } from '../auth/sessions.js';
import type { ApiToken, TokenStore } from '../auth/tokens.js';
import type { UserStore } from '../auth/users.js';
import type { Logger } from '../logger.js';
import { ApiHttpError } from './http-error.js';

export interface AuthRouteDeps {
  users: UserStore;
  tokens: TokenStore;
  sessions: SessionStore;
  pairing: Pairing;
  /** Password guessing limits, shared with HTTP Basic in the auth middleware. */
  loginGuard: LoginGuard;
  /** The client's address (the socket's peer, or X-Forwarded-For from a TRUST_PROXY proxy). */
  clientAddress: (c: Context) => string;
  isAuthRequired: () => boolean;
  authMode: () => 'none' | 'builtin' | 'cwa';
  logger: Logger;
}

type Env = { Variables: AuthVariables };

async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const body = await c.req.json<unknown>().catch(() => undefined);
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ApiHttpError(400, 'Expected a JSON object body');
  return body as Record<string, unknown>;
}

function readString(body: Record<string, unknown>, key: string, max = 200): string {
  const value = body[key];
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new ApiHttpError(400, `Expected ${key} to be a string of 1 to ${max} characters`);
  }
  return value;
}

/** Starts a web UI session: sets the HttpOnly cookie and returns the CSRF token the page must send back. */
function startSession(c: Context, sessions: SessionStore, userId: number): string {
  const session = sessions.create(userId);
  setCookie(
    c,
    SESSION_COOKIE,
    session.id,
    sessionCookieOptions({
      secure: isHttpsRequest(c.req.url, c.req.raw.headers),
      maxAgeMs: session.expiresAtMs - Date.now(),
    }),
  );
  return session.csrfToken;
}

/** The caller's user id, owner of tokens and codes made on their behalf (null: open mode, Calibre-Web, tokens of no user). */
function ownerIdOf(c: Context<Env>): number | null {
  const principal = c.get('principal');
  if (principal?.kind === 'user' || principal?.kind === 'token') return principal.userId;
  return null;
}

/** Refuses device tokens (403); the answer says what a device may do instead of a bare "forbidden". */
function requireRights(c: Context<Env>, users: AuthRouteDeps['users']): 'all' | 'own' {
  const rights = authRightsOf(c.get('principal'), users);
  if (rights === 'none') {
    throw new ApiHttpError(403, "A paired device's token cannot manage tokens, devices or pairing codes", 'forbidden');
  }
  return rights;
}

function scopeOf(token: ApiToken, users: AuthRouteDeps['users']): 'admin' | 'user' | 'device' {
  const rights = authRightsOf(
    { kind: 'token', tokenId: token.id, tokenName: token.name, tokenKind: token.kind, userId: token.userId },
    users,
  );
  return rights === 'all' ? 'admin' : rights === 'own' ? 'user' : 'device';
}

/** A token id in the path: strict decimal (`0x1`, `1e0`, ` 1` and `01` are not ids). */
function readTokenId(raw: string): number {
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw new ApiHttpError(400, 'Expected a token id (a positive whole number)');
  return Number(raw);
}

/** Routes that need no credentials: login, pairing redemption, the auth check. Mounted before the auth middleware. */
export const publicAuthRoutes = (deps: AuthRouteDeps) =>
  new Hono()
    // POST /api/auth/login
    .post('/auth/login', async (c) => {
      const body = await readJsonObject(c);
      const attempt = {
        address: deps.clientAddress(c),
        name: readString(body, 'username'),
        secret: readString(body, 'password', 1024),
      };
      const limit = deps.loginGuard.check(attempt);
      if (limit.limited) {
        c.header('Retry-After', String(Math.ceil(limit.retryAfterMs / 1000)));
        throw new ApiHttpError(429, 'Too many failed login attempts', 'rate-limited');
      }
      const user = await deps.users.verify(attempt.name, attempt.secret);
      if (user) deps.loginGuard.succeeded(attempt);
      if (!user) {
        deps.loginGuard.failed(attempt);
        // One message for an unknown user and a wrong password.
        throw new ApiHttpError(401, 'Invalid username or password', 'unauthorized');
      }
      const csrfToken = startSession(c, deps.sessions, user.id);
      return c.json({ success: true, csrfToken, user: { name: user.name, isAdmin: user.isAdmin } });
    })
    // POST /api/auth/logout
    .post('/auth/logout', (c) => {
      const id = getCookie(c, SESSION_COOKIE);
      if (id) deps.sessions.destroy(id);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ success: true });
    })
    // POST /api/pair  {code, deviceName} → a device token for the extension
    .post('/pair', async (c) => {
      // The same schema the extension's client sends by (shared/api.ts), so the two sides cannot drift.
      const parsed = pairRequest.safeParse(await readJsonObject(c));
      if (!parsed.success) {
        throw new ApiHttpError(400, 'Expected code (1 to 32 characters) and deviceName (1 to 100 characters)');
      }
      const result = deps.pairing.redeem({ ...parsed.data, clientKey: deps.clientAddress(c) });
      if (!result.ok) {
        if (result.error.kind === 'rate-limited') {
          c.header('Retry-After', String(Math.ceil(result.error.retryAfterMs / 1000)));
          throw new ApiHttpError(429, result.error.detail, 'rate-limited');
        }
        throw new ApiHttpError(result.error.kind === 'invalid-code' ? 401 : 400, result.error.detail, 'unauthorized');
      }
      deps.logger.info('Device paired', { device: result.info.name });
      return c.json({ token: result.token, id: result.info.id, name: result.info.name });
    });

/** Routes behind the auth middleware: who am I, API tokens, pairing codes. */
export const privateAuthRoutes = (deps: AuthRouteDeps) =>
  new Hono<Env>()
    // GET /api/auth/check
    .get('/auth/check', (c) => {
      const principal = c.get('principal');
      const sessionId =
        principal?.kind === 'user' && principal.via === 'session' ? getCookie(c, SESSION_COOKIE) : undefined;
      return c.json({
        authenticated: principal?.kind !== 'anonymous',
        auth_required: deps.isAuthRequired(),
        auth_mode: deps.authMode(),
        is_admin: authRightsOf(principal, deps.users) === 'all',
        // The web UI reloads without the login answer; it gets its CSRF token back here.
        ...(sessionId ? { csrfToken: deps.sessions.verify(sessionId)?.csrfToken } : {}),
      });
    })
    // GET /api/auth/tokens
    .get('/auth/tokens', (c) => {
      // `scope` (additive): what the token may do — `admin` everything, `user` its owner's own tokens, `device` the
      // library only (search, queue, status, clearance, relay), never credentials.
      const all = deps.tokens.list().map((token) => ({ ...token, scope: scopeOf(token, deps.users) }));
      if (requireRights(c, deps.users) === 'all') return c.json({ tokens: all });
      const owner = ownerIdOf(c);
      return c.json({ tokens: owner === null ? [] : all.filter((token) => token.userId === owner) });
    })
    // POST /api/auth/tokens  {name}
    .post('/auth/tokens', async (c) => {
      // A token of no user has every right, so only callers with every right may mint one for no user.
      if (requireRights(c, deps.users) === 'own' && ownerIdOf(c) === null) {
        throw new ApiHttpError(403, 'Only an admin or a Bookrelay user can create API tokens', 'forbidden');
      }
      const body = await readJsonObject(c);
      const created = deps.tokens.create({ name: readString(body, 'name', 100), kind: 'api', userId: ownerIdOf(c) });
      if (!created.ok) throw new ApiHttpError(400, created.error.detail);
      return c.json({ token: created.token, ...created.info }, 201);
    })
    // DELETE /api/auth/tokens/current (a paired device revoking its own token on Unpair; before `:id`)
    .delete('/auth/tokens/current', (c) => {
      const principal = c.get('principal');
      if (principal?.kind !== 'token') throw new ApiHttpError(400, 'Expected a request made with a bearer token');
      deps.tokens.revoke(principal.tokenId);
      // The device's name (as "Device paired" logs it), never the token itself.
      const device = principal.tokenName;
      deps.logger.info('Device unpaired', { device });
      return c.json({ status: 'revoked', id: principal.tokenId });
    })
    // DELETE /api/auth/tokens/:id
    .delete('/auth/tokens/:id', (c) => {
      const rights = requireRights(c, deps.users);
      const id = readTokenId(c.req.param('id'));
      const token = deps.tokens.list().find((candidate) => candidate.id === id);
      // Someone else's token looks the same as none at all to a caller who may only manage their own.
      if (!token || (rights === 'own' && (token.userId === null || token.userId !== ownerIdOf(c)))) {
        throw new ApiHttpError(404, 'Token not found');
      }
      if (!deps.tokens.revoke(id)) throw new ApiHttpError(404, 'Token not found');
      return c.json({ status: 'revoked', id });
    })
    // POST /api/auth/password  {currentPassword, newPassword} (own users; Calibre-Web users change it in Calibre-Web)
    .post('/auth/password', async (c) => {
      const principal = c.get('principal');
      if (principal?.kind !== 'user' || principal.source !== 'local' || principal.userId === null) {
        throw new ApiHttpError(400, 'Only a signed-in Bookrelay user can change their password here');
      }
      const body = await readJsonObject(c);
      const verified = await deps.users.verify(principal.name, readString(body, 'currentPassword', 1024));
      if (!verified) throw new ApiHttpError(400, 'The current password is wrong');
      const changed = await deps.users.setPassword(principal.userId, readString(body, 'newPassword', 1024));
      if (!changed.ok) throw new ApiHttpError(400, changed.error.detail);
      // Every other session of this user ends; this one starts over with a fresh cookie.
      deps.sessions.destroyForUser(principal.userId);
      if (principal.via === 'session') {
        return c.json({ status: 'changed', csrfToken: startSession(c, deps.sessions, principal.userId) });
      }
      return c.json({ status: 'changed' });
    })
    // POST /api/auth/pairing-codes → a one-time code to type into the extension
    .post('/auth/pairing-codes', (c) => {
      requireRights(c, deps.users);
      return c.json(deps.pairing.createCode({ userId: ownerIdOf(c) }), 201);
    });
