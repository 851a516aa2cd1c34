import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompanionClient } from '../../extension/lib/companion-client.js';
import { type CompanionError, isCompanionError } from '../../extension/lib/companion-error.js';
import { PROTOCOL_HEADER } from '../../shared/version.js';
import { startTestCompanion, type TestCompanion } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';

async function listen(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  await closed;
}

async function failure(promise: Promise<unknown>): Promise<CompanionError> {
  try {
    await promise;
  } catch (err) {
    if (isCompanionError(err)) return err;
    throw err;
  }
  throw new Error('Expected the call to fail, got an answer');
}

async function serveCompanion(t: TestCompanion): Promise<{ server: Server; url: string }> {
  const server = serve({ fetch: t.companion.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: await listen(server) };
}

describe('the extension companion client against a real companion', () => {
  let world: World;
  let open: TestCompanion;
  let guarded: TestCompanion;
  let openUrl: string;
  let guardedUrl: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    open = await startTestCompanion(world, { start: false });
    guarded = await startTestCompanion(world, { start: false });
    await guarded.companion.users.create({ name: 'reader', password: 'a long enough password' });
    const a = await serveCompanion(open);
    const b = await serveCompanion(guarded);
    servers.push(a.server, b.server);
    openUrl = a.url;
    guardedUrl = b.url;
  });
  afterAll(async () => {
    for (const server of servers) if (server.listening) await stop(server);
    await open?.close();
    await guarded?.close();
    await world?.close();
  });

  it('pings an open companion without a token', async () => {
    const ping = await createCompanionClient({ baseUrl: openUrl }).ping();
    expect(ping).toMatchObject({ app: 'bookrelay', authRequired: false, authenticated: true });
  });

  it('a companion with users refuses a client without a token (401 → unauthorized)', async () => {
    const err = await failure(createCompanionClient({ baseUrl: guardedUrl }).ping());
    expect(err).toMatchObject({ reason: 'unauthorized', status: 401 });
  });

  it('pairs with a one-time code; the token pings; the device can revoke its own token', async () => {
    const { code } = guarded.companion.pairing.createCode();
    const paired = await createCompanionClient({ baseUrl: `${guardedUrl}/` }).pair({
      code: code.toLowerCase(),
      deviceName: 'Firefox on Windows',
    });
    expect(paired).toMatchObject({ name: 'Firefox on Windows', token: expect.stringMatching(/^brt_/) });

    const client = createCompanionClient({ baseUrl: guardedUrl, token: paired.token });
    expect(await client.ping()).toMatchObject({ authRequired: true, authenticated: true });

    await client.send('/api/auth/tokens/current', { method: 'DELETE' });
    const err = await failure(client.ping());
    expect(err.reason).toBe('unauthorized');
    expect(err.message).not.toContain(paired.token);
  });

  it('a used or wrong code is refused with the companion’s own message', async () => {
    const err = await failure(
      createCompanionClient({ baseUrl: guardedUrl }).pair({ code: 'ZZZZ-ZZZZ', deviceName: 'Chrome on Linux' }),
    );
    expect(err).toMatchObject({ reason: 'unauthorized', status: 401 });
    expect(err.message).not.toBe('The companion answered 401');
  });

  it('a client that speaks another protocol version gets protocol-mismatch (412) from the companion', async () => {
    const client = createCompanionClient({
      baseUrl: openUrl,
      // A newer extension: the same real fetch, with a different protocol header.
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set(PROTOCOL_HEADER, '99');
        return fetch(input, { ...init, headers });
      },
    });
    const err = await failure(client.ping());
    expect(err).toMatchObject({ reason: 'protocol-mismatch', status: 412 });
    expect(err.message).toContain('speaks 1');
  });

  it('something else on the port is not-bookrelay, even when it answers 200', async () => {
    const other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"app":"bookrelay"}');
    });
    servers.push(other);
    const err = await failure(createCompanionClient({ baseUrl: await listen(other) }).ping());
    expect(err.reason).toBe('not-bookrelay');
  });

  it('a stopped companion is unreachable (named by the injected classifier), with no token in the message', async () => {
    const t = await startTestCompanion(world, { start: false });
    const { server, url } = await serveCompanion(t);
    await stop(server);
    await t.close();
    const token = `brt_${'s'.repeat(43)}`;
    const seen: URL[] = [];
    const err = await failure(
      createCompanionClient({
        baseUrl: url,
        token,
        classifyNetworkError: (_err, where) => {
          seen.push(where);
          return 'unreachable';
        },
      }).ping(),
    );
    expect(err.reason).toBe('unreachable');
    expect(seen.map((where) => where.pathname)).toEqual(['/api/ping']);
    expect(err.message).toContain(url);
    expect(err.message).not.toContain(token);
  });

  it('a companion that does not answer in time is a timeout', async () => {
    const silent = createServer(() => {});
    servers.push(silent);
    const err = await failure(createCompanionClient({ baseUrl: await listen(silent), timeoutMs: 300 }).ping());
    expect(err.reason).toBe('timeout');
  });
});
