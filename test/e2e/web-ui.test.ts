import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_A_SHELF_URL, parseShelfUrl } from '../../shared/shelf-url.js';
import { type LaunchedChromium, launchChromium } from '../helpers/launch-chromium.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../helpers/test-companion.js';
import { shelfEnv, startShelfSites } from '../world/shelf-sites.js';
import { startWorld, type World } from '../world/start-world.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// The README's pictures: refreshed with UPDATE_SCREENSHOTS=1 (the queue's state in them differs run to run, so a plain
// test run keeps its copies in test/artifacts and leaves the tracked files alone).
const screenshotDir = path.resolve(
  process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test/artifacts/screenshots',
);

async function listen(t: TestCompanion) {
  const server = serve({ fetch: t.companion.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The text of the list item named `name` (queue rows, result cards and history rows are named by their title). */
function rowText(page: Page, selector: string, name: string): Promise<string | null> {
  return page.evaluate(
    (sel, label) =>
      [...document.querySelectorAll(sel)].find((li) => li.getAttribute('aria-label') === label)?.textContent ?? null,
    selector,
    name,
  );
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2 A/AA rules). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            opts: object,
          ): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Interactive controls smaller than a 44 px touch target (visible ones only). */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, a[href], input, select, summary')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) return false;
        if ((el as HTMLInputElement).type === 'checkbox') return false;
        return box.height < 44 || box.width < 44;
      })
      .map((el) => `${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 30)}"`),
  );
}

