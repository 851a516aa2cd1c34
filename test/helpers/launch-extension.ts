import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Target, WebWorker } from 'puppeteer';
import { type ChromiumLaunchOptions, type LaunchedChromium, launchChromium } from './launch-chromium.js';

/** Repository root, found from this file so tests work from any cwd. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where `wxt build` (Chrome MV3) and `wxt build -b firefox --mv3` write the unpacked extensions. */
export const chromeBuildDir = path.join(repoRoot, '.output/chrome-mv3');
export const firefoxBuildDir = path.join(repoRoot, '.output/firefox-mv3');

/** Throws (never skips) when a build is missing, naming the command that makes it. */
export function assertBuilt(dir: string): void {
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(
      `Expected the extension build at ${dir}, got nothing: run \`npm run build\` (or \`npm test\`, which builds first)`,
    );
  }
}

/**
 * The extension's service worker once its APIs are bound: the worker target can appear a moment before `chrome`
 * exists in it, and tests evaluate in it at once.
 */
export async function waitForExtensionApis(serviceWorker: Target, timeoutMs = 15_000): Promise<WebWorker> {
  const worker = await serviceWorker.worker();
  if (!worker) throw new Error('Expected the service worker to run, got no worker');
  const deadline = Date.now() + timeoutMs;
  const apisReady = () =>
    (globalThis as { chrome?: { storage?: { local?: unknown } } }).chrome?.storage?.local !== undefined;
  while (!(await worker.evaluate(apisReady).catch(() => false))) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the extension APIs in its service worker');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return worker;
}

export interface LaunchedExtension extends LaunchedChromium {
  extensionId: string;
  serviceWorker: Target;
}

/**
 * Launches Chromium with the unpacked extension and waits for its service worker.
 * Puppeteer does not await the install (toolchain.md P7), so readiness is the worker target appearing.
 */
export async function launchExtension(
  dir: string = chromeBuildDir,
  timeoutMs = 15_000,
  /** Extra launch options: host names mapped to local ports, a proxy in `args`, … */
  options: ChromiumLaunchOptions = {},
): Promise<LaunchedExtension> {
  assertBuilt(dir);
  // enableExtensions with paths only works over the pipe transport (toolchain.md P7).
  const launched = await launchChromium({ ...options, pipe: true, enableExtensions: [dir] });
  try {
    const serviceWorker = await launched.browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
      { timeout: timeoutMs },
    );
    // The id is derived from the unpacked path (toolchain.md P13), so it is read, not hard-coded.
    const extensionId = new URL(serviceWorker.url()).host;
    await waitForExtensionApis(serviceWorker, timeoutMs);
    return { ...launched, extensionId, serviceWorker };
  } catch (err) {
    await launched.close();
    throw err;
  }
}

/** Points the launched extension at the companion at `url`, unpaired (open mode), as the options page would store it. */
export async function connectExtension(launched: LaunchedExtension, url: string): Promise<void> {
  const worker = await launched.serviceWorker.worker();
  await worker?.evaluate(async (companionUrl: string) => {
    const api = (globalThis as unknown as { chrome: { storage: { local: { set(v: unknown): Promise<void> } } } })
      .chrome;
    await api.storage.local.set({
      connection: { url: companionUrl, token: null, deviceName: null, tokenId: null },
    });
  }, url);
}
