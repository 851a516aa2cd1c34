import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpsSiteServer, startHttpsSiteServer } from '../helpers/https-site-server.js';
import {
  chromeBuildDir,
  connectExtension,
  type LaunchedExtension,
  launchExtension,
  repoRoot,
} from '../helpers/launch-extension.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../helpers/test-companion.js';
import type { WorldBook } from '../world/catalogue.js';
import { startWorld, type World } from '../world/start-world.js';

const fixtures = path.join(repoRoot, 'test/fixtures');
const screenshots = path.join(repoRoot, 'test/artifacts/screenshots');
const read = (file: string) => readFileSync(path.join(fixtures, file), 'utf8');

interface Site {
  name: string;
  host: string;
  /** The book page, served from a real capture (synthetic for Hardcover and Google Books). */
  path: string;
  fixture: string;
  /** A second book path on the same site for the SPA navigation step. */
  otherPath: string;
  /** A non-book path: the buttons must go away. */
  nonBookPath: string;
  /** The world book matching what the page says (title, author, ISBN), so "Send" finds it. */
  book: { title: string; author: string; isbn13: string; language?: string };
  screenshot?: string;
}

const sites: Site[] = [
  {
    name: 'Goodreads',
    host: 'www.goodreads.com',
    path: '/book/show/56821625-1984',
    fixture: 'real/book-sites/goodreads/neodb__book_show_56821625_1984_paperback_2025-02.html',
    otherPath: '/book/show/61439040-1984',
    nonBookPath: '/search?q=orwell',
    book: { title: '1984', author: 'George Orwell', isbn13: '9781847498571' },
    screenshot: 'buttons-goodreads.png',
  },
  {
    name: 'Amazon',
    host: 'www.amazon.com',
    path: '/Siddhartha-Hermann-Hesse/dp/3518366823',
    fixture: 'real/book-sites/amazon/ntmb__amazon_com_paperback_3518366823_2023-06.html',
    otherPath: '/dp/3518366823/ref=sr_1_1',
    nonBookPath: '/s?k=hesse',
    book: { title: 'Siddhartha', author: 'Hermann Hesse', isbn13: '9783518366820', language: 'de' },
    screenshot: 'buttons-amazon.png',
  },
  {
    name: 'The StoryGraph',
    host: 'app.thestorygraph.com',
    path: '/books/fbdd6b7c-f512-47f2-aa94-d8bf0d5f5175',
    fixture: 'real/book-sites/storygraph/neodb__books_fbdd6b7c_hagakure_2026-04.html',
    otherPath: '/books/00000000-f512-47f2-aa94-d8bf0d5f5175',
    nonBookPath: '/browse',
    book: { title: 'Hagakure: The Book of the Samurai', author: 'Yamamoto Tsunetomo', isbn13: '9784770026125' },
  },
  {
    name: 'Hardcover',
    host: 'hardcover.app',
    path: '/books/project-hail-mary',
    fixture: 'synthetic/hardcover/book_project_hail_mary.html',
    otherPath: '/books/project-hail-mary-2021',
    nonBookPath: '/trending',
    book: { title: 'Project Hail Mary', author: 'Andy Weir', isbn13: '9780593135204' },
  },
  {
    name: 'Open Library',
    host: 'openlibrary.org',
    path: '/books/OL27154489M/The_New_Jim_Crow',
    fixture: 'real/book-sites/openlibrary/olscraper__books_OL27154489M_new_jim_crow_2025-10.html',
    otherPath: '/books/OL27154489M/The_New_Jim_Crow?edition=2',
    nonBookPath: '/search?q=crow',
    book: { title: 'The New Jim Crow', author: 'Michelle Alexander', isbn13: '9781595586438' },
  },
  {
    name: 'Google Books',
    host: 'books.google.com',
    path: '/books?id=iEGqEAAAQBAJ',
    fixture: 'synthetic/googlebooks/books_id_iEGqEAAAQBAJ.html',
    otherPath: '/books?id=iEGqEAAAQBAJ&hl=en',
    nonBookPath: '/books',
    book: {
      title: 'Everything is Beautiful and Everything Hurts',
      author: 'Josie Shapiro',
      isbn13: '9781761186769',
    },
  },
];