describe('the companion web UI in Chromium', () => {
  let world: World;
  let chromium: LaunchedChromium;

  beforeAll(async () => {
    // Slow file servers, so progress is seen between 0 and 100 %.
    world = await startWorld({
      countdownSeconds: 0,
      throughputBytesPerSecond: { partner: 400_000, libgen: 400_000, zlib: 400_000, welib: 400_000 },
    });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium.close();
    await world.close();
  });

  it('deep link → results → details → download → progress to 100 % → history with its source; markup stays text', async () => {
    const t = await startTestCompanion(world);
    const { server, base } = await listen(t);
    const hostile = world.addBook({
      title: '<img src=x onerror="window.__pwned=1">Evil <b>Bold</b> Atlas',
      author: 'Ada <i>Lovelace</i>',
      format: 'epub',
      sizeBytes: 900_000,
    });
    const page = await chromium.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    const thirdParty: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:')) thirdParty.push(request.url());
    });
    try {
      // Shelfmark's parameter names: the search runs from the URL alone, advanced filters filled in.
      await page.goto(`${base}/?q=${encodeURIComponent('Evil Atlas')}&format=epub`, { waitUntil: 'load' });
      await page.waitForSelector(`::-p-aria([name="${hostile.title}"][role="listitem"])`);
      expect(await page.$eval('#search-q', (input) => (input as HTMLInputElement).value)).toBe('Evil Atlas');
      expect(await page.$eval('select[name="format"]', (select) => (select as HTMLSelectElement).value)).toBe('epub');
      const card = await rowText(page, '.result-card', hostile.title);
      expect(card).toContain(hostile.title);
      expect(card).toContain('Ada <i>Lovelace</i>');
      // Only covers (or their placeholders) are images; the title's <img> and <b> stayed text.
      expect(await page.$$eval('.result-card b, .result-card i', (nodes) => nodes.length)).toBe(0);
      expect(await page.$$eval('.result-card img:not(.cover)', (nodes) => nodes.length)).toBe(0);

      await page.click(`::-p-aria(Details of ${hostile.title})`);
      // Focus moves to the book that was opened.
      await page.waitForFunction(() => document.activeElement?.id === 'details-title', { timeout: 5000 });
      await page.waitForFunction(() => !document.querySelector('.book-details [role="status"]'), { timeout: 15_000 });
      const details = await page.$eval('.book-details', (node) => node.textContent ?? '');
      expect(details).toContain(hostile.title);
      // The record page's facts, and where the file can come from (the world's partner and mirror hosts).
      expect(details).toContain('Year2020');
      expect(details).toMatch(/Sources127\.0\.0\.1:\d+/);

      await page.click('.book-details ::-p-aria(Download)');
      // The book's own state replaces the button; progress is seen on the way to the library.
      await page.waitForFunction(
        () => document.querySelector('.book-details [role="status"]')?.textContent !== 'Sending…',
      );
      await page.click('nav a[href="#queue"]');
      await page.waitForFunction(
        () => {
          const bar = document.querySelector('.queue-row progress[value]') as HTMLProgressElement | null;
          return bar !== null && bar.value > 0 && bar.value < 100;
        },
        { timeout: 30_000 },
      );
      await waitFor(
        () => t.companion.store.get(hostile.md5)?.status === 'available',
        'the book in the library',
        30_000,
      );
      expect(t.companion.store.get(hostile.md5)?.progress).toBe(100);
      await page.waitForFunction(
        (title) =>
          [...document.querySelectorAll('.history-row')].some(
            (li) => li.getAttribute('aria-label') === title && li.textContent?.includes('In library'),
          ),
        { timeout: 15_000 },
        hostile.title,
      );
      const source = t.companion.store.get(hostile.md5)?.source as string;
      expect(source).toBeTruthy();
      const history = await rowText(page, '.history-row', hostile.title);
      expect(history).toContain(`from ${source}`);
      expect(history).toMatch(/placed as .+\.epub/);

      // Back in search, the card shows the book's state, not a stale "Queued" and a disabled button.
      await page.click('nav a[href="#search"]');
      await page.waitForFunction(
        (title) =>
          [...document.querySelectorAll('.result-card')].some(
            (li) => li.getAttribute('aria-label') === title && li.textContent?.includes('In library'),
          ),
        {},
        hostile.title,
      );
      expect(await page.$$eval('.result-card button:disabled', (nodes) => nodes.length)).toBe(0);

      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(thirdParty).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      server.close();
      await t.close();
    }
  });

  it('cancels, reorders by drag and by keyboard, sets a priority, retries from history and clears finished items', async () => {
    // Workers stopped: the queue stays as the test arranges it.
    const t = await startTestCompanion(world, { start: false });
    const { server, base } = await listen(t);
    const [first, second, third] = world.books;
    if (!first || !second || !third) throw new Error('Expected the world to have three books');
    for (const book of [first, second, third]) {
      t.companion.store.enqueue({ id: book.md5, title: book.title, author: book.author, format: book.format });
    }
    const page = await chromium.browser.newPage();
    try {
      await page.goto(`${base}/#queue`, { waitUntil: 'load' });
      await page.waitForSelector(`::-p-aria(Move ${first.title} down)`);
      // The first row has no "up", the last no "down".
      expect(await page.$(`::-p-aria(Move ${first.title} up)`)).toBeNull();
      expect(await page.$(`::-p-aria(Move ${third.title} down)`)).toBeNull();

      // Keyboard only: focus the button and press Enter.
      await page.focus(`::-p-aria(Move ${third.title} up)`);
      await page.keyboard.press('Enter');
      await waitFor(
        () =>
          t.companion.store
            .queueOrder()
            .map((item) => item.id)
            .join() === [first, third, second].map((b) => b.md5).join(),
        'third before second',
      );
      await page.waitForFunction(
        (titles) =>
          [...document.querySelectorAll('.queue-row')].map((li) => li.getAttribute('aria-label')).join('|') === titles,
        {},
        [first.title, third.title, second.title].join('|'),
      );

      // Drag and drop: the first row dropped on the last (as a mouse drag fires it).
      await page.evaluate(
        (fromTitle, toTitle) => {
          const row = (title: string) =>
            [...document.querySelectorAll('.queue-row')].find(
              (li) => li.getAttribute('aria-label') === title,
            ) as Element;
          const data = new DataTransfer();
          row(fromTitle).dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: data }));
          row(toTitle).dispatchEvent(
            new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }),
          );
          row(toTitle).dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
        },
        first.title,
        second.title,
      );
      await waitFor(
        () =>
          t.companion.store
            .queueOrder()
            .map((item) => item.id)
            .join() === [third, second, first].map((b) => b.md5).join(),
        'first dropped last',
      );

      // Priority: High puts the last one first.
      await page.select(`select[aria-label="Priority of ${second.title}"]`, '-10');
      await waitFor(() => t.companion.store.queueOrder()[0]?.id === second.md5, 'second first');
      expect(t.companion.store.get(second.md5)?.priority).toBe(-10);

      await page.click(`::-p-aria(Cancel ${third.title})`);
      await waitFor(() => t.companion.store.get(third.md5)?.status === 'cancelled', 'cancelled');
      await page.waitForSelector(`.history-row ::-p-aria(Retry ${third.title})`);
      await page.click(`.history-row ::-p-aria(Retry ${third.title})`);
      await waitFor(() => t.companion.store.get(third.md5)?.status === 'queued', 'queued again');
      await page.waitForSelector(`::-p-aria(Cancel ${third.title})`);

      await page.click(`::-p-aria(Cancel ${second.title})`);
      await page.waitForSelector(`.history-row ::-p-aria(Remove ${second.title})`);
      await page.click('::-p-aria(Clear finished)');
      await waitFor(() => t.companion.store.get(second.md5) === undefined, 'cleared');
      await page.waitForFunction(() => document.querySelectorAll('.history-row').length === 0);
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
      const alert = await page.waitForSelector('::-p-aria([role="alert"])');
      expect(await alert?.evaluate((node) => node.textContent)).toMatch(
        /^Disk full: DATA_DIR has .* free; downloads are paused/,
      );
    } finally {
      await page.close();
      server.close();
      await t.close();
    }
  });

  it('names a failed item that was queued without its record, and offers retry and remove', async () => {
    const t = await startTestCompanion(world, { start: false });
    const { server, base } = await listen(t);
    const md5 = 'ffffffffffffffffffffffffffffffff';
    // What an older client or a failed lookup left: the md5 as the title.
    t.companion.store.enqueue({ id: md5, title: md5 });
    t.companion.store.cancel(md5);
    const page = await chromium.browser.newPage();
    try {
      await page.goto(`${base}/#queue`, { waitUntil: 'load' });
      await page.waitForSelector('::-p-aria(Retry Unknown title (md5 ffffffff…))');
      expect(await page.$('::-p-aria(Remove Unknown title (md5 ffffffff…))')).not.toBeNull();
      expect(await page.$$eval('.history-row .title', (nodes) => nodes.map((n) => n.textContent))).toEqual([
        'Unknown title (md5 ffffffff…)',
      ]);
    } finally {
      await page.close();
      server.close();
      await t.close();
    }
  });

  it('signs in when auth is on; settings mask secrets, manage tokens and users, and show a pairing code', async () => {
    const t = await startTestCompanion(world, {
      env: {
        HOST: '0.0.0.0',
        AA_DONATOR_KEY: 'donator-secret-1234',
        HTTP_PROXY: 'http://proxyuser:proxy-pass-5678@127.0.0.1:3128',
      },
      start: false,
    });
    const { server, base } = await listen(t);
    const page = await chromium.browser.newPage();
    await page.setBypassCSP(true);
    try {
      await page.goto(`${base}/#settings`, { waitUntil: 'load' });
      await page.waitForSelector('::-p-aria(Password)');
      expect(await axeViolations(page), 'sign-in page').toEqual([]);
      // Keyboard order: user name, password, then the button.
      await page.focus('input[name="username"]');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('password');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sign in');
      await page.type('input[name="username"]', 'admin');
      await page.type('input[name="password"]', 'wrong password');
      await page.click('::-p-aria(Sign in[role="button"])');
      await page.waitForFunction(() => document.querySelector('[role="alert"]')?.textContent?.includes('Invalid'));
      await page.$eval('input[name="password"]', (input) => {
        (input as HTMLInputElement).value = '';
      });
      await page.type('input[name="password"]', t.companion.firstAdmin?.password as string);
      await page.click('::-p-aria(Sign in[role="button"])');
      await page.waitForSelector('.config-table');

      const settings = await page.$eval('.settings', (node) => node.textContent ?? '');
      expect(settings).not.toContain('donator-secret-1234');
      expect(settings).not.toContain('proxy-pass-5678');
      expect(settings).not.toContain('proxyuser');
      const donator = await page.$$eval(
        '.config-table tr',
        (rows) => rows.find((row) => row.querySelector('th')?.textContent === 'annasArchive.donatorKey')?.textContent,
      );
      expect(donator).toContain('••••••');
      expect(settings).toContain('127.0.0.1:3128');
      expect(settings).toMatch(/Mirror diagnostics are unavailable|Anna’s Archive mirrors/);
      expect(settings).toMatch(/free of/);
      expect(await page.$('a[href="/downloads/bookrelay-chrome.zip"]')).not.toBeNull();
      expect(await page.$('a[href="/downloads/bookrelay-firefox.zip"]')).not.toBeNull();

      await page.click('::-p-aria(Show a pairing code)');
      await page.waitForFunction(() =>
        /^[A-Z2-9]{4}-[A-Z2-9]{4}/.test(document.querySelector('.code')?.textContent ?? ''),
      );

      await page.type('input[name="name"][maxlength="100"]', 'cron job');
      await page.click('::-p-aria(Create token)');
      await page.waitForSelector('::-p-aria(Revoke cron job)');
      expect(t.companion.app).toBeTruthy();
      await page.click('::-p-aria(Revoke cron job)');
      await page.waitForFunction(() => !document.body.textContent?.includes('Revoke cron job'));

      await page.type('input[name="name"][maxlength="64"]', 'reader');
      await page.type('input[name="password"][autocomplete="new-password"]', 'reader password 1');
      await page.click('::-p-aria(Add user)');
      await page.waitForSelector('::-p-aria(Remove user reader)');
      expect(await t.companion.users.verify('reader', 'reader password 1')).toBeTruthy();
      await page.click('::-p-aria(Remove user reader)');
      await page.waitForFunction(() => !document.querySelector('[aria-label="Remove user reader"]'));
      expect(t.companion.users.list().map((user) => user.name)).toEqual(['admin']);
    } finally {
      await page.close();
      server.close();
      await t.close();
    }
  });

  it('Lists: watch a Goodreads shelf by URL, check it now, see what was queued and what found no match, pause, remove', async () => {
    const sites = await startShelfSites();
    const t = await startTestCompanion(world, { env: shelfEnv(sites) });
    const { server, base } = await listen(t);
    sites.state.set('goodreads', '2001', 'to-read', [
      { id: '1885', title: 'Pride and Prejudice', author: 'Jane Austen' },
    ]);
    const wanted = world.addBook({
      title: 'The Left Hand of Darkness',
      author: 'Ursula K. Le Guin',
      format: 'epub',
      sizeBytes: 90_000,
    });
    // Scraped words with markup: shown as text, never as elements.
    const missing = '<img src=x onerror="window.__pwned=1">Unwritten <b>Tome</b> of Nowhere';
    const page = await chromium.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    try {
      await page.goto(`${base}/#lists`, { waitUntil: 'load' });
      await page.waitForSelector('::-p-aria(Shelf page URL)');
      expect(await page.$eval('.lists .empty', (p) => p.textContent)).toBe('No shelf is watched yet.');
      // A book page is no shelf: the form says so in shelf-url's words and sends nothing.
      await page.type('::-p-aria(Shelf page URL)', 'https://www.goodreads.com/book/show/1885.Pride_and_Prejudice');
      await page.click('::-p-aria(Watch shelf[role="button"])');
      await page.waitForFunction(
        (words) => document.querySelector('.watch-form [role="alert"]')?.textContent === words,
        {},
        NOT_A_SHELF_URL,
      );
      expect(t.companion.lists.all()).toHaveLength(0);

      await page.$eval('input[name="url"]', (input) => {
        (input as HTMLInputElement).value = '';
      });
      await page.type('::-p-aria(Shelf page URL)', 'https://www.goodreads.com/review/list/2001-reader?shelf=to-read');
      await page.type('::-p-aria(Name \\(optional\\))', 'My to-read');
      await page.click('::-p-aria(Watch shelf[role="button"])');
      await page.waitForSelector('::-p-aria(Check My to-read now)');
      const [list] = t.companion.lists.all();
      if (!list) throw new Error('Expected a watched shelf');
      expect(list).toMatchObject({ site: 'goodreads', user: '2001', shelf: 'to-read', paused: false });
      // The first check (the baseline, in the background) is picked up by the view without a reload.
      await page.waitForFunction(
        () => document.querySelector('.list-row')?.textContent?.includes('on the shelf when watching began'),
        { timeout: 15_000 },
      );
      expect(await rowText(page, '.list-row', 'My to-read')).toMatch(/Goodreads · Watching/);

      sites.state.add('goodreads', '2001', 'to-read', { id: '18423', title: wanted.title, author: wanted.author });
      sites.state.add('goodreads', '2001', 'to-read', { id: '999001', title: missing, author: 'Nobody Atall' });
      await page.click('::-p-aria(Check My to-read now)');
      await page.waitForSelector(`::-p-aria(Search for ${missing})`, { timeout: 30_000 });
      const row = (await rowText(page, '.list-row', 'My to-read')) ?? '';
      expect(row).toContain(`Queued: ${wanted.title} — ${wanted.author}`);
      expect(row).toContain(`No good match: ${missing} — Nobody Atall`);
      expect(row).toMatch(/1 queued, 1 without a good match so far/);
      expect(t.companion.store.get(wanted.md5)).toBeTruthy();
      expect(await page.$$eval('.list-row b, .list-row img', (nodes) => nodes.length)).toBe(0);
      const searchQuery = t.companion.lists
        .runs(list.id)[0]
        ?.entries.find((e) => e.outcome === 'no-match')?.searchQuery;
      expect(searchQuery).toBeTruthy();
      const href = await page.$eval(`::-p-aria(Search for ${missing})`, (a) => (a as HTMLAnchorElement).href);
      expect(new URL(href).pathname).toBe('/');
      expect(new URL(href).searchParams.get('q')).toBe(searchQuery);

      await page.click('::-p-aria(Pause My to-read)');
      await waitFor(() => t.companion.lists.get(list.id)?.paused === true, 'the shelf paused');
      await page.waitForSelector('::-p-aria(Resume My to-read)');
      expect(await rowText(page, '.list-row', 'My to-read')).toMatch(/Goodreads · Paused/);

      // One click on the no-match entry's search: the search view with the query filled in.
      await page.click(`::-p-aria(Search for ${missing})`);
      await page.waitForFunction(
        (q) => (document.querySelector('#search-q') as HTMLInputElement | null)?.value === q,
        {},
        searchQuery,
      );

      await page.goto(`${base}/#lists`, { waitUntil: 'load' });
      await page.locator('::-p-aria(Remove My to-read)').click();
      // A confirm step: Keep leaves the shelf watched.
      await page.locator('::-p-aria(Keep My to-read)').click();
      expect(t.companion.lists.get(list.id)).toBeTruthy();
      await page.locator('::-p-aria(Remove My to-read)').click();
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Yes, remove My to-read');
      await page.locator('::-p-aria(Yes, remove My to-read)').click();
      await waitFor(() => t.companion.lists.get(list.id) === undefined, 'the shelf removed');
      await page.waitForSelector('.lists .empty');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      server.close();
      await t.close();
      await sites.close();
    }
  });

  it('passes axe-core, has 44 px touch targets on a phone, and is photographed light and dark', async () => {
    // Its own world: a tidy catalogue for the README's pictures.
    const shelf = await startWorld({
      countdownSeconds: 0,
      books: [
        { title: 'Pride and Prejudice', author: 'Jane Austen', year: '1813', sizeBytes: 61_440 },
        { title: 'Moby-Dick; or, The Whale', author: 'Herman Melville', year: '1851', sizeBytes: 786_432 },
        { title: 'Jane Eyre', author: 'Charlotte Brontë', year: '1847', sizeBytes: 512_000 },
        { title: 'Great Expectations', author: 'Charles Dickens', year: '1861', sizeBytes: 640_000 },
        { title: 'Middlemarch', author: 'George Eliot', year: '1871', format: 'azw3', sizeBytes: 1_200_000 },
        { title: 'The Odyssey', author: 'Homer', year: '1900', format: 'mobi', sizeBytes: 420_000 },
      ],
    });
    const t = await startTestCompanion(shelf, { start: false });
    const { server, base } = await listen(t);
    const [, queued, failed] = shelf.books;
    if (!queued || !failed) throw new Error('Expected the world to have two books');
    t.companion.store.enqueue({ id: queued.md5, title: queued.title, author: queued.author, format: queued.format });
    t.companion.store.enqueue({ id: failed.md5, title: failed.title, author: failed.author, format: failed.format });
    t.companion.store.cancel(failed.md5);
    // Lists: a paused shelf the companion reads, and a StoryGraph shelf the extension read, with an entry no book fits.
    const goodreads = parseShelfUrl('https://www.goodreads.com/review/list/3001?shelf=to-read');
    const storygraph = parseShelfUrl('https://app.thestorygraph.com/to-read/reader');
    if (!goodreads || !storygraph) throw new Error('Expected shelf URLs');
    const paused = t.companion.lists.add(goodreads, { title: 'Classics', token: null, queueExisting: false }).list;
    t.companion.lists.update(paused.id, { paused: true });
    const read = t.companion.lists.add(storygraph, { title: 'StoryGraph to-read', token: null, queueExisting: true });
    const posted = await t.companion.app.request(`/api/lists/${read.list.id}/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entries: [{ key: 'storygraph:x1', title: 'A Book Nobody Wrote', authors: ['Nobody'] }] }),
    });
    expect(posted.status).toBe(200);
    mkdirSync(screenshotDir, { recursive: true });
    const pages: Page[] = [];
    try {
      for (const [device, viewport] of [
        ['desktop', { width: 1280, height: 900 }],
        ['phone', { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
      ] as const) {
        // A page per device: changing to a mobile viewport later would reload the page.
        const page = await chromium.browser.newPage();
        pages.push(page);
        await page.setViewport(viewport);
        // axe is injected as a script tag, which the page's CSP would refuse.
        await page.setBypassCSP(true);
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
          for (const view of ['queue', 'settings', 'lists', 'search'] as const) {
            // A full load each time (a hash-only change would keep the page).
            const query = view === 'search' ? `?q=e&shot=${device}-${scheme}` : `?shot=${device}-${scheme}-${view}`;
            // Covers of the captured rows point at hosts this machine cannot reach: do not wait for images.
            await page.goto(`${base}/${query}#${view}`, { waitUntil: 'domcontentloaded' });
            const ready = {
              search: '.result-card',
              queue: '.queue-row',
              settings: '.config-table',
              lists: '.run-entry',
            }[view];
            await page.waitForSelector(ready);
            expect(await axeViolations(page), `${view} ${device} ${scheme}`).toEqual([]);
            if (device === 'phone') expect(await smallTargets(page), `${view} ${scheme}`).toEqual([]);
          }
          await page.screenshot({
            path: path.join(screenshotDir, `web-ui-${device}-${scheme}.png`) as `${string}.png`,
          });
        }
      }
    } finally {
      for (const page of pages) await page.close();
      server.close();
      await t.close();
      await shelf.close();
    }
  });
});
