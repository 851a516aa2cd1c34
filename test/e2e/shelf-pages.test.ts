import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpsSiteServer, startHttpsSiteServer } from '../helpers/https-site-server.js';
import {
  chromeBuildDir,
  connectExtension,
  type LaunchedExtension,
  launchExtension,
} from '../helpers/launch-extension.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../helpers/test-companion.js';
import type { WorldBook } from '../world/catalogue.js';
import {
  answerShelfRequest,
  type ShelfSites,
  type ShelfState,
  shelfEnv,
  startShelfSites,
} from '../world/shelf-sites.js';
import { startWorld, type World } from '../world/start-world.js';

const HOSTS = ['www.goodreads.com', 'app.thestorygraph.com', 'hardcover.app'];
// Hardcover has no capture: a hand-written Want to Read page in the shape the reader assumes (test/fixtures/synthetic/shelves/README.md).
const HARDCOVER_PAGE =
  '<html><body><main><h1>Want to Read</h1><ul><li><a href="/books/piranesi">Piranesi</a> by <a href="/authors/susanna-clarke">Susanna Clarke</a></li></ul></main></body></html>';
const SHELF_PATH = '/review/list/1001-reader?shelf=to-read';

const shelfText = (page: Page) =>
  page.evaluate(() => document.querySelector('bookrelay-shelf')?.shadowRoot?.textContent ?? '');