const AA_HOST = 'annas-archive.org';
const HYPERION_PATH = '/book/show/77566.Hyperion';
const DRIFTED_PATH = '/book/show/56821625-drifted';
/** The 1984 capture after a redesign: no JSON-LD, no __NEXT_DATA__, no title heading; only <title> is left. */
function driftGoodreads(html: string): string {
  return html
    .replace(/<script[^>]*(?:application\/ld\+json|__NEXT_DATA__)[^>]*>[\s\S]*?<\/script>/g, '')
    .replace(/<h1[^>]*data-testid="bookTitle"[^>]*>[\s\S]*?<\/h1>/g, '')
    .replace(/<meta property="og:title"[^>]*>/g, '');
}
const HYPERION_FIXTURE = 'real/book-sites/goodreads/neodb__book_show_77566_hyperion_mmpb_2022-12.html';

function md5Of(file: string): string {
  return createHash('md5').update(readFileSync(file)).digest('hex');
}

function listFiles(dir: string): string[] {
  let found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    found = statSync(full).isDirectory() ? [...found, ...listFiles(full)] : [...found, full];
  }
  return found;
}

/** Waits for `text` in the page's Bookrelay UI; on timeout says what the buttons showed instead. */
async function waitForButtonText(page: Page, selector: string, timeoutMs = 60_000): Promise<void> {
  try {
    await page.waitForSelector(selector, { timeout: timeoutMs });
  } catch (err) {
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll('bookrelay-buttons, bookrelay-row-send')]
        .map((host) => [...(host.shadowRoot?.querySelectorAll('button') ?? [])].map((b) => b.textContent).join(', '))
        .join(' | '),
    );
    throw new Error(`Expected ${selector}, the buttons showed: ${shown.slice(0, 300)}`, { cause: err });
  }
}

/** Saves the title and the buttons under it (the captures' CSS is offline, so the page itself is unstyled). */
async function screenshotButtons(page: Page, file: string): Promise<void> {
  await page.evaluate(() => document.querySelector('bookrelay-buttons')?.scrollIntoView({ block: 'center' }));
  const clip = await page.evaluate(() => {
    const host = document.querySelector('bookrelay-buttons');
    const title = host?.previousElementSibling;
    const boxes = [host, title].filter((e): e is Element => Boolean(e)).map((e) => e.getBoundingClientRect());
    const top = Math.min(...boxes.map((b) => b.top)) - 24;
    const bottom = Math.max(...boxes.map((b) => b.bottom)) + 24;
    return { x: 0, y: Math.max(0, top + window.scrollY), width: 900, height: Math.min(400, bottom - top) };
  });
  await page.screenshot({ path: file, clip });
}

const countHosts = (page: Page, name: string) => page.evaluate((n) => document.querySelectorAll(n).length, name);

