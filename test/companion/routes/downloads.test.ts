import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadsRoutes } from '../../../companion/routes/downloads.js';

// The route over a real folder laid out like `npm run zip` leaves .output/ (<name>-<version>-<browser>.zip).
describe('GET /downloads/bookrelay-{chrome,firefox}.zip', () => {
  let dir: string;
  let app: Hono;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bookrelay-downloads-'));
    app = new Hono().route('/downloads', downloadsRoutes({ dir }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers 404 JSON naming the fix while nothing is built', async () => {
    for (const name of ['bookrelay-chrome.zip', 'bookrelay-firefox.zip']) {
      const res = await app.request(`/downloads/${name}`);
      expect(res.status).toBe(404);
      const body = (await res.json()) as { error: string };
      expect(body.error).toMatch(/npm run zip/);
    }
  });

  it('serves the zip wxt wrote, as an attachment under the stable name', async () => {
    writeFileSync(path.join(dir, 'bookrelay-0.1.0-chrome.zip'), 'PK chrome bytes');
    writeFileSync(path.join(dir, 'bookrelay-0.1.0-firefox.zip'), 'PK firefox bytes');
    writeFileSync(path.join(dir, 'bookrelay-0.1.0-sources.zip'), 'PK sources');

    const chrome = await app.request('/downloads/bookrelay-chrome.zip');
    expect(chrome.status).toBe(200);
    expect(chrome.headers.get('content-type')).toBe('application/zip');
    expect(chrome.headers.get('content-disposition')).toBe('attachment; filename="bookrelay-chrome.zip"');
    expect(await chrome.text()).toBe('PK chrome bytes');

    const firefox = await app.request('/downloads/bookrelay-firefox.zip');
    expect(firefox.headers.get('content-length')).toBe(String('PK firefox bytes'.length));
    expect(await firefox.text()).toBe('PK firefox bytes');
  });

  it('picks the newest build when an older version is still in the folder', async () => {
    const old = path.join(dir, 'bookrelay-0.0.9-chrome.zip');
    writeFileSync(old, 'old');
    utimesSync(old, new Date('2026-01-01'), new Date('2026-01-01'));
    writeFileSync(path.join(dir, 'bookrelay-0.1.0-chrome.zip'), 'new');
    expect(await (await app.request('/downloads/bookrelay-chrome.zip')).text()).toBe('new');
  });

  it('serves nothing else from the folder (other names, traversal)', async () => {
    writeFileSync(path.join(dir, 'bookrelay-0.1.0-sources.zip'), 'PK sources');
    for (const url of [
      '/downloads/bookrelay-0.1.0-sources.zip',
      '/downloads/bookrelay-sources.zip',
      '/downloads/..%2Fpackage.json',
    ]) {
      const res = await app.request(url);
      expect(res.status, url).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBeTruthy();
    }
  });
});
