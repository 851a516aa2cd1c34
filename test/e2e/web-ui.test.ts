import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedChromium, launchChromium } from '../helpers/launch-chromium.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';

async function listen(t: TestCompanion) {
  const server = serve({ fetch: t.companion.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the companion web UI in Chromium', () => {
  let world: World;
  let chromium: LaunchedChromium;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium.close();
    await world.close();
  });

  it('searches, queues and shows live progress; scraped text is never HTML', async () => {
    const t = await startTestCompanion(world);
    const { server, base } = await listen(t);
    const hostile = world.addBook({
      title: '<img src=x onerror="window.__pwned=1">Evil',
      format: 'epub',
      sizeBytes: 30_000,
    });
    const page = await chromium.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    try {
      await page.goto(`${base}/request`, { waitUntil: 'load' });
      await page.waitForSelector('#app:not([hidden])');
      await page.type('#query', hostile.title);
      await page.click('#search-form button');
      await page.waitForSelector('#results li.row');
      const firstTitle = await page.$eval('#results li.row strong', (node) => node.textContent);
      expect(firstTitle).toBe(hostile.title);
      expect(await page.$('#results img')).toBeNull();

      await page.click('#results li.row button');
      await waitFor(() => t.companion.store.get(hostile.md5)?.status === 'available', 'available');
      await page.waitForFunction(
        (title) =>
          [...document.querySelectorAll('#queue li')].some(
            (li) => li.textContent?.includes(title) && li.textContent.includes('available'),
          ),
        {},
        hostile.title,
      );
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.$eval('#sites', (node) => node.textContent)).toContain('No site has challenged');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      server.close();
      await t.close();
    }
  });

  it('shows the problem health reports (a full disk) as an alert', async () => {
    // Needing more free space than any disk has: the companion starts "full", as after a restart on a full disk.
    const t = await startTestCompanion(world, { tuning: { minFreeBytes: Number.MAX_SAFE_INTEGER } });
    const { server, base } = await listen(t);
    const page = await chromium.browser.newPage();
    try {
      await page.goto(`${base}/`, { waitUntil: 'load' });
      await page.waitForSelector('#health:not([hidden])');
      const alert = await page.$eval('[role="alert"]', (node) => node.textContent);
      expect(alert).toMatch(/^Disk full: DATA_DIR has .* free; downloads are paused/);
    } finally {
      await page.close();
      server.close();
      await t.close();
    }
  });

  it('asks for a login when auth is on, then shows the queue and a pairing code', async () => {
    const t = await startTestCompanion(world, { env: { HOST: '0.0.0.0' }, start: false });
    const { server, base } = await listen(t);
    const page = await chromium.browser.newPage();
    try {
      await page.goto(`${base}/`, { waitUntil: 'load' });
      await page.waitForSelector('#login:not([hidden])');
      await page.type('#username', 'admin');
      await page.type('#password', 'wrong password');
      await page.click('#login-form button');
      await page.waitForFunction(() => document.querySelector('#login-error')?.textContent?.includes('Invalid'));
      await page.$eval('#password', (input) => {
        (input as HTMLInputElement).value = '';
      });
      await page.type('#password', t.companion.firstAdmin?.password as string);
      await page.click('#login-form button');
      await page.waitForSelector('#app:not([hidden])');
      await page.click('#pair');
      await page.waitForFunction(() =>
        /^[A-Z2-9]{4}-[A-Z2-9]{4}/.test(document.querySelector('#pair-code')?.textContent ?? ''),
      );
      await page.type('#current-password', t.companion.firstAdmin?.password as string);
      await page.type('#new-password', 'a brand new password');
      await page.click('#password-form button');
      await page.waitForFunction(() => document.querySelector('#message')?.textContent?.includes('Password changed'));
      expect(await t.companion.users.verify('admin', 'a brand new password')).toBeTruthy();
    } finally {
      await page.close();
      server.close();
      await t.close();
    }
  });
});