describe('Search and Send to library on book pages (built extension, real host names)', () => {
  let world: World;
  let companion: TestCompanion;
  let companionServer: ReturnType<typeof serve>;
  let sitesServer: HttpsSiteServer;
  let launched: LaunchedExtension;
  const worldBooks = new Map<string, WorldBook>();

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    for (const site of sites) {
      worldBooks.set(
        site.name,
        world.addBook({ ...site.book, format: 'epub', sizeBytes: 150_000 + worldBooks.size * 1000 }),
      );
    }
    companion = await startTestCompanion(world);
    companionServer = serve({ fetch: companion.companion.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => companionServer.once('listening', resolve));
    const companionUrl = `http://127.0.0.1:${(companionServer.address() as AddressInfo).port}`;
    const pages = new Map(sites.map((site) => [site.host, site]));
    sitesServer = await startHttpsSiteServer(
      sites.map((site) => site.host),
      ({ host, url }) => {
        const site = pages.get(host);
        if (!site || url.pathname === '/favicon.ico') return undefined;
        // A Goodreads book the world does not have: "Send" must say so instead of guessing.
        if (url.pathname === HYPERION_PATH) return { body: read(HYPERION_FIXTURE) };
        if (url.pathname === DRIFTED_PATH) return { body: driftGoodreads(read(sites[0]?.fixture ?? '')) };
        // Any book-like path of the site answers its capture (the SPA step navigates within it).
        return { body: read(site.fixture) };
      },
    );
    const aaPort = Number(new URL(world.origins.aa).port);
    launched = await launchExtension(chromeBuildDir, 15_000, {
      hostMap: { ...Object.fromEntries(sites.map((site) => [site.host, sitesServer.port])), [AA_HOST]: aaPort },
      ignoreCertificateErrors: true,
    });
    await connectExtension(launched, companionUrl);
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await launched?.close();
    await sitesServer?.close();
    companionServer?.close();
    await companion?.close();
    await world?.close();
  });

  async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await launched.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /bookrelay|content-scripts/i.test(message.text())) errors.push(message.text());
    });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    return { page, errors };
  }

  async function waitForFileInIngest(md5: string): Promise<string> {
    return waitFor(
      () => listFiles(companion.ingestDir).find((file) => md5Of(file) === md5),
      `a file with md5 ${md5} in ${companion.ingestDir}`,
      60_000,
    );
  }

  it.each(sites)(
    '$name: buttons once, Send lands the right file, In library, SPA navigation keeps one pair',
    async (site) => {
      const book = worldBooks.get(site.name);
      if (!book) throw new Error(`Expected a world book for ${site.name}`);
      const { page, errors } = await openPage(`https://${site.host}${site.path}`);
      try {
        const send = await page.waitForSelector('::-p-aria(Send to library)', { timeout: 20_000 });
        expect(await page.$$('::-p-aria(Search for this book)')).toHaveLength(1);
        expect(await countHosts(page, 'bookrelay-buttons')).toBe(1);
        if (site.screenshot) await screenshotButtons(page, path.join(screenshots, site.screenshot));

        await send?.click();
        await waitForButtonText(page, '::-p-aria(In library)');
        const file = await waitForFileInIngest(book.md5);
        expect(md5Of(file)).toBe(book.md5);
        // Nothing else was queued for this page.
        expect(companion.companion.store.list().filter((item) => item.id === book.md5)).toHaveLength(1);

        // SPA navigation to another book path: the old pair goes, one new pair comes, already *In library* (same ISBN).
        await page.evaluate((p) => history.pushState({}, '', p), site.otherPath);
        await waitFor(() => page.evaluate(() => location.pathname + location.search), 'the pushed location');
        await page.waitForFunction(
          (href) => {
            const hosts = document.querySelectorAll('bookrelay-buttons');
            return (
              location.href === href && hosts.length === 1 && hosts[0]?.shadowRoot?.textContent?.includes('In library')
            );
          },
          { timeout: 15_000 },
          `https://${site.host}${site.otherPath}`,
        );
        // A second navigation to the same path must not add a second pair.
        await page.evaluate((p) => history.pushState({}, '', p), site.otherPath);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(await countHosts(page, 'bookrelay-buttons')).toBe(1);

        // Leaving the book page removes the buttons.
        await page.evaluate((p) => history.pushState({}, '', p), site.nonBookPath);
        await page.waitForFunction(() => document.querySelectorAll('bookrelay-buttons').length === 0, {
          timeout: 15_000,
        });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );

  it('Search opens the results for that book (ISBN match first) with a Send per result', async () => {
    const site = sites.find((s) => s.name === 'Google Books');
    const book = site && worldBooks.get(site.name);
    if (!site || !book) throw new Error('Expected the Google Books site and its world book');
    const { page } = await openPage(`https://${site.host}${site.path}`);
    try {
      const search = await page.waitForSelector('::-p-aria(Search for this book)', { timeout: 20_000 });
      await search?.click();
      await page.waitForSelector('::-p-aria(Bookrelay search results)', { timeout: 30_000 });
      const rowSend = await page.waitForSelector(`::-p-aria(Send ${book.title} (epub))`, { timeout: 30_000 });
      const panelText = await page.evaluate(
        () => document.querySelector('bookrelay-buttons')?.shadowRoot?.querySelector('section')?.textContent ?? '',
      );
      expect(panelText).toContain('ISBN match');
      expect(panelText).toContain(book.author);
      await rowSend?.click();
      await waitForButtonText(page, `::-p-aria(${book.title} (epub): Sent)`, 30_000);
      expect(companion.companion.store.list().filter((item) => item.id === book.md5)).toHaveLength(1);
    } finally {
      await page.close();
    }
  });

  it('a book the library cannot find: Send says so and offers the search instead of guessing', async () => {
    const before = companion.companion.store.list().length;
    const { page } = await openPage(`https://www.goodreads.com${HYPERION_PATH}`);
    try {
      const send = await page.waitForSelector('::-p-aria(Send to library)', { timeout: 20_000 });
      await send?.click();
      await waitForButtonText(page, '::-p-aria(Not found – search instead)', 30_000);
      await page.waitForSelector('::-p-aria(Bookrelay search results)', { timeout: 10_000 });
      await page.waitForFunction(
        () =>
          document
            .querySelector('bookrelay-buttons')
            ?.shadowRoot?.querySelector('section')
            ?.textContent?.includes('Nothing found.'),
        { timeout: 30_000 },
      );
      expect(companion.companion.store.list()).toHaveLength(before);
    } finally {
      await page.close();
    }
  });

  it('a drifted page still gets one pair of buttons, with a title-only search', async () => {
    const { page } = await openPage(`https://www.goodreads.com${DRIFTED_PATH}`);
    try {
      expect(await page.evaluate(() => document.querySelector('h1[data-testid="bookTitle"]'))).toBeNull();
      const search = await page.waitForSelector('::-p-aria(Search for this book)', { timeout: 20_000 });
      expect(await countHosts(page, 'bookrelay-buttons')).toBe(1);
      await search?.click();
      await page.waitForFunction(
        () => {
          const text = document.querySelector('bookrelay-buttons')?.shadowRoot?.querySelector('section')?.textContent;
          return text?.includes('Results for “1984”') && text.includes('George Orwell');
        },
        { timeout: 30_000 },
      );
    } finally {
      await page.close();
    }
  });

  it("Anna's Archive record page: Send queues exactly that md5", async () => {
    const book = world.books.find((b) => b.title === 'Pride and Prejudice');
    if (!book) throw new Error('Expected Pride and Prejudice in the world');
    const { page } = await openPage(`http://${AA_HOST}/md5/${book.md5}`);
    try {
      const send = await page.waitForSelector('::-p-aria(Send to library)', { timeout: 20_000 });
      expect(await countHosts(page, 'bookrelay-buttons')).toBe(1);
      await send?.click();
      await waitForButtonText(page, '::-p-aria(In library)');
      expect(md5Of(await waitForFileInIngest(book.md5))).toBe(book.md5);
    } finally {
      await page.close();
    }
  });

  it("Anna's Archive search results: one Send per row, which queues that row's md5", async () => {
    const book = world.books.find((b) => b.title === 'Frankenstein');
    if (!book) throw new Error('Expected Frankenstein in the world');
    const { page } = await openPage(`http://${AA_HOST}/search?q=Frankenstein`);
    try {
      const rowSend = await page.waitForSelector('::-p-aria(Send Frankenstein to library)', { timeout: 20_000 });
      expect(await countHosts(page, 'bookrelay-row-send')).toBeGreaterThanOrEqual(1);
      expect(await countHosts(page, 'bookrelay-buttons')).toBe(0);
      expect(rowSend).not.toBeNull();
      // The row sits far down AA's page: the locator scrolls to it as a user would and clicks once the button stands
      // still (a click during the scroll could miss it on a busy machine, and the row stayed "Send to library").
      await page.locator('::-p-aria(Send Frankenstein to library)').click();
      await waitForButtonText(page, '::-p-aria(Frankenstein: In library)');
      expect(md5Of(await waitForFileInIngest(book.md5))).toBe(book.md5);
    } finally {
      await page.close();
    }
  });
});
