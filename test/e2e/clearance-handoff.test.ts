import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/version.js';
import { type LaunchedExtension, repoRoot } from '../helpers/launch-extension.js';
import { connectExtension, findWorker, launchExtensionWith, serveCompanion } from '../helpers/relay-browser.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';

// Issue 12, test 1: no bypass of the companion's own (USE_CF_BYPASS=false), so only the extension can earn clearance.
describe('clearance hand-off: the extension passes the DDoS-Guard gate for the companion', () => {
  let world: World;
  let t: TestCompanion;
  let companion: Awaited<ReturnType<typeof serveCompanion>>;
  let launched: LaunchedExtension;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0, aaMirrorCount: 0, gates: { challengeDelayMs: 500 } });
    world.gates.protect({ origin: 'aa', pathPrefix: '/slow_download/', kind: 'ddos-guard' });
    t = await startTestCompanion(world, {
      env: { USE_CF_BYPASS: 'false', SOURCE_PRIORITY: 'aa-slow-nowait,aa-slow-wait', AA_ADDITIONAL_URLS: '' },
    });
    companion = await serveCompanion(t);
    launched = await launchExtensionWith();
    await connectExtension(await findWorker(launched), `http://127.0.0.1:${companion.port}`);
  });
  afterAll(async () => {
    await launched?.close();
    await companion?.close();
    await t?.close();
    await world?.close();
  });

  it('queue → gate → tab passes it → cookies + UA handed over → the companion downloads → file lands with its md5', async () => {
    const book = world.books[0];
    if (!book) throw new Error('Expected a default book');
    const browserUa = await launched.browser.userAgent();
    const startedAtMs = Date.now();
    const res = await fetch(`http://127.0.0.1:${companion.port}/api/download?id=${book.md5}`, {
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    expect(res.status).toBe(200);

    const done = await waitFor(
      () => {
        const item = t.companion.store.get(book.md5);
        if (item?.status === 'error') throw new Error(`The download failed: ${item.error ?? 'no reason'}`);
        return item?.status === 'available' ? item : undefined;
      },
      'the book placed in the ingest folder',
      60_000,
    );
    const elapsedMs = Date.now() - startedAtMs;
    console.info(`[bench] clearance hand-off path, queue → placed file: ${elapsedMs} ms`);

    // The file in the ingest folder is the book, byte for byte.
    const placed = readdirSync(t.ingestDir).filter((name) => !name.startsWith('.'));
    expect(placed).toHaveLength(1);
    const bytes = readFileSync(path.join(t.ingestDir, placed[0] as string));
    expect(createHash('md5').update(bytes).digest('hex')).toBe(book.md5);
    expect(done.downloadPath).toBe(path.join(t.ingestDir, placed[0] as string));

    // The browser passed the wall (in a tab of its own), then the companion's replay with the browser's UA passed.
    const gate = world.counters.records.filter((r) => r.origin === 'aa' && r.gate);
    expect(gate.some((r) => r.gate?.result === 'passed' && r.userAgent === browserUa)).toBe(true);
    const companionPassed = gate.filter(
      (r) => r.gate?.result === 'passed' && r.userAgent === browserUa && r.path.startsWith('/slow_download/'),
    );
    // Two passes at least: the browser's tab after its check, and the companion's own replay.
    expect(companionPassed.length).toBeGreaterThanOrEqual(2);
    const solved = world.counters.records.filter((r) => r.path.startsWith('/.well-known/ddos-guard/check'));
    expect(solved.length).toBeGreaterThanOrEqual(1);

    // What the companion keeps: the handed-over cookies came from the extension, and no value leaks in diagnostics.
    const diagnostics = (await (await fetch(`http://127.0.0.1:${companion.port}/api/clearance`)).json()) as {
      sites: { site: string; source?: string; cookieNames: string[] }[];
    };
    const site = diagnostics.sites.find((s) => s.site === '127.0.0.1');
    expect(site?.source).toBe('extension');
    expect(site?.cookieNames).toEqual(expect.arrayContaining(['__ddgid_', '__ddg1_']));
    expect(site?.cookieNames).not.toContain('__ddg9_');
    expect(JSON.stringify(diagnostics)).not.toMatch(/"value"/);

    // The tab the extension opened for the check is closed again.
    const pages = await launched.browser.pages();
    expect(pages.filter((p) => p.url().includes('/slow_download/'))).toEqual([]);
  });

  it('a check that needs a person: a notification, the person passes it in the tab, the book lands', async () => {
    world.gates.protect({ origin: 'aa', pathPrefix: '/slow_download/', kind: 'ddos-guard', interactive: true });
    world.gates.revokeAll();
    const book = world.books[1];
    if (!book) throw new Error('Expected a second default book');
    const startedAtMs = Date.now();
    await fetch(`http://127.0.0.1:${companion.port}/api/download?id=${book.md5}`, {
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });

    // The extension says so with a notification (it never clicks a captcha itself)…
    const worker = await findWorker(launched);
    const notification = await waitFor(
      () =>
        worker.evaluate(async () => {
          const api = (
            globalThis as unknown as {
              chrome: { notifications: { getAll(): Promise<Record<string, unknown>> } };
            }
          ).chrome;
          // Other notices (the first book's "In your library") may be showing too.
          return Object.keys(await api.notifications.getAll()).find((id) => id.startsWith('bookrelay-clearance:'));
        }),
      'a notification asking for the manual check',
      30_000,
    );
    expect(notification).toMatch(/^bookrelay-clearance:/);
    expect(t.companion.store.get(book.md5)?.status).not.toBe('available');

    // …and the person passes the check in the tab the extension opened.
    const tab = await waitFor(
      async () => (await launched.browser.pages()).find((p) => p.url().includes(`/slow_download/${book.md5}`)),
      'the check tab',
    );
    // (A click on the notification focuses this tab; headless Chromium shows no notification to click.)
    await tab.bringToFront();
    mkdirSync(path.join(repoRoot, 'test/artifacts/screenshots'), { recursive: true });
    await tab.screenshot({ path: path.join(repoRoot, 'test/artifacts/screenshots/manual-check-tab.png') });
    await tab.locator('::-p-aria([role="checkbox"])').setTimeout(10_000).click();

    await waitFor(
      () => {
        const item = t.companion.store.get(book.md5);
        if (item?.status === 'error') throw new Error(`The download failed: ${item.error ?? 'no reason'}`);
        return item?.status === 'available';
      },
      'the book placed after the manual check',
      60_000,
    );
    console.info(
      `[bench] clearance hand-off with a manual check (person clicks at once), queue → placed file: ${Date.now() - startedAtMs} ms`,
    );
    const placed = readdirSync(t.ingestDir).filter((name) => !name.startsWith('.'));
    const file = placed.find(
      (name) =>
        createHash('md5')
          .update(readFileSync(path.join(t.ingestDir, name)))
          .digest('hex') === book.md5,
    );
    expect(file).toBeDefined();
    // The check's notification is gone (the queue's own notices may stay) and the tab closed once it was passed.
    expect(
      await worker.evaluate(async () => {
        const api = (
          globalThis as unknown as { chrome: { notifications: { getAll(): Promise<Record<string, unknown>> } } }
        ).chrome;
        return Object.keys(await api.notifications.getAll()).filter((id) => id.startsWith('bookrelay-clearance:'));
      }),
    ).toEqual([]);
    expect((await launched.browser.pages()).some((p) => p.url().includes(`/slow_download/${book.md5}`))).toBe(false);
  });
});
