import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

describe('login limits behind a reverse proxy (TRUST_PROXY)', () => {
  let world: World;
  let t: TestCompanion;
  let server: ReturnType<typeof serve>;
  let base: string;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { start: false, env: { HOST: '0.0.0.0', TRUST_PROXY: '127.0.0.1' } });
    server = serve({ fetch: t.companion.app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
    await world.close();
  });

  const login = (client: string, password: string) =>
    fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify({ username: 'admin', password }),
    });

  it("one client's wrong passwords limit that client, not the owner behind the same proxy", async () => {
    for (let i = 0; i < 10; i++) expect((await login('198.51.100.1', `guess-${i}`)).status).toBe(401);
    const limited = await login('198.51.100.1', t.companion.firstAdmin?.password as string);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: 'rate-limited' });
    expect((await login('198.51.100.2', t.companion.firstAdmin?.password as string)).status).toBe(200);
    // Once they worked, the owner's credentials pass even from the limited client.
    expect((await login('198.51.100.1', t.companion.firstAdmin?.password as string)).status).toBe(200);
  });
});
