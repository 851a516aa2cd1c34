import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../companion/config.js';
import { isAllowedHost } from '../../../companion/routes/host-allow-list.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

/** One raw HTTP/1.1 request with the Host header a rebound browser page would send. */
function rawRequest(
  port: number,
  { method = 'GET', path, host, body }: { method?: string; path: string; host: string; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { host, ...(body !== undefined && { 'content-type': 'application/json' }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('Host allow-list (DNS rebinding)', () => {
  it('allows loopback, IP literals, LAN names and the machine name; refuses public names not listed', () => {
    const options = { machineName: 'bookbox' };
    for (const host of [
      'localhost',
      '127.0.0.1',
      '[::1]',
      '192.168.1.10',
      '[fd00::10]',
      'nas',
      'nas.local',
      'nas.lan',
      'nas.home.arpa',
      'bookbox',
      'app.localhost',
    ]) {
      expect(isAllowedHost(host, options), host).toBe(true);
    }
    for (const host of ['evil.example', '127.0.0.1.nip.io', 'localhost.evil.example', '', '[not-ip]']) {
      expect(isAllowedHost(host, options), host).toBe(false);
    }
    const allowedHosts = loadConfig({ ALLOWED_HOSTS: 'Books.Example.com:443, .home.example, https://cwa.example.org/' })
      .server.allowedHosts;
    expect(allowedHosts).toEqual(['books.example.com', '.home.example', 'cwa.example.org']);
    for (const host of ['books.example.com', 'a.home.example', 'home.example', 'cwa.example.org']) {
      expect(isAllowedHost(host, { ...options, allowedHosts }), host).toBe(true);
    }
    expect(isAllowedHost('evilhome.example', { ...options, allowedHosts })).toBe(false);
    expect(isAllowedHost('evil.example', { ...options, allowedHosts: ['*'] })).toBe(true);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'bad host!' })).toThrow(/ALLOWED_HOSTS/);
  });

  describe('on a listening companion in open (loopback) mode', () => {
    let world: World;
    let t: TestCompanion;
    let server: ReturnType<typeof serve>;
    let port: number;

    beforeAll(async () => {
      world = await startWorld({ countdownSeconds: 0 });
      t = await startTestCompanion(world, { start: false, env: { ALLOWED_HOSTS: 'books.example.com' } });
      server = serve({ fetch: t.companion.app.fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise((resolve) => server.once('listening', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await t.close();
      await world.close();
    });

    it('a page rebound to 127.0.0.1 can neither mint nor list tokens nor clear the queue', async () => {
      const host = `evil.example:${port}`;
      const mint = await rawRequest(port, { method: 'POST', path: '/api/auth/tokens', host, body: '{"name":"x"}' });
      expect(mint.status).toBe(421);
      expect(JSON.parse(mint.body)).toMatchObject({
        code: 'forbidden',
        error: expect.stringContaining('ALLOWED_HOSTS'),
      });
      expect((await rawRequest(port, { path: '/api/auth/tokens', host })).status).toBe(421);
      expect((await rawRequest(port, { method: 'DELETE', path: '/api/queue/clear', host })).status).toBe(421);
      expect((await rawRequest(port, { path: '/request/api/status', host })).status).toBe(421);
      expect(t.companion.tokens.list()).toEqual([]);
    });

    it('its own names keep working', async () => {
      for (const host of [
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        `[::1]:${port}`,
        'books.example.com',
        'nas.local:8084',
      ]) {
        const res = await rawRequest(port, { path: '/api/status', host });
        expect({ host, status: res.status }).toEqual({ host, status: 200 });
      }
    });
  });
});
