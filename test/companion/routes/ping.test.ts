import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingResponse } from '../../../shared/api.js';
import { APP_VERSION, IDENTITY_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../shared/version.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

describe('GET /api/ping', () => {
  let world: World;
  let open: TestCompanion;
  let guarded: TestCompanion;
  const protocol = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    // Loopback with no users: the companion is open. A user on the second one turns auth on.
    open = await startTestCompanion(world, { start: false });
    guarded = await startTestCompanion(world, { start: false });
    await guarded.companion.users.create({ name: 'reader', password: 'a long enough password' });
  });
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
    await world?.close();
  });

  it('answers an open companion without credentials, with identity, protocol and defaults', async () => {
    const res = await open.companion.app.request('/api/ping', { headers: protocol });
    expect(res.status).toBe(200);
    expect(res.headers.get(IDENTITY_HEADER)).toBe(APP_VERSION);
    const body = pingResponse.parse(await res.json());
    expect(body).toMatchObject({
      app: 'bookrelay',
      version: APP_VERSION,
      protocol: PROTOCOL_VERSION,
      authRequired: false,
      authenticated: true,
    });
    expect(body.capabilities).toContain('pairing');
    // Watched shelves (issue 18): clients can tell a companion that has /api/lists.
    expect(body.capabilities).toContain('lists');
    expect(body.defaults.formats).toContain('epub');
  });

  it('is 401 without a token once auth is on, with the identity header and no Basic prompt for the extension', async () => {
    const res = await guarded.companion.app.request('/api/ping', { headers: protocol });
    expect(res.status).toBe(401);
    expect(res.headers.get(IDENTITY_HEADER)).toBe(APP_VERSION);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toEqual({ error: 'Unauthorized', code: 'unauthorized' });
  });

  it('is 401 with a wrong token and 200 with a paired device token', async () => {
    const wrong = await guarded.companion.app.request('/api/ping', {
      headers: { ...protocol, authorization: `Bearer brt_${'x'.repeat(43)}` },
    });
    expect(wrong.status).toBe(401);

    const { code } = guarded.companion.pairing.createCode({ userId: null });
    const paired = guarded.companion.pairing.redeem({ code, deviceName: 'Chrome on Linux', clientKey: 'test' });
    if (!paired.ok) throw new Error(`Expected pairing to succeed, got ${paired.error.detail}`);
    const res = await guarded.companion.app.request('/api/ping', {
      headers: { ...protocol, authorization: `Bearer ${paired.token}` },
    });
    expect(res.status).toBe(200);
    expect(pingResponse.parse(await res.json())).toMatchObject({ authRequired: true, authenticated: true });
  });

  it('answers another protocol version with 412 and says which one it speaks', async () => {
    const res = await open.companion.app.request('/api/ping', { headers: { [PROTOCOL_HEADER]: '999' } });
    expect(res.status).toBe(412);
    expect(res.headers.get(IDENTITY_HEADER)).toBe(APP_VERSION);
    expect(await res.json()).toMatchObject({
      code: 'protocol-mismatch',
      error: expect.stringContaining(String(PROTOCOL_VERSION)),
    });
  });
});

describe('DELETE /api/auth/tokens/current', () => {
  let world: World;
  let t: TestCompanion;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { start: false });
    await t.companion.users.create({ name: 'reader', password: 'a long enough password' });
  });
  afterAll(async () => {
    await t?.close();
    await world?.close();
  });

  it('revokes the calling device token and no other', async () => {
    const pair = (deviceName: string) => {
      const result = t.companion.pairing.redeem({
        code: t.companion.pairing.createCode().code,
        deviceName,
        clientKey: 'test',
      });
      if (!result.ok) throw new Error(`Expected pairing to succeed, got ${result.error.detail}`);
      return result;
    };
    const leaving = pair('Firefox on Windows');
    const staying = pair('Chrome on Linux');
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    const res = await t.companion.app.request('/api/auth/tokens/current', {
      method: 'DELETE',
      headers: bearer(leaving.token),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'revoked', id: leaving.info.id });
    expect((await t.companion.app.request('/api/ping', { headers: bearer(leaving.token) })).status).toBe(401);
    expect((await t.companion.app.request('/api/ping', { headers: bearer(staying.token) })).status).toBe(200);
    expect(t.companion.tokens.list().map((token) => token.name)).toEqual(['Chrome on Linux']);
  });

  it('is 401 without credentials and 400 for a user session rather than a device token', async () => {
    expect((await t.companion.app.request('/api/auth/tokens/current', { method: 'DELETE' })).status).toBe(401);
    const basic = `Basic ${Buffer.from('reader:a long enough password').toString('base64')}`;
    const res = await t.companion.app.request('http://127.0.0.1/api/auth/tokens/current', {
      method: 'DELETE',
      headers: { authorization: basic, origin: 'http://127.0.0.1' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: expect.stringContaining('bearer token') });
  });
});
