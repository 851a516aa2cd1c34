import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../companion/config.js';
import { createOriginGuard, isAllowedOrigin } from '../../../companion/routes/origin-guard.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../shared/version.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

const chrome = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const firefox = 'moz-extension://0b2f9c1e-1111-4c4c-9d9d-123456789abc';

describe('origin guard', () => {
  it('allows the companion’s own pages and extension origins, refuses web pages', () => {
    const url = 'http://127.0.0.1:8084/api/status';
    expect(isAllowedOrigin('http://127.0.0.1:8084', url)).toBe(true);
    expect(isAllowedOrigin(chrome, url)).toBe(true);
    expect(isAllowedOrigin(firefox, url)).toBe(true);
    for (const bad of ['https://evil.example', 'http://127.0.0.1:9999', 'null', 'chrome-extension://../x', 'file://']) {
      expect(isAllowedOrigin(bad, url), bad).toBe(false);
    }
  });

  it('with EXTENSION_ORIGINS only the listed extensions pass', async () => {
    const config = loadConfig({ EXTENSION_ORIGINS: `${chrome.toUpperCase()}/` });
    expect(config.server.extensionOrigins).toEqual([chrome]);
    const app = new Hono().use('*', createOriginGuard(config.server)).get('/x', (c) => c.text('ok'));
    expect((await app.request('/x', { headers: { origin: chrome } })).status).toBe(200);
    expect((await app.request('/x', { headers: { origin: firefox } })).status).toBe(403);
    expect(() => loadConfig({ EXTENSION_ORIGINS: 'https://evil.example' })).toThrow(/EXTENSION_ORIGINS/);
  });
});

describe('state-changing GET /api/download and cross-site navigations', () => {
  let world: World;
  let t: TestCompanion;
  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { start: false });
  });
  afterAll(async () => {
    await t.close();
    await world.close();
  });

  it('a link, form or <img> on another site cannot queue a book; CWA-BD clients and the extension can', async () => {
    const book = world.books[0] as { md5: string };
    const crossSite = [
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
    ];
    for (const prefix of ['/api', '/request/api']) {
      for (const headers of crossSite) {
        const res = await t.companion.app.request(`${prefix}/download/?id=${book.md5}`, { headers });
        expect(res.status).toBe(403);
        expect(await res.json()).toMatchObject({ code: 'forbidden' });
      }
    }
    expect(t.companion.store.get(book.md5)).toBeUndefined();
    // Status reads stay reachable; a same-origin page, a script (no header) and the extension may queue.
    expect((await t.companion.app.request('/api/status', { headers: crossSite[0] })).status).toBe(200);
    const allowed: Record<string, string>[] = [
      {},
      { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' },
      { 'sec-fetch-site': 'cross-site', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      { 'sec-fetch-site': 'cross-site', origin: chrome },
    ];
    for (const headers of allowed) {
      const res = await t.companion.app.request(`/api/download?id=${book.md5}`, { headers });
      expect({ headers, status: res.status }).toEqual({ headers, status: 200 });
    }
  });
});