describe('shelf pages: Send all with a preview, and Watch this shelf (built extension, real host names)', () => {
  let world: World;
  let companion: TestCompanion;
  let companionServer: ReturnType<typeof serve>;
  let sitesServer: HttpsSiteServer;
  let launched: LaunchedExtension;
  let sites: ShelfSites;
  let shelves: ShelfState;
  let dispossessed: WorldBook;
  let kindred: WorldBook;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    // The companion reads Goodreads' RSS from the world's shelf sites; Chromium gets the same shelves over HTTPS.
    sites = await startShelfSites();
    shelves = sites.state;
    dispossessed = world.addBook({
      title: 'The Dispossessed',
      author: 'Ursula K. Le Guin',
      format: 'epub',
      sizeBytes: 90_000,
    });
    kindred = world.addBook({
      title: 'Kindred',
      author: 'Octavia E. Butler',
      format: 'epub',
      sizeBytes: 80_000,
      isbn13: '9780807083697',
    });
    world.addBook({ title: 'Dune Messiah', author: 'Frank Herbert', format: 'epub', sizeBytes: 95_000 });
    shelves.set('goodreads', '1001', 'to-read', [
      { id: '13651', title: 'The Dispossessed (Hainish Cycle, #5)', author: 'Ursula K. Le Guin' },
      { id: '60931', title: 'Kindred', author: 'Octavia E. Butler', isbn13: '9780807083697' },
      // The world has only "Dune Messiah": listed as no good match, never queued.
      { id: '44767458', title: 'Dune (Dune, #1)', author: 'Frank Herbert' },
    ]);
    shelves.set('storygraph', 'reader', 'to-read', [
      { id: 'a1b2c3d4-0000-4000-8000-000000000001', title: 'Kindred', author: 'Octavia E. Butler' },
    ]);
    companion = await startTestCompanion(world, { env: shelfEnv(sites) });
    companionServer = serve({ fetch: companion.companion.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => companionServer.once('listening', resolve));
    const companionUrl = `http://127.0.0.1:${(companionServer.address() as AddressInfo).port}`;
    sitesServer = await startHttpsSiteServer(HOSTS, ({ url }) => {
      if (url.pathname === '/favicon.ico') return undefined;
      if (url.pathname === '/@reader/books/want-to-read') return { body: HARDCOVER_PAGE };
      if (url.pathname === '/review/list/666-hostile') {
        // Rows a drifted or hostile page could hold: no links, script-looking titles, 5000 junk rows.
        const junk =
          '<tr class="bookalike review"><td class="field title"><a href="javascript:alert(1)">x</a></td></tr>'.repeat(
            5000,
          );
        return {
          body: `<html><body><div id="header"><h1>Shelf</h1></div><table id="books">${junk}<tr class="review"><td class="field title"><a href="/book/show/1" title="<img src=x onerror=alert(1)>">t</a></td></tr></table></body></html>`,
        };
      }
      const answer = answerShelfRequest(shelves, { url, method: 'GET' }, 'unused');
      return answer ? { status: answer.status, contentType: answer.contentType, body: answer.body } : undefined;
    });
    launched = await launchExtension(chromeBuildDir, 15_000, {
      hostMap: Object.fromEntries(HOSTS.map((host) => [host, sitesServer.port])),
      ignoreCertificateErrors: true,
    });
    await connectExtension(launched, companionUrl);
  });

  afterAll(async () => {
    await launched?.close();
    await sitesServer?.close();
    companionServer?.close();
    await companion?.close();
    await sites?.close();
    await world?.close();
  });

  async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await launched.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /bookrelay|content-scripts/i.test(message.text())) errors.push(message.text());
    });
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    return { page, errors };
  }

  it('Goodreads Want to Read: Send all previews matches and misses, queues only the confirmed matches', async () => {
    const { page, errors } = await openPage(`https://www.goodreads.com${SHELF_PATH}`);
    try {
      const sendAll = await page.waitForSelector('::-p-aria(Send all)', { timeout: 20_000 });
      expect(companion.companion.store.list()).toHaveLength(0);
      await sendAll?.click();
      await page.waitForSelector('::-p-aria(Send all preview)', { timeout: 60_000 });
      const text = await shelfText(page);
      expect(text).toContain('Will queue (2)');
      expect(text).toContain('The Dispossessed (Hainish Cycle, #5) — Ursula K. Le Guin (epub)');
      expect(text).toContain('Kindred — Octavia E. Butler (epub)');
      expect(text).toContain('No good match (1)');
      expect(text).toContain('Dune (Dune, #1) — Frank Herbert: no good match');
      // Nothing is queued before the user confirms.
      expect(companion.companion.store.list()).toHaveLength(0);

      const confirm = await page.waitForSelector('::-p-aria(Queue 2 books)');
      await confirm?.click();
      await page.waitForFunction(
        () =>
          document
            .querySelector('bookrelay-shelf')
            ?.shadowRoot?.textContent?.includes('Queued 2 books; 1 without a good match'),
        { timeout: 30_000 },
      );
      const ids = companion.companion.store
        .list()
        .map((item) => item.id)
        .sort();
      expect(ids).toEqual([dispossessed.md5, kindred.md5].sort());
      expect(await page.evaluate(() => document.querySelectorAll('bookrelay-shelf').length)).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Watch this shelf: the companion watches the Goodreads shelf (its own RSS checks) and the button says so', async () => {
    const { page, errors } = await openPage(`https://www.goodreads.com${SHELF_PATH}`);
    try {
      const watch = await page.waitForSelector('::-p-aria(Watch this shelf)', { timeout: 20_000 });
      await watch?.click();
      await page.waitForSelector('::-p-aria(Watching this shelf)', { timeout: 20_000 });
      const [list] = companion.companion.lists.all();
      expect(list).toMatchObject({ site: 'goodreads', user: '1001', shelf: 'to-read' });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('StoryGraph To-Read: watching posts the page as the starting point (the extension reads StoryGraph)', async () => {
    const { page } = await openPage('https://app.thestorygraph.com/to-read/reader');
    try {
      const watch = await page.waitForSelector('::-p-aria(Watch this shelf)', { timeout: 20_000 });
      await watch?.click();
      await page.waitForSelector('::-p-aria(Watching this shelf)', { timeout: 20_000 });
      const list = companion.companion.lists.all().find((l) => l.site === 'storygraph');
      expect(list).toMatchObject({ user: 'reader', shelf: 'to-read' });
      const runs = companion.companion.lists.runs(list?.id ?? -1);
      expect(runs.flatMap((r) => r.entries).map((e) => [e.key, e.outcome])).toEqual([
        ['storygraph:a1b2c3d4-0000-4000-8000-000000000001', 'existing'],
      ]);
    } finally {
      await page.close();
    }
  });

  it('StoryGraph on the alarm: the shelf is read in a background tab, its new book queued, the tab closed', async () => {
    const fifth = world.addBook({
      title: 'The Fifth Season',
      author: 'N. K. Jemisin',
      format: 'epub',
      sizeBytes: 85_000,
    });
    shelves.add('storygraph', 'reader', 'to-read', {
      id: 'a1b2c3d4-0000-4000-8000-000000000002',
      title: 'The Fifth Season (The Broken Earth, #1)',
      author: 'N.K. Jemisin',
    });
    const tabsBefore = (await launched.browser.pages()).length;
    const worker = await launched.serviceWorker.worker();
    await worker?.evaluate(() =>
      (globalThis as unknown as { bookrelayCheckShelves(): Promise<void> }).bookrelayCheckShelves(),
    );
    await waitFor(() => companion.companion.store.get(fifth.md5), 'the StoryGraph book in the queue', 30_000);
    const list = companion.companion.lists.all().find((l) => l.site === 'storygraph');
    const entries = companion.companion.lists.runs(list?.id ?? -1).flatMap((r) => r.entries);
    expect(entries.map((e) => [e.title, e.outcome])).toEqual([
      ['The Fifth Season (The Broken Earth, #1)', 'queued'],
      ['Kindred', 'existing'],
    ]);
    await waitFor(
      async () => (await launched.browser.pages()).length === tabsBefore,
      'the background tab to close',
      20_000,
    );
  });

  it('Hardcover with an API token: the companion reads the shelf itself; the token never comes back', async () => {
    shelves.set('hardcover', 'reader', 'want-to-read', [{ id: '311', title: 'Piranesi', author: 'Susanna Clarke' }]);
    const { page, errors } = await openPage('https://hardcover.app/@reader/books/want-to-read');
    try {
      const input = await page.waitForSelector('::-p-aria(Hardcover API token (optional))', { timeout: 20_000 });
      await input?.type('world-hardcover-token');
      await (await page.waitForSelector('::-p-aria(Watch this shelf)'))?.click();
      await page.waitForSelector('::-p-aria(Watching this shelf)', { timeout: 20_000 });
      const list = companion.companion.lists.all().find((l) => l.site === 'hardcover');
      expect(list).toMatchObject({ user: 'reader', shelf: 'want-to-read', token: 'world-hardcover-token' });
      const checked = await waitFor(
        () => companion.companion.lists.get(list?.id ?? -1)?.lastCheckedAtMs,
        'the first check',
      );
      expect(checked).toBeGreaterThan(0);
      expect(companion.companion.lists.get(list?.id ?? -1)?.lastError).toBeNull();
      expect(sites.requests.filter((r) => r.line === 'POST /v1/graphql').at(-1)?.authorization).toBe(
        'Bearer world-hardcover-token',
      );
      expect(
        await page.evaluate(() => document.querySelector('bookrelay-shelf')?.shadowRoot?.innerHTML ?? ''),
      ).not.toContain('world-hardcover-token');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a hostile shelf page never breaks the content script', async () => {
    const { page, errors } = await openPage('https://www.goodreads.com/review/list/666-hostile?shelf=to-read');
    try {
      const sendAll = await page.waitForSelector('::-p-aria(Send all)', { timeout: 20_000 });
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await sendAll?.click();
      await page.waitForSelector('::-p-aria(Send all preview)', { timeout: 60_000 });
      const text = await shelfText(page);
      expect(text).toContain('<img src=x onerror=alert(1)>');
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await waitFor(() => page.evaluate(() => document.querySelectorAll('bookrelay-shelf').length === 1), 'one panel');
    } finally {
      await page.close();
    }
  });

  it('popup Lists view: last check, what was queued, no match with a one-click search, check now, pause, remove', async () => {
    const forest = world.addBook({
      title: 'The Word for World Is Forest',
      author: 'Ursula K. Le Guin',
      format: 'epub',
      sizeBytes: 70_000,
    });
    shelves.add('goodreads', '1001', 'to-read', {
      id: '60947',
      title: 'The Word for World Is Forest',
      author: 'Ursula K. Le Guin',
    });
    shelves.add('goodreads', '1001', 'to-read', { id: '106', title: 'Children of Dune', author: 'Frank Herbert' });
    const page = await launched.browser.newPage();
    await page.setViewport({ width: 400, height: 900 });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    try {
      await page.goto(`chrome-extension://${launched.extensionId}/popup.html`, { waitUntil: 'load' });
      const name = 'goodreads to-read (1001)';
      const check = await page.waitForSelector(`::-p-aria(Check ${name} now)`, { timeout: 20_000 });
      await check?.click();
      await page.waitForSelector(`::-p-aria(Queued from ${name})`, { timeout: 30_000 });
      expect(companion.companion.store.get(forest.md5)).toBeTruthy();
      const rowText = await page.$eval(`::-p-aria(${name})`, (el) => el.textContent ?? '');
      expect(rowText).toContain('Queued: The Word for World Is Forest');
      expect(rowText).toContain('No match: Children of Dune');
      expect(rowText).not.toContain('Last check: never');

      const search = await page.waitForSelector('::-p-aria(Search for Children of Dune)');
      await search?.click();
      await page.waitForFunction(
        () =>
          document
            .querySelector('[aria-label="Search results"]')
            ?.textContent?.includes('Children of Dune Frank Herbert'),
        { timeout: 30_000 },
      );
      expect(await page.$eval('::-p-aria(Title, author or ISBN)', (el) => (el as HTMLInputElement).value)).toBe(
        'Children of Dune Frank Herbert',
      );

      const goodreads = companion.companion.lists.all().find((l) => l.site === 'goodreads');
      await (await page.waitForSelector(`::-p-aria(Pause ${name})`))?.click();
      await page.waitForSelector(`::-p-aria(Resume ${name})`, { timeout: 20_000 });
      expect(companion.companion.lists.get(goodreads?.id ?? -1)?.paused).toBe(true);

      const storygraph = 'storygraph to-read (reader)';
      await (await page.waitForSelector(`::-p-aria(Remove ${storygraph})`))?.click();
      await waitFor(() => !companion.companion.lists.all().some((l) => l.site === 'storygraph'), 'the removal');
      await page.waitForFunction(
        (n) => !document.querySelector(`[aria-label="${n}"]`),
        { timeout: 20_000 },
        storygraph,
      );
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
