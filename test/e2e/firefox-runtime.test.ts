import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser, ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, firefoxBuildDir } from '../helpers/launch-extension.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';

/** Debian's Firefox ESR unless FIREFOX_PATH says otherwise; tests never download a browser. */
const firefoxPath = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
// The built extension's default companion URL: WebDriver BiDi may not open moz-extension:// pages, so the test
// cannot set another URL through the options page and serves the companion where a fresh install looks for it.
const DEFAULT_COMPANION_PORT = 8084;
const AA_HOST = 'annas-archive.org';

const md5Of = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');

/** The text inside the extension's shadow roots on the page (BiDi's aria queries do not reach into them). */
const buttonsText = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('bookrelay-buttons')].map((host) => host.shadowRoot?.textContent ?? '').join('|'),
  );

describe('built Firefox MV3 extension in Firefox ESR', () => {
  let world: World;
  let companion: TestCompanion;
  let server: Server;
  let browser: Browser;
  let profile: string;

  beforeAll(async () => {
    if (!existsSync(firefoxPath)) {
      throw new Error(
        `Firefox not found at ${firefoxPath}: install Debian's "firefox-esr" (apt-get install -y firefox-esr) or set FIREFOX_PATH`,
      );
    }
    assertBuilt(firefoxBuildDir);
    world = await startWorld({ countdownSeconds: 0 });
    companion = await startTestCompanion(world);
    server = serve({
      fetch: companion.companion.app.fetch,
      port: DEFAULT_COMPANION_PORT,
      hostname: '127.0.0.1',
    }) as Server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', (err) =>
        reject(new Error(`Port ${DEFAULT_COMPANION_PORT} is taken (is a companion running?): ${err.message}`)),
      );
    });
    profile = mkdtempSync(path.join(tmpdir(), 'bookrelay-firefox-'));
    const { default: puppeteer } = await import('puppeteer');
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: firefoxPath,
      headless: true,
      userDataDir: profile,
      // Anna's Archive under its real name (the content script's match pattern), served by the world on loopback.
      extraPrefsFirefox: { 'network.dns.localDomains': AA_HOST },
    });
    await browser.installExtension(firefoxBuildDir);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    server?.close();
    await companion?.close();
    await world?.close();
    if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it("puts the buttons on an Anna's Archive record page and Send lands the book through the background", async () => {
    const book = world.books.find((b) => b.title === 'Pride and Prejudice');
    if (!book) throw new Error('Expected Pride and Prejudice in the world');
    const page = await browser.newPage();
    try {
      await page.goto(`http://${AA_HOST}:${new URL(world.origins.aa).port}/md5/${book.md5}`);
      await waitFor(async () => (await buttonsText(page)).includes('Send to library'), 'the buttons', 20_000);
      expect(await page.evaluate(() => document.querySelectorAll('bookrelay-buttons').length)).toBe(1);

      // The button by its role and accessible name, found inside the shadow root.
      const send = await page.waitForFunction(
        () =>
          [...document.querySelectorAll('bookrelay-buttons')]
            .flatMap((host) => [...(host.shadowRoot?.querySelectorAll('button') ?? [])])
            .find((button) => (button.getAttribute('aria-label') ?? button.textContent)?.trim() === 'Send to library'),
        { timeout: 10_000 },
      );
      // A keyboard user's activation (focus, Enter): puppeteer's pointer clicks miss elements inside shadow roots in
      // Firefox over WebDriver BiDi, keyboard input reaches them.
      await (send.asElement() as ElementHandle<HTMLElement> | null)?.focus();
      await page.keyboard.press('Enter');
      // Content script → background (an event page in Firefox) → companion → the file in the ingest folder.
      const placed = await waitFor(
        () => readdirSync(companion.ingestDir).find((name) => !name.startsWith('.')),
        'the book in the ingest folder',
        30_000,
      ).catch(async (err: Error) => {
        const queued = companion.companion.store.list().map((item) => `${item.id} ${item.status} ${item.error ?? ''}`);
        throw new Error(`${err.message}; the buttons say "${await buttonsText(page)}"; queue: [${queued.join(', ')}]`);
      });
      expect(md5Of(path.join(companion.ingestDir, placed))).toBe(book.md5);
      await waitFor(
        async () => (await buttonsText(page)).includes('In library'),
        'the button to say In library',
        30_000,
      );
    } finally {
      await page.close();
    }
  });
});
