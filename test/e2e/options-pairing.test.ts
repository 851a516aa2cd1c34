import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER } from '../../shared/version.js';
import { type LaunchedExtension, launchExtension, repoRoot } from '../helpers/launch-extension.js';
import { startTestCompanion, type TestCompanion } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';

const screenshotDir = path.join(repoRoot, 'test/artifacts/screenshots');

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  const closed = new Promise((resolve) => server.close(resolve));
  // Chromium keeps connections alive; without this the "stopped" companion would go on answering.
  server.closeAllConnections();
  await closed;
}

/** The connection panel's text (the options page's live status region). */
const statusText = (page: Page) => page.$eval('[role="status"]', (node) => node.textContent ?? '');

async function waitForStatus(page: Page, text: string): Promise<string> {
  try {
    await page.waitForFunction(
      (wanted) => document.querySelector('[role="status"]')?.textContent?.includes(wanted),
      { timeout: 15_000 },
      text,
    );
  } catch (err) {
    const body = await page.$eval('body', (node) => node.textContent);
    throw new Error(`Expected the connection panel to say "${text}", got page text:\n${body}`, { cause: err });
  }
  return statusText(page);
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

describe('options page: pairing and connection diagnostics (built extension, real companion)', () => {
  let world: World;
  let t: TestCompanion;
  let companionServer: Server;
  let companionUrl: string;
  let launched: LaunchedExtension;
  let page: Page;
  let userId: number;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { start: false });
    // A user turns auth on, so the extension needs a device token (loopback alone would leave the companion open).
    const created = await t.companion.users.create({ name: 'reader', password: 'a long enough password' });
    if (!created.ok) throw new Error('Expected to create the test user');
    userId = created.user.id;
    companionServer = serve({ fetch: t.companion.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await new Promise((resolve) => companionServer.once('listening', resolve));
    companionUrl = `http://127.0.0.1:${(companionServer.address() as AddressInfo).port}`;
    launched = await launchExtension();
    page = await launched.browser.newPage();
    await page.setViewport({ width: 900, height: 1000 });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    await page.goto(`chrome-extension://${launched.extensionId}/options.html`, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await launched?.close();
    if (companionServer?.listening) await stop(companionServer);
    await t?.close();
    await world?.close();
  });

  const storedConnection = async () => {
    const worker = await launched.serviceWorker.worker();
    return (await worker?.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<unknown> } } } })
        .chrome;
      return ((await api.storage.local.get('connection')) as { connection?: unknown }).connection;
    })) as { url: string; token: string | null; deviceName: string | null; tokenId: number | null } | undefined;
  };

  it('shows that the companion needs pairing, then pairs with a code read from the companion', async () => {
    await page.locator('::-p-aria([name="Companion URL"][role="textbox"])').fill(companionUrl);
    await page.locator('::-p-aria([name="Save and test"][role="button"])').click();
    expect(await waitForStatus(page, 'Not paired with a companion')).toContain('pair with a code');

    const { code } = t.companion.pairing.createCode({ userId });
    await page.locator('::-p-aria([name="Pairing code"][role="textbox"])').fill(code);
    const deviceName = await page.$eval(
      '::-p-aria([name="Device name"][role="textbox"])',
      (input) => (input as HTMLInputElement).value,
    );
    expect(deviceName).toMatch(/^\w[\w ]* on Linux$/);
    await page.locator('::-p-aria([name="Pair"][role="button"])').click();

    await page.locator(`::-p-text(Paired as ${deviceName})`).wait();
    expect(await waitForStatus(page, 'Connected')).toContain(companionUrl);
    const device = t.companion.tokens.list().find((token) => token.kind === 'device');
    expect(device).toMatchObject({ name: deviceName, userId });
    const stored = await storedConnection();
    expect(stored).toMatchObject({ url: companionUrl, deviceName, tokenId: device?.id });
    expect(stored?.token).toMatch(/^brt_/);
    expect(t.companion.tokens.verify(stored?.token as string)?.id).toBe(device?.id);

    // /api/ping through the extension now works with the stored token.
    const reply = await page.evaluate(() =>
      (
        globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
      ).chrome.runtime.sendMessage({ type: 'connection:test' }),
    );
    expect(reply).toMatchObject({ ok: true, value: { status: 'online', deviceName, error: null } });
    await screenshot(page, 'options-paired');
  });

  it('saves preferred formats and languages, and goes back to the companion defaults', async () => {
    await page.locator('::-p-aria([name="Preferred formats"][role="textbox"])').fill('EPUB, pdf');
    await page.locator('::-p-aria([name="Preferred languages"][role="textbox"])').fill('de en');
    await page.locator('::-p-aria([name="Save preferences"][role="button"])').click();
    await page.locator('::-p-text(Preferences saved.)').wait();
    const worker = await launched.serviceWorker.worker();
    const readPreferences = () =>
      worker?.evaluate(async () => {
        const api = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<unknown> } } } })
          .chrome;
        return ((await api.storage.local.get('preferences')) as { preferences?: unknown }).preferences;
      });
    expect(await readPreferences()).toEqual({ formats: ['epub', 'pdf'], languages: ['de', 'en'] });
    expect(
      await page.$eval('::-p-aria([name="Preferred formats"][role="textbox"])', (i) => (i as HTMLInputElement).value),
    ).toBe('epub, pdf');

    await page.locator('::-p-aria([name="Use companion defaults"][role="button"])').click();
    await page.locator('::-p-text(Using the companion’s defaults.)').wait();
    expect(await readPreferences()).toEqual({ formats: null, languages: null });
  });

  it('Unpair forgets the token and revokes it on the companion', async () => {
    const before = await storedConnection();
    await page.locator('::-p-aria([name="Unpair"][role="button"])').click();
    await page.locator('::-p-text(The companion revoked the token)').wait();
    expect(await waitForStatus(page, 'Not paired with a companion')).toContain('Not paired');
    expect(await storedConnection()).toMatchObject({ url: companionUrl, token: null, deviceName: null });
    expect(t.companion.tokens.list()).toEqual([]);
    expect(t.companion.tokens.verify(before?.token as string)).toBeUndefined();
    await screenshot(page, 'options-unpaired');
  });

  it('a wrong token says the companion refused this device and to pair again', async () => {
    const worker = await launched.serviceWorker.worker();
    await worker?.evaluate(
      (url) =>
        (
          globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } }
        ).chrome.storage.local.set({
          connection: { url, token: `brt_${'x'.repeat(43)}`, deviceName: 'Old laptop', tokenId: 99 },
        }),
      companionUrl,
    );
    await page.reload({ waitUntil: 'load' });
    const text = await waitForStatus(page, 'refused this device (401)');
    expect(text).toContain('pair again with a new code');
    await page.locator('::-p-aria([name="Pair again"][role="button"])').wait();
    await screenshot(page, 'options-wrong-token');
  });

  it('a stopped companion is reported as unreachable', async () => {
    await stop(companionServer);
    await page.locator('::-p-aria([name="Test connection"][role="button"])').click();
    const text = await waitForStatus(page, 'The companion is unreachable');
    expect(text).toContain('Check that it is running');
    await screenshot(page, 'options-offline');
  });

  it('a plain web server on the URL is "not a Bookrelay companion"', async () => {
    const other = createServer((_req, res) => res.end('<h1>My router</h1>'));
    const url = await listen(other);
    try {
      await page.locator('::-p-aria([name="Companion URL"][role="textbox"])').fill(url);
      await page.locator('::-p-aria([name="Save and test"][role="button"])').click();
      const text = await waitForStatus(page, 'it is not a Bookrelay companion');
      expect(text).toContain('Check the URL');
      await screenshot(page, 'options-not-bookrelay');
    } finally {
      await stop(other);
    }
  });

  it('a companion of another protocol version says to update one side', async () => {
    const newer = createServer((_req, res) => {
      res.writeHead(412, { 'content-type': 'application/json', [IDENTITY_HEADER]: '9.0.0' });
      res.end(
        JSON.stringify({ error: 'Protocol 1 is not supported; this companion speaks 2', code: 'protocol-mismatch' }),
      );
    });
    const url = await listen(newer);
    try {
      await page.locator('::-p-aria([name="Companion URL"][role="textbox"])').fill(url);
      await page.locator('::-p-aria([name="Save and test"][role="button"])').click();
      const text = await waitForStatus(page, 'different protocol versions');
      expect(text).toContain('Update one side');
      expect(text).toContain('this companion speaks 2');
      await screenshot(page, 'options-protocol-mismatch');
    } finally {
      await stop(newer);
    }
  });

  it('a companion origin the extension has no access to says so and offers to allow it', async () => {
    // As if the user had withdrawn run-time access in the browser: the URL is stored, the permission is not there.
    const worker = await launched.serviceWorker.worker();
    await worker?.evaluate(() =>
      (
        globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } }
      ).chrome.storage.local.set({
        connection: { url: 'http://bookrelay.test:8084', token: null, deviceName: null, tokenId: null },
      }),
    );
    await page.reload({ waitUntil: 'load' });
    await page.locator('::-p-text(Bookrelay has no access to http://bookrelay.test:8084)').wait();
    await page.locator('::-p-aria([name="Allow access"][role="button"])').wait();
    // The background names it too, instead of "unreachable".
    await waitForStatus(page, 'The extension may not talk to this companion yet');
    await screenshot(page, 'options-access-missing');
    expect(pageErrors).toEqual([]);
  });

  it('a new user pairs with the code the companion web UI shows', async () => {
    const server = serve({ fetch: t.companion.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const web = await launched.browser.newPage();
    try {
      await web.goto(`${url}/`, { waitUntil: 'load' });
      await web.locator('::-p-aria([name="User name"][role="textbox"])').fill('reader');
      await web.locator('::-p-aria([name="Password"])').fill('a long enough password');
      await web.locator('::-p-aria([name="Sign in"][role="button"])').click();
      // The pairing code lives under Settings → Get the extension.
      await web.locator('::-p-aria([name="Settings"][role="link"])').click();
      await web.locator('::-p-aria([name="Show a pairing code"][role="button"])').click();
      const shown = await web.waitForFunction(() =>
        // Shown as "ABCD-EFGH (valid until 23:41:07)".
        [...document.querySelectorAll('strong')]
          .map((node) => /^([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\b/.exec(node.textContent?.trim() ?? '')?.[1])
          .find(Boolean),
      );
      const code = (await shown.jsonValue()) as string;

      await page.bringToFront();
      await page.locator('::-p-aria([name="Companion URL"][role="textbox"])').fill(url);
      await page.locator('::-p-aria([name="Pairing code"][role="textbox"])').fill(code);
      await page.locator('::-p-aria([name="Pair"][role="button"])').click();
      await page.locator('::-p-text(Paired as Chromium on Linux)').wait();
      expect(await waitForStatus(page, 'Connected')).toContain(url);
      expect(t.companion.tokens.list()).toEqual([
        expect.objectContaining({ kind: 'device', name: 'Chromium on Linux', userId }),
      ]);
    } finally {
      await web.close();
      await stop(server);
    }
  });
});
