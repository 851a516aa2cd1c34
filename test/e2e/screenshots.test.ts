import { mkdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpsSiteServer, startHttpsSiteServer } from '../helpers/https-site-server.js';
import {
  chromeBuildDir,
  connectExtension,
  type LaunchedExtension,
  launchExtension,
  repoRoot,
} from '../helpers/launch-extension.js';
import { startTestCompanion, type TestCompanion } from '../helpers/test-companion.js';
import type { WorldBook } from '../world/catalogue.js';
import { startWorld, type World } from '../world/start-world.js';

// The README's pictures of the extension: the popup with search results and the buttons on a Goodreads book page,
// taken from the built extension in Chromium against the test world, saved to docs/screenshots/.
const docs = path.join(repoRoot, 'docs/screenshots');
const GOODREADS = 'www.goodreads.com';
const GOODREADS_PATH = '/book/show/56821625-1984';
const GOODREADS_FIXTURE = path.join(
  repoRoot,
  'test/fixtures/real/book-sites/goodreads/neodb__book_show_56821625_1984_paperback_2025-02.html',
);

/** A non-trivial PNG whose header says `width` × `height` pixels or more. */
function expectPng(file: string, minWidth: number, minHeight: number): void {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect(bytes.readUInt32BE(16)).toBeGreaterThanOrEqual(minWidth);
  expect(bytes.readUInt32BE(20)).toBeGreaterThanOrEqual(minHeight);
  expect(statSync(file).size).toBeGreaterThan(2_000);
}

describe('README screenshots of the extension', () => {
  let world: World;
  let book: WorldBook;
  let companion: TestCompanion;
  let companionServer: ReturnType<typeof serve>;
  let sites: HttpsSiteServer;
  let launched: LaunchedExtension;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    book = world.addBook({
      title: '1984',
      author: 'George Orwell',
      isbn13: '9781847498571',
      format: 'epub',
      sizeBytes: 180_000,
    });
    companion = await startTestCompanion(world);
    companionServer = serve({ fetch: companion.companion.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => companionServer.once('listening', resolve));
    const companionUrl = `http://127.0.0.1:${(companionServer.address() as AddressInfo).port}`;
    sites = await startHttpsSiteServer([GOODREADS], ({ url }) =>
      url.pathname === '/favicon.ico' ? undefined : { body: readFileSync(GOODREADS_FIXTURE, 'utf8') },
    );
    launched = await launchExtension(chromeBuildDir, 15_000, {
      hostMap: { [GOODREADS]: sites.port },
      ignoreCertificateErrors: true,
    });
    await connectExtension(launched, companionUrl);
    mkdirSync(docs, { recursive: true });
  });

  afterAll(async () => {
    await launched?.close();
    await sites?.close();
    companionServer?.close();
    await companion?.close();
    await world?.close();
  });

  it('the popup: a search with covers, formats and Send to library', async () => {
    const page = await launched.browser.newPage();
    await page.setViewport({ width: 400, height: 600, deviceScaleFactor: 2 });
    await page.goto(`chrome-extension://${launched.extensionId}/popup.html`, { waitUntil: 'load' });
    await (await page.waitForSelector('::-p-aria(Title, author or ISBN)'))?.type('Moby-Dick');
    await page.keyboard.press('Enter');
    const card = await page.waitForSelector('::-p-aria([name="Moby-Dick; or, The Whale"][role="listitem"])');
    expect(await card?.waitForSelector('::-p-aria(Send to library)')).not.toBeNull();
    const file = path.join(docs, 'popup.png');
    await (await page.$('main'))?.screenshot({ path: file });
    expectPng(file, 600, 400);
    await page.close();
  });

  it('a Goodreads book page: Search and Send to library next to the title, then In library', async () => {
    const page = await launched.browser.newPage();
    await page.setViewport({ width: 1100, height: 800, deviceScaleFactor: 1 });
    await page.goto(`https://${GOODREADS}${GOODREADS_PATH}`, { waitUntil: 'domcontentloaded' });
    const send = await page.waitForSelector('::-p-aria(Send to library)', { timeout: 20_000 });
    await send?.click();
    await page.waitForSelector('::-p-aria(In library)', { timeout: 60_000 });
    expect(companion.companion.store.list().map((item) => item.id)).toContain(book.md5);
    await page.evaluate(() => document.querySelector('bookrelay-buttons')?.scrollIntoView({ block: 'center' }));
    const clip = await page.evaluate(() => {
      const host = document.querySelector('bookrelay-buttons');
      const title = host?.previousElementSibling;
      const boxes = [host, title].filter((e): e is Element => Boolean(e)).map((e) => e.getBoundingClientRect());
      const top = Math.min(...boxes.map((b) => b.top)) - 24;
      const bottom = Math.max(...boxes.map((b) => b.bottom)) + 24;
      return { x: 0, y: Math.max(0, top + window.scrollY), width: 900, height: Math.min(400, bottom - top) };
    });
    const file = path.join(docs, 'book-page-buttons.png');
    await page.screenshot({ path: file, clip });
    expectPng(file, 900, 60);
    await page.close();
  });
});
