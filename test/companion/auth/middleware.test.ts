import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCalibreWebAuth } from '../../../companion/auth/calibre-web-db.js';
import { createLoginGuard } from '../../../companion/auth/login-guard.js';
import { type AuthVariables, createAuthMiddleware } from '../../../companion/auth/middleware.js';
import { createRateLimiter } from '../../../companion/auth/rate-limit.js';
import {
  CSRF_HEADER,
  createSessionStore,
  SESSION_COOKIE,
  type SessionStore,
} from '../../../companion/auth/sessions.js';
import { createTokenStore, type TokenStore } from '../../../companion/auth/tokens.js';
import { createUserStore, type UserStore } from '../../../companion/auth/users.js';
import { PROTOCOL_HEADER } from '../../../shared/version.js';
import { createCapturingLogger, openAuthDb } from './open-auth-db.js';

// Written by Werkzeug 3.1.8: generate_password_hash('hunter2', method='pbkdf2:sha256:260000', salt_length=16).
const HUNTER2_PBKDF2 =
  'pbkdf2:sha256:260000$KlNfIwqpxBUrhkPz$63b3ec8bbbf62921069f049684711037d983373a5a4f2dd891d1fe0900cb47f5';

const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

interface World {
  users: UserStore;
  tokens: TokenStore;
  sessions: SessionStore;
  lines: string[];
  app: Hono<{ Variables: AuthVariables }>;
}

function buildWorld({ required = true, appDbPath }: { required?: boolean; appDbPath?: string } = {}): World {
  const db = openAuthDb();
  const users = createUserStore({ db });
  const tokens = createTokenStore({ db });
  const sessions = createSessionStore({ db });
  const { lines, logger } = createCapturingLogger();
  const app = new Hono<{ Variables: AuthVariables }>();
  app.use(
    '/api/*',
    createAuthMiddleware({
      users,
      tokens,
      sessions,
      calibreWeb: appDbPath ? createCalibreWebAuth({ dbPath: appDbPath, logger }) : undefined,
      isAuthRequired: () => required,
      logger,
    }),
  );
  app.get('/api/whoami', (c) => c.json(c.get('principal')));
  app.post('/api/download', (c) => c.json({ queued: true, by: c.get('principal').kind }));
  return { users, tokens, sessions, lines, app };
}

