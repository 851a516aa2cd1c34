import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

describe('token scopes: a paired device uses the library, never auth administration', () => {
  let world: World;
  let t: TestCompanion;
  let admin: string;
  let adminTokenId: number;
  let device: string;
  let deviceId: number;

  const call = (path: string, authorization: string, init: RequestInit = {}) =>
    t.companion.app.request(path, { ...init, headers: { authorization, 'content-type': 'application/json' } });
  const post = (path: string, authorization: string, body: unknown = {}) =>
    call(path, authorization, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { env: { HOST: '0.0.0.0' }, start: false });
    admin = `Basic ${Buffer.from(`admin:${t.companion.firstAdmin?.password}`).toString('base64')}`;
    const minted = await post('/api/auth/tokens', admin, { name: 'admin script' });
    expect(minted.status).toBe(201);
    adminTokenId = ((await minted.json()) as { id: number }).id;
    const { code } = (await (await post('/api/auth/pairing-codes', admin)).json()) as { code: string };
    const paired = (await (
      await t.companion.app.request('/api/pair', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, deviceName: 'Chrome on laptop' }),
      })
    ).json()) as { token: string; id: number };
    device = `Bearer ${paired.token}`;
    deviceId = paired.id;
  });
  afterAll(async () => {
    await t.close();
    await world.close();
  });

  it('the device token is refused every credential-management route with 403 and a JSON reason', async () => {
    const refused = [
      await post('/api/auth/tokens', device, { name: 'escalate' }),
      await call('/api/auth/tokens', device),
      await call(`/api/auth/tokens/${adminTokenId}`, device, { method: 'DELETE' }),
      await post('/api/auth/pairing-codes', device),
      await post('/request/api/auth/pairing-codes', device),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'forbidden', error: expect.stringMatching(/device/) });
    }
    expect(t.companion.tokens.list().map((token) => token.id)).toEqual([adminTokenId, deviceId]);
    expect(await (await call('/api/auth/check', device)).json()).toMatchObject({
      authenticated: true,
      is_admin: false,
    });
  });

  it('the device token still does what the extension needs', async () => {
    for (const path of ['/api/status', '/api/clearance', '/api/clearance/requests', '/api/jobs/relay', '/api/events']) {
      const res = await call(path, device);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      await res.body?.cancel();
    }
    const clearance = await post('/api/clearance', device, { site: 'nowhere.example', cookies: [], userAgent: 'x' });
    expect(clearance.status).toBe(400);
  });

  it('admins keep full rights; a non-admin user sees and revokes only their own tokens', async () => {
    const listed = (await (await call('/api/auth/tokens', admin)).json()) as {
      tokens: { id: number; scope: string }[];
    };
    expect(listed.tokens.map(({ id, scope }) => ({ id, scope }))).toEqual([
      { id: adminTokenId, scope: 'admin' },
      { id: deviceId, scope: 'device' },
    ]);
    await t.companion.users.create({ name: 'reader', password: 'reader password' });
    const reader = `Basic ${Buffer.from('reader:reader password').toString('base64')}`;
    const own = await post('/api/auth/tokens', reader, { name: 'reader script' });
    expect(own.status).toBe(201);
    const { id: ownId, token: ownToken } = (await own.json()) as { id: number; token: string };
    for (const who of [reader, `Bearer ${ownToken}`]) {
      const mine = (await (await call('/api/auth/tokens', who)).json()) as { tokens: { id: number; scope: string }[] };
      expect(mine.tokens.map(({ id, scope }) => ({ id, scope }))).toEqual([{ id: ownId, scope: 'user' }]);
      expect((await call(`/api/auth/tokens/${adminTokenId}`, who, { method: 'DELETE' })).status).toBe(404);
    }
    // A token minted with the reader's token belongs to the reader too, not to "no user" (which would be admin).
    const child = await post('/api/auth/tokens', `Bearer ${ownToken}`, { name: 'child' });
    const readerId = t.companion.users.list().find((user) => user.name === 'reader')?.id;
    expect(readerId).toEqual(expect.any(Number));
    expect(((await child.json()) as { userId: number | null }).userId).toBe(readerId);
    expect(await (await call('/api/auth/check', `Bearer ${ownToken}`)).json()).toMatchObject({ is_admin: false });
    expect((await call(`/api/auth/tokens/${ownId}`, reader, { method: 'DELETE' })).status).toBe(200);
  });

  it('token ids are strict decimals: 0x1, 1e0, 01 and +1 revoke nothing', async () => {
    for (const id of ['0x1', '1e0', '01', '+1', '1.0', ' 1']) {
      const res = await call(`/api/auth/tokens/${encodeURIComponent(id)}`, admin, { method: 'DELETE' });
      expect({ id, status: res.status }).toEqual({ id, status: 400 });
    }
    expect(t.companion.tokens.list().some((token) => token.id === adminTokenId)).toBe(true);
  });

  it('a device still revokes itself on Unpair', async () => {
    const res = await call('/api/auth/tokens/current', device, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect((await call('/api/status', device)).status).toBe(401);
  });
});
