import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { LaunchOptions, WebWorker } from 'puppeteer';
import { chromeBuildDir, type LaunchedExtension, launchExtension, waitForExtensionApis } from './launch-extension.js';
import type { TestCompanion } from './test-companion.js';

/** The built extension in Chromium with extra launch options (e.g. a proxy in `args`). */
export function launchExtensionWith(
  options: LaunchOptions = {},
  dir: string = chromeBuildDir,
  timeoutMs = 15_000,
): Promise<LaunchedExtension> {
  return launchExtension(dir, timeoutMs, options);
}

/** The extension's running service worker (a fresh target after the worker was stopped and woke again). */
export async function findWorker(launched: LaunchedExtension, timeoutMs = 40_000): Promise<WebWorker> {
  const target = await launched.browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${launched.extensionId}/`),
    { timeout: timeoutMs },
  );
  return waitForExtensionApis(target, timeoutMs);
}

/** Points the extension at a companion the way the options page stores it (open mode on loopback: no token). */
export async function connectExtension(worker: WebWorker, url: string): Promise<void> {
  await worker.evaluate(async (companionUrl) => {
    const api = (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome;
    await api.storage.local.set({ connection: { url: companionUrl, token: null, deviceName: null, tokenId: null } });
  }, url);
}

/** Serves a test companion's app over real HTTP on loopback. */
export async function serveCompanion(t: TestCompanion, hostname = '127.0.0.1') {
  const server = serve({ fetch: t.companion.app.fetch, port: 0, hostname });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
