import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Page, WebWorker } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedExtension, launchExtension } from '../helpers/launch-extension.js';
import { startTestCompanion, type TestCompanion } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';

declare const chrome: { storage: { local: { set(items: Record<string, unknown>): Promise<void> } } };

describe('the popup says what the default filters hid (built extension, real companion, test world)', () => {
  let world: World;
  let t: TestCompanion;
  let server: Server;
  let launched: LaunchedExtension;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    // A new user's defaults: SUPPORTED_FORMATS without pdf, BOOK_LANGUAGE=en.
    t = await startTestCompanion(world, { start: false });
    server = serve({ fetch: t.companion.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await new Promise((resolve) => server.once('listening', resolve));
    launched = await launchExtension();
    const worker = (await launched.serviceWorker.worker()) as WebWorker;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await worker.evaluate(
      (u) => chrome.storage.local.set({ connection: { url: u, token: null, deviceName: null, tokenId: null } }),
      url,
    );
  });
  afterAll(async () => {
    await launched?.close();
    await new Promise((resolve) => {
      server?.close(resolve);
      server?.closeAllConnections();
    });
    await t?.close();
    await world?.close();
  });

  it('"Frankenstein" (only a PDF): "1 result hidden by your format/language filters — Show them" shows it', async () => {
    const frankenstein = world.books.find((b) => b.title === 'Frankenstein');
    if (!frankenstein) throw new Error('Expected Frankenstein in the world');
    const page: Page = await launched.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    try {
      await page.goto(`chrome-extension://${launched.extensionId}/popup.html?q=Frankenstein`, { waitUntil: 'load' });
      const notice = await page.waitForSelector('.hidden-results', { timeout: 30_000 });
      expect(await notice?.evaluate((el) => el.textContent)).toBe(
        '1 result hidden by your format/language filters — Show them',
      );
      expect(await page.$(`::-p-aria([name="${frankenstein.title}"][role="listitem"])`)).toBeNull();
      await (await page.waitForSelector('::-p-aria(Show them)'))?.click();
      const card = await page.waitForSelector(`::-p-aria([name="${frankenstein.title}"][role="listitem"])`, {
        timeout: 30_000,
      });
      expect(await card?.evaluate((el) => el.textContent)).toContain('PDF');
      expect(await page.$('.hidden-results')).toBeNull();
      // The first search left the defaults to the companion; "Show them" lifted them.
      const searches = world.counters.records.filter((r) => r.origin === 'aa' && r.path === '/search');
      expect(searches.some((r) => !/(^|&)ext=/.test(r.query))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