describe('createAuthMiddleware', () => {
  let dir: string;
  let appDbPath: string;
  let world: World;
  let alicePassword: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bookrelay-auth-mw-'));
    appDbPath = path.join(dir, 'app.db');
    const db = new Database(appDbPath);
    db.exec(
      'CREATE TABLE user (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(64) UNIQUE, role SMALLINT, password VARCHAR)',
    );
    db.prepare('INSERT INTO user (name, role, password) VALUES (?, ?, ?)').run('cwreader', 2, HUNTER2_PBKDF2);
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    world = buildWorld({ appDbPath });
    alicePassword = 'correct horse battery';
    await world.users.create({ name: 'alice', password: alicePassword, isAdmin: true });
  });

  it('lets everything through as anonymous when auth is not required', async () => {
    const open = buildWorld({ required: false });
    const res = await open.app.request('/api/whoami');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ kind: 'anonymous' });
  });

  it('lets CORS preflights through (they never carry credentials)', async () => {
    world.app.options('/api/download', (c) => c.body(null, 204));
    const res = await world.app.request('/api/download', {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
        'access-control-request-method': 'POST',
      },
    });
    expect(res.status).toBe(204);
    const notPreflight = await world.app.request('/api/download', { method: 'OPTIONS' });
    expect(notPreflight.status).toBe(401);
  });

  it('answers 401 with the Basic challenge when no credentials are sent', async () => {
    const res = await world.app.request('/api/whoami');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Unauthorized', code: 'unauthorized' });
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="Bookrelay"');
  });

  it('leaves out the challenge for clients that speak the protocol (no browser prompt)', async () => {
    const res = await world.app.request('/api/whoami', { headers: { [PROTOCOL_HEADER]: '1' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  it('accepts HTTP Basic for a companion user', async () => {
    const res = await world.app.request('/api/whoami', { headers: { authorization: basic('alice', alicePassword) } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      kind: 'user',
      via: 'basic',
      source: 'local',
      name: 'alice',
      isAdmin: true,
    });
  });

  it('falls back to Calibre-Web app.db for HTTP Basic (CWA-BD clients)', async () => {
    const res = await world.app.request('/api/whoami', { headers: { authorization: basic('CWReader', 'hunter2') } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      kind: 'user',
      via: 'basic',
      source: 'calibre-web',
      userId: null,
      name: 'cwreader',
      isAdmin: false,
    });
  });

  it('refuses wrong Basic credentials and never logs the password', async () => {
    for (const [name, password] of [
      ['alice', 'Wrong-Secret-1'],
      ['cwreader', 'Wrong-Secret-2'],
      ['nobody', 'Wrong-Secret-3'],
    ] as const) {
      const res = await world.app.request('/api/whoami', { headers: { authorization: basic(name, password) } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Bookrelay"');
    }
    const log = world.lines.join('\n');
    expect(world.lines.filter((l) => l.includes('Authentication failed'))).toHaveLength(3);
    expect(log).toContain('"user":"nobody"');
    expect(log).not.toMatch(/Wrong-Secret|V3Jvbmc/);
  });

  it.each(['Basic', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Digest abc', 'Bearer'])(
    'answers 401 for the malformed header %j',
    async (authorization) => {
      const res = await world.app.request('/api/whoami', { headers: { authorization } });
      expect(res.status).toBe(401);
    },
  );

  it('accepts a bearer token, refuses a revoked or wrong one, and never logs it', async () => {
    const created = world.tokens.create({ name: 'script', kind: 'api' });
    if (!created.ok) throw new Error('setup');
    const ok = await world.app.request('/api/whoami', { headers: { authorization: `Bearer ${created.token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      kind: 'token',
      tokenId: created.info.id,
      tokenName: 'script',
      tokenKind: 'api',
      userId: null,
    });
    world.tokens.revoke(created.info.id);
    const revoked = await world.app.request('/api/whoami', { headers: { authorization: `Bearer ${created.token}` } });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toBeNull();
    expect(world.lines.join('\n')).not.toContain(created.token.slice(4));
  });

  it('needs no CSRF proof for a bearer token (browsers never attach it on their own)', async () => {
    const created = world.tokens.create({ name: 'ext', kind: 'device' });
    if (!created.ok) throw new Error('setup');
    const res = await world.app.request('/api/download', {
      method: 'POST',
      headers: { authorization: `Bearer ${created.token}`, origin: 'chrome-extension://abcdefghijklmnop' },
    });
    expect(res.status).toBe(200);
  });

  describe('session cookie', () => {
    let cookie: string;
    let csrfToken: string;
    beforeEach(() => {
      const alice = world.users.list()[0];
      if (!alice) throw new Error('setup');
      const session = world.sessions.create(alice.id);
      cookie = `${SESSION_COOKIE}=${session.id}`;
      csrfToken = session.csrfToken;
    });

    it('authenticates reads', async () => {
      const res = await world.app.request('/api/whoami', { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ kind: 'user', via: 'session', name: 'alice' });
    });

    it('refuses a state-changing request without the CSRF header or a same-origin Origin', async () => {
      const bare = await world.app.request('/api/download', { method: 'POST', headers: { cookie } });
      expect(bare.status).toBe(403);
      expect(await bare.json()).toEqual({ error: 'Forbidden', code: 'forbidden' });
      const foreign = await world.app.request('/api/download', {
        method: 'POST',
        headers: { cookie, origin: 'http://evil.example' },
      });
      expect(foreign.status).toBe(403);
    });

    it('accepts it with the CSRF header or from the same origin', async () => {
      const withHeader = await world.app.request('/api/download', {
        method: 'POST',
        headers: { cookie, [CSRF_HEADER]: csrfToken },
      });
      expect(withHeader.status).toBe(200);
      const sameOrigin = await world.app.request('http://localhost/api/download', {
        method: 'POST',
        headers: { cookie, origin: 'http://localhost' },
      });
      expect(sameOrigin.status).toBe(200);
    });

    it('clears a stale cookie and answers 401', async () => {
      world.sessions.destroyForUser(world.users.list()[0]?.id ?? -1);
      const res = await world.app.request('/api/whoami', { headers: { cookie } });
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=; Max-Age=0`));
      expect(world.lines.join('\n')).toContain('"scheme":"session"');
      expect(world.lines.join('\n')).not.toContain(cookie.split('=')[1]);
    });
  });

  it('applies the CSRF rule to Basic: a foreign page cannot reuse cached credentials, a script can', async () => {
    const authorization = basic('alice', alicePassword);
    const fromPage = await world.app.request('/api/download', {
      method: 'POST',
      headers: { authorization, origin: 'http://evil.example' },
    });
    expect(fromPage.status).toBe(403);
    const embedded = await world.app.request('/api/whoami', {
      headers: { authorization, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
    });
    expect(embedded.status).toBe(403);
    const fromScript = await world.app.request('/api/download', { method: 'POST', headers: { authorization } });
    expect(fromScript.status).toBe(200);
  });
});

describe('createAuthMiddleware over a real socket', () => {
  let at = 1_700_000_000_000;
  const now = () => at;
  let server: ReturnType<typeof serve>;
  let base: string;
  let users: UserStore;
  let tokens: TokenStore;
  let lines: string[];

  beforeAll(async () => {
    const db = openAuthDb();
    users = createUserStore({ db });
    tokens = createTokenStore({ db });
    await users.create({ name: 'alice', password: 'correct horse battery' });
    await users.create({ name: 'bob', password: 'bob battery staple' });
    const captured = createCapturingLogger();
    lines = captured.lines;
    const app = new Hono<{ Variables: AuthVariables }>();
    app.use(
      '/api/*',
      createAuthMiddleware({
        users,
        tokens,
        sessions: createSessionStore({ db }),
        isAuthRequired: () => true,
        logger: captured.logger,
        loginGuard: createLoginGuard({
          now,
          perAddressUser: createRateLimiter({ limit: 3, windowMs: 60_000, now }),
        }),
        now,
      }),
    );
    app.get('/api/whoami', (c) => c.json(c.get('principal')));
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  const get = (authorization: string) => fetch(`${base}/api/whoami`, { headers: { authorization } });

  it('wrong bearer tokens never block a valid token or Basic from the same address, and stay 401', async () => {
    const created = tokens.create({ name: 'script', kind: 'api' });
    if (!created.ok) throw new Error('setup');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await get(`Bearer brt_${'x'.repeat(43)}`)).status);
    // Always 401 (a revoked device must hear "pair again"); tokens are 256-bit random, there is nothing to guess.
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect((await get(`Bearer ${created.token}`)).status).toBe(200);
    expect((await get(basic('bob', 'bob battery staple'))).status).toBe(200);
  });

  it('password guesses are limited per address and user; credentials that worked before still pass', async () => {
    expect((await get(basic('alice', 'correct horse battery'))).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await get(basic('alice', 'nope'))).status).toBe(401);
    const limited = await get(basic('alice', 'another guess'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(await limited.json()).toMatchObject({ code: 'rate-limited' });
    expect(lines.join('\n')).toContain('"address":"127.0.0.1"');
    // The owner's client (its credentials verified before) keeps working; a guess at another name is not blocked.
    at += 61_000; // past the minute the verified header is cached, so it is checked again
    expect((await get(basic('alice', 'nope'))).status).toBe(401);
    expect((await get(basic('alice', 'correct horse battery'))).status).toBe(200);
    expect((await get(basic('bob', 'wrong'))).status).toBe(401);
    at += 60_000;
    expect((await get(basic('alice', 'nope'))).status).toBe(401);
  });
});
