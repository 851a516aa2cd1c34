import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../companion/logger.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

describe('auth routes on a companion that listens beyond loopback', () => {
  let world: World;
  let t: TestCompanion;
  const logLines: string[] = [];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, {
      env: { HOST: '0.0.0.0' },
      start: false,
      logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    });
  });
  afterAll(async () => {
    await t.close();
    await world.close();
  });

  const call = (path: string, init: RequestInit = {}) => t.companion.app.request(path, init);
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('creates a first admin with a generated password and requires credentials', async () => {
    expect(t.companion.firstAdmin).toMatchObject({ name: 'admin' });
    expect(t.companion.firstAdmin?.password.length).toBeGreaterThanOrEqual(16);
    expect((await call('/api/status')).status).toBe(401);
    expect((await call('/api/health')).status).toBe(200);
  });

  it('login gives a session cookie; state changes need the CSRF token; logout ends it', async () => {
    const password = t.companion.firstAdmin?.password as string;
    const login = await postJson('/api/auth/login', { username: 'admin', password });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = setCookie.split(';')[0];

    expect((await call('/api/status', { headers: { cookie } })).status).toBe(200);
    expect(await (await call('/api/auth/check', { headers: { cookie } })).json()).toMatchObject({
      authenticated: true,
      auth_required: true,
      is_admin: true,
    });
    const clear = (headers: Record<string, string>) => call('/api/queue/clear', { method: 'DELETE', headers });
    expect((await clear({ cookie })).status).toBe(403);
    expect((await clear({ cookie, 'x-csrf-token': csrfToken })).status).toBe(200);

    await postJson('/api/auth/logout', {}, { cookie });
    expect((await call('/api/status', { headers: { cookie } })).status).toBe(401);
  });

  it('a signed-in user changes their password; other sessions end, the old password stops working', async () => {
    await t.companion.users.create({ name: 'changer', password: 'first password' });
    const login = async (password: string) => postJson('/api/auth/login', { username: 'changer', password });
    const first = await login('first password');
    const { csrfToken } = (await first.json()) as { csrfToken: string };
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
    const other = ((await login('first password')).headers.get('set-cookie') ?? '').split(';')[0];

    const wrong = await postJson(
      '/api/auth/password',
      { currentPassword: 'nope', newPassword: 'second password' },
      { cookie, 'x-csrf-token': csrfToken },
    );
    expect(wrong.status).toBe(400);
    const weak = await postJson(
      '/api/auth/password',
      { currentPassword: 'first password', newPassword: 'short' },
      { cookie, 'x-csrf-token': csrfToken },
    );
    expect(weak.status).toBe(400);
    const changed = await postJson(
      '/api/auth/password',
      { currentPassword: 'first password', newPassword: 'second password' },
      { cookie, 'x-csrf-token': csrfToken },
    );
    expect(changed.status).toBe(200);
    const renewed = (changed.headers.get('set-cookie') ?? '').split(';')[0];
    expect((await call('/api/status', { headers: { cookie: renewed } })).status).toBe(200);
    expect((await call('/api/status', { headers: { cookie: other } })).status).toBe(401);
    expect((await login('first password')).status).toBe(401);
    expect((await login('second password')).status).toBe(200);
  });

  it('one answer for an unknown user and a wrong password', async () => {
    const a = await postJson('/api/auth/login', { username: 'nobody', password: 'whatever1' });
    const b = await postJson('/api/auth/login', { username: 'admin', password: 'wrong-password' });
    expect(a.status).toBe(401);
    expect(await a.json()).toEqual(await b.json());
    expect((await postJson('/api/auth/login', { username: 'admin' })).status).toBe(400);
  });

  it('pairing: a one-time code becomes a device token that works until revoked', async () => {
    const admin = `Basic ${Buffer.from(`admin:${t.companion.firstAdmin?.password}`).toString('base64')}`;
    const codeRes = await call('/api/auth/pairing-codes', { method: 'POST', headers: { authorization: admin } });
    expect(codeRes.status).toBe(201);
    const { code } = (await codeRes.json()) as { code: string };
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);

    // Bad bodies are a 400 with the shared schema's rule, and do not use up the code.
    for (const body of [{ code }, { code, deviceName: '' }, { code: 'x'.repeat(33), deviceName: 'd' }, { code: 7 }]) {
      const refused = await postJson('/api/pair', body);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toMatch(/^Expected code .* and deviceName/);
    }
    const paired = await postJson('/api/pair', { code: code.toLowerCase(), deviceName: 'Firefox on laptop' });
    expect(paired.status).toBe(200);
    const { token, id } = (await paired.json()) as { token: string; id: number };
    expect((await call('/api/status', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await postJson('/api/pair', { code, deviceName: 'again' })).status).toBe(401);

    const list = (await (await call('/api/auth/tokens', { headers: { authorization: admin } })).json()) as {
      tokens: { id: number; kind: string; name: string }[];
    };
    expect(list.tokens).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, kind: 'device', name: 'Firefox on laptop' })]),
    );
    expect(JSON.stringify(list)).not.toContain(token);

    expect((await call(`/api/auth/tokens/${id}`, { method: 'DELETE', headers: { authorization: admin } })).status).toBe(
      200,
    );
    expect((await call('/api/status', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('named API tokens for scripts', async () => {
    const admin = `Basic ${Buffer.from(`admin:${t.companion.firstAdmin?.password}`).toString('base64')}`;
    const res = await postJson('/api/auth/tokens', { name: 'cron job' }, { authorization: admin });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    expect((await call('/request/api/queue/order', { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    expect((await postJson('/api/auth/tokens', { name: '' }, { authorization: admin })).status).toBe(400);
  });

  it('guessing pairing codes is rate-limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await postJson('/api/pair', { code: 'AAAA-AAAA', deviceName: 'x' })).status);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('logs no password, token or cookie value', () => {
    const text = logLines.join('\n');
    expect(text).not.toContain(t.companion.firstAdmin?.password as string);
    expect(text).not.toMatch(/brt_[A-Za-z0-9_-]{20,}/);
    expect(text).not.toMatch(/bookrelay_session=/);
  });
});
