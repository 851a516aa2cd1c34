import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Page, WebWorker } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedExtension, launchExtension, repoRoot } from '../helpers/launch-extension.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';

// The service worker's `chrome` (evaluated there, not here): only what these tests call.
declare const chrome: {
  storage: { local: { set(items: Record<string, unknown>): Promise<void> } };
  action: { getBadgeText(details: object): Promise<string> };
  contextMenus: { update(id: string, properties: object): Promise<void> };
  notifications: { getAll(): Promise<Record<string, boolean>> };
};

const screenshots = path.join(repoRoot, 'test/artifacts/screenshots');
// Run alone on a fresh clone, this file is the first to write there.
mkdirSync(screenshots, { recursive: true });

async function listen(t: TestCompanion): Promise<{ server: Server; base: string }> {
  const server = serve({ fetch: t.companion.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Presses Tab until the focused control's accessible name (aria-label or text) is `name`: proves it is reachable. */
async function tabTo(page: Page, name: string, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.getAttribute('aria-label') || el?.textContent?.trim() || '';
    });
    if (focused === name) return;
  }
  throw new Error(`Expected Tab to reach “${name}” within ${maxPresses} presses`);
}

const md5OfFile = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');

describe('the popup in Chromium with the built extension, a real companion and the test world', () => {
  let world: World;
  let t: TestCompanion;
  let companion: { server: Server; base: string };
  let launched: LaunchedExtension;
  let worker: WebWorker;

  /** Points the extension at a companion the way the options page stores it. */
  const connectTo = (url: string) =>
    worker.evaluate(
      (u) => chrome.storage.local.set({ connection: { url: u, token: null, deviceName: null, tokenId: null } }),
      url,
    );
  const readBadge = () => worker.evaluate(() => chrome.action.getBadgeText({}));

  async function openPopup(query = ''): Promise<Page> {
    const page = await launched.browser.newPage();
    await page.setViewport({ width: 400, height: 640 });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    (page as Page & { errors?: string[] }).errors = errors;
    await page.goto(`chrome-extension://${launched.extensionId}/popup.html${query}`, { waitUntil: 'load' });
    return page;
  }

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world);
    companion = await listen(t);
    launched = await launchExtension();
    worker = (await launched.serviceWorker.worker()) as WebWorker;
    await connectTo(companion.base);
  });
  afterAll(async () => {
    await launched?.close();
    if (companion?.server.listening) await stop(companion.server);
    await t?.close();
    await world?.close();
  });

  it('searches with a format filter, sends the right book, shows progress and the badge, and the file lands with its md5', async () => {
    const book = world.books.find((b) => b.title.startsWith('Moby-Dick')) ?? world.books[1];
    const decoy = world.addBook({ title: 'Moby-Dick <b>study</b> notes', format: 'epub', sizeBytes: 40_000 });
    const otherFormat = world.addBook({ title: 'Moby-Dick illustrated', format: 'pdf', sizeBytes: 40_000 });
    // Slow enough to watch: ~786 KB at 120 KB/s is several seconds of "downloading".
    world.setThroughput('partner', 120_000);
    const page = await openPopup();
    try {
      const search = await page.waitForSelector('::-p-aria(Title, author or ISBN)');
      await search?.type('Moby-Dick');
      await (await page.waitForSelector('::-p-aria(Format)'))?.select('epub');
      await page.keyboard.press('Enter');

      const card = await page.waitForSelector(`::-p-aria([name="${book.title}"][role="listitem"])`);
      await page.waitForSelector(`::-p-aria([name="${decoy.title}"][role="listitem"])`);
      // The format filter reached the companion: the PDF edition is not offered.
      expect(await page.$(`::-p-aria([name="${otherFormat.title}"][role="listitem"])`)).toBeNull();
      // Scraped text is text: the decoy's markup shows literally and creates no element.
      expect(await page.evaluate(() => document.querySelectorAll('.result-card b').length)).toBe(0);
      expect(await page.evaluate(() => document.body.textContent)).toContain('Moby-Dick <b>study</b> notes');
      const cardText = await card?.evaluate((el) => el.textContent);
      expect(cardText).toContain(book.author);
      expect(cardText).toContain('EPUB');
      await (await page.$('main'))?.screenshot({ path: path.join(screenshots, 'popup-results.png') });

      expect(await readBadge()).toBe('');
      await (await card?.waitForSelector('::-p-aria(Send to library)'))?.click();

      await waitFor(async () => (await readBadge()) === '1', 'the badge to count one active download');
      await page.waitForFunction(
        (title) =>
          [...document.querySelectorAll('li')].some(
            (li) => li.getAttribute('aria-label') === title && /Downloading [1-9]\d%/.test(li.textContent ?? ''),
          ),
        { timeout: 20_000 },
        book.title,
      );
      await page.waitForSelector(`::-p-aria(Progress of ${book.title})`);
      await (await page.$('main'))?.screenshot({ path: path.join(screenshots, 'popup-queue.png') });

      await page.waitForFunction(
        (title) =>
          [...document.querySelectorAll('.result-card')].some(
            (li) => li.getAttribute('aria-label') === title && li.textContent?.includes('In library'),
          ),
        { timeout: 30_000 },
        book.title,
      );
      await waitFor(async () => (await readBadge()) === '', 'the badge to clear');
      const files = readdirSync(t.ingestDir).map((name) => path.join(t.ingestDir, name));
      expect(files.map(md5OfFile)).toContain(book.md5);
      expect((page as Page & { errors?: string[] }).errors).toEqual([]);
    } finally {
      world.setThroughput('partner', undefined);
      await page.close();
    }
  });

  it('registers the context menu entries, and its selection click opens a search in the popup', async () => {
    // puppeteer cannot open or click native menus: `update` rejects for an id that was never created, which proves
    // both entries exist; then the SW runs the same handler the click listener calls, with an OnClickData.
    await waitFor(
      () =>
        worker
          .evaluate(async () => {
            await chrome.contextMenus.update('bookrelay-search-selection', {});
            await chrome.contextMenus.update('bookrelay-send-link', {});
            return true;
          })
          .catch(() => false),
      'the context menu entries',
    );
    await expect(worker.evaluate(() => chrome.contextMenus.update('no-such-entry', {}))).rejects.toThrow();

    const book = world.books.find((b) => b.language === 'de') ?? world.books[3];
    const opened = launched.browser.waitForTarget((target) =>
      target.url().startsWith(`chrome-extension://${launched.extensionId}/popup.html`),
    );
    await worker.evaluate(
      (text) =>
        (
          globalThis as unknown as { bookrelayContextMenuClick: (info: unknown) => Promise<void> }
        ).bookrelayContextMenuClick({
          menuItemId: 'bookrelay-search-selection',
          selectionText: text,
          editable: false,
          pageUrl: 'http://127.0.0.1/',
        }),
      `  ${book.title}\n`,
    );
    const target = await opened;
    const page = (await target.asPage()) as Page;
    try {
      const search = await page.waitForSelector('::-p-aria(Title, author or ISBN)');
      expect(await search?.evaluate((el) => (el as HTMLInputElement).value)).toBe(book.title);
      // The popup searched at once with the preferred languages (the companion's default is English)…
      await page.waitForFunction(
        (title) => document.body.textContent?.includes(`No results for “${title}”`),
        {},
        book.title,
      );
      // …so choose German and search again.
      await (await page.waitForSelector('::-p-aria(Language)'))?.select('de');
      await (await page.waitForSelector('::-p-aria([name="Search"][role="button"])'))?.click();
      await page.waitForSelector(`::-p-aria([name="${book.title}"][role="listitem"])`);
    } finally {
      await page.close();
    }
  });

  it('queues an Anna’s Archive md5 link from the context menu and notifies', async () => {
    const book = world.books.find((b) => b.title === 'Pride and Prejudice') ?? world.books[0];
    await worker.evaluate(
      (url) =>
        (
          globalThis as unknown as { bookrelayContextMenuClick: (info: unknown) => Promise<void> }
        ).bookrelayContextMenuClick({ menuItemId: 'bookrelay-send-link', linkUrl: url, editable: false, pageUrl: url }),
      `${world.origins.aa}/md5/${book.md5.toUpperCase()}`,
    );
    await waitFor(
      () => t.companion.store.get(book.md5)?.status === 'available',
      'the linked book in the library',
      30_000,
    );
    const notices = await waitFor(
      () =>
        worker
          .evaluate(async () => Object.keys(await chrome.notifications.getAll()))
          .then((ids) => (ids.includes(`item:${book.md5}:in-library`) ? ids : null)),
      'the in-library notification',
    );
    expect(notices).toContain(`item:${book.md5}:queued`);
    expect(notices).toContain(`item:${book.md5}:in-library`);
  });

  it('cancels and retries from the queue with the keyboard alone', async () => {
    const book = world.books.find((b) => b.title === 'The Art of War') ?? world.books[4];
    world.setThroughput('partner', 60_000);
    const page = await openPopup();
    try {
      await (await page.waitForSelector('::-p-aria(Title, author or ISBN)'))?.type(book.title);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`::-p-aria([name="${book.title}"][role="listitem"])`);
      await tabTo(page, 'Send to library');
      await page.keyboard.press('Enter');
      await waitFor(() => t.companion.store.get(book.md5)?.status === 'downloading', 'the download to start');

      await page.waitForSelector(`::-p-aria(Cancel ${book.title})`);
      await tabTo(page, `Cancel ${book.title}`);
      await page.keyboard.press('Enter');
      await waitFor(() => t.companion.store.get(book.md5)?.status === 'cancelled', 'the companion to cancel');
      await page.waitForFunction(
        (title) =>
          [...document.querySelectorAll('.queue-row')].some(
            (li) => li.getAttribute('aria-label') === title && li.textContent?.includes('Cancelled'),
          ),
        {},
        book.title,
      );

      world.setThroughput('partner', undefined);
      await tabTo(page, `Retry ${book.title}`);
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        (title) =>
          [...document.querySelectorAll('.queue-row')].some(
            (li) => li.getAttribute('aria-label') === title && li.textContent?.includes('In library'),
          ),
        { timeout: 30_000 },
        book.title,
      );
      expect(t.companion.store.get(book.md5)?.status).toBe('available');
      // Every control the user can reach has an accessible name.
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll('button, a, input, select')]
          .filter((el) => !(el.getAttribute('aria-label') || el.textContent?.trim()))
          .map((el) => el.outerHTML),
      );
      expect(unnamed).toEqual([]);
    } finally {
      world.setThroughput('partner', undefined);
      await page.close();
    }
  });

  it('a download that fails shows the companion’s reason on the card and in the queue, and notifies', async () => {
    const book = world.addBook({ title: 'Bartleby, the Scrivener', author: 'Herman Melville', sizeBytes: 50_000 });
    for (const origin of ['partner', 'libgen', 'zlib', 'welib'] as const) {
      world.faults.set({ origin, md5: book.md5 }, { kind: 'wrong-bytes' });
    }
    const page = await openPopup();
    try {
      await (await page.waitForSelector('::-p-aria(Title, author or ISBN)'))?.type('Bartleby');
      await page.keyboard.press('Enter');
      const card = await page.waitForSelector(`::-p-aria([name="${book.title}"][role="listitem"])`);
      await (await card?.waitForSelector('::-p-aria(Send to library)'))?.click();
      const item = await waitFor(
        () => (t.companion.store.get(book.md5)?.status === 'error' ? t.companion.store.get(book.md5) : undefined),
        'the companion to give up',
        60_000,
      );
      expect(item.error).toBeTruthy();
      await page.waitForFunction(
        (title, error) =>
          [...document.querySelectorAll('.result-card, .queue-row')].filter(
            (li) => li.getAttribute('aria-label') === title && li.textContent?.includes(`Failed: ${error}`),
          ).length === 2,
        {},
        book.title,
        item.error as string,
      );
      // The card offers the retry right there.
      expect(await card?.$('::-p-aria(Retry)')).not.toBeNull();
      await waitFor(
        async () =>
          (await worker.evaluate(async () => Object.keys(await chrome.notifications.getAll()))).includes(
            `item:${book.md5}:failed`,
          ),
        'the failed notification',
      );
    } finally {
      world.faults.clear();
      await page.close();
    }
  });

  it('shows the unpaired message when the companion requires auth and the extension has no token', async () => {
    const locked = await startTestCompanion(world, { env: { HOST: '0.0.0.0' }, start: false });
    const served = await listen(locked);
    await connectTo(served.base);
    const page = await openPopup();
    try {
      const alert = await page.waitForSelector('::-p-aria([name="Connection problem"][role="alert"])');
      await page.waitForFunction(() => document.body.textContent?.includes('Not paired with a companion'));
      expect(await alert?.evaluate((el) => el.textContent)).toContain('pair');
      expect(await page.$('::-p-aria(Open options to pair)')).not.toBeNull();
      expect(await page.$('::-p-aria(Title, author or ISBN)')).toBeNull();
      await waitFor(async () => (await readBadge()) === 'off', 'the badge to show the unpaired mark');
    } finally {
      await page.close();
      await stop(served.server);
      await locked.close();
      await connectTo(companion.base);
    }
  });

  it('shows the unreachable message when the companion is stopped', async () => {
    await stop(companion.server);
    const page = await openPopup();
    try {
      await page.waitForFunction(() => document.body.textContent?.includes('The companion is unreachable'));
      expect(await page.$('::-p-aria(Try again)')).not.toBeNull();
      await waitFor(async () => (await readBadge()) === 'off', 'the badge to show the offline mark');
      await (await page.$('main'))?.screenshot({ path: path.join(screenshots, 'popup-offline.png') });
    } finally {
      await page.close();
    }
  });
});
