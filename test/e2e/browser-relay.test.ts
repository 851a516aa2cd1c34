import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_PATHS } from '../../shared/relay-api.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/version.js';
import { startHttpProxy } from '../helpers/http-proxy-server.js';
import type { LaunchedExtension } from '../helpers/launch-extension.js';
import { connectExtension, findWorker, launchExtensionWith, serveCompanion } from '../helpers/relay-browser.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../helpers/test-companion.js';
import type { WorldBook as Book } from '../world/catalogue.js';
import { startWorld, type World } from '../world/start-world.js';

// Issue 12, tests 2 and 3. The partner's files sit behind DDoS-Guard bound to the User-Agent AND the address; the
// browser reaches every loopback server through a forward proxy whose outgoing connections bind 127.0.0.2, while the
// companion leaves from 127.0.0.1 — as a laptop and a home server leave the internet from different addresses.
describe('browser download relay: the browser fetches what the companion may not', () => {
  let world: World;
  let t: TestCompanion;
  let companion: Awaited<ReturnType<typeof serveCompanion>>;
  let proxy: Awaited<ReturnType<typeof startHttpProxy>>;
  let launched: LaunchedExtension;
  let base: string;

  beforeAll(async () => {
    world = await startWorld({
      countdownSeconds: 0,
      aaMirrorCount: 0,
      gates: { challengeDelayMs: 500, bindIp: true },
    });
    world.gates.protect({ origin: 'partner', pathPrefix: '/file/', kind: 'ddos-guard' });
    t = await startTestCompanion(world, {
      env: { USE_CF_BYPASS: 'false', SOURCE_PRIORITY: 'aa-slow-nowait,aa-slow-wait', AA_ADDITIONAL_URLS: '' },
    });
    companion = await serveCompanion(t);
    base = `http://127.0.0.1:${companion.port}`;
    proxy = await startHttpProxy({}, { localAddress: '127.0.0.2' });
    launched = await launchExtensionWith({
      // `<-loopback>` removes Chromium's implicit proxy bypass for loopback, so the world sees the browser at .2.
      args: [`--proxy-server=${proxy.url}`, '--proxy-bypass-list=<-loopback>'],
    });
    const worker = await findWorker(launched);
    if (process.env.RELAY_DEBUG) {
      worker.on('console', (m) => console.log('[worker]', m.text()));
      launched.browser.on('targetcreated', async (target) => {
        if (target.type() !== 'service_worker') return;
        (await target.worker())?.on('console', (m) => console.log('[worker*]', m.text()));
      });
    }
    await connectExtension(worker, base);
  });
  afterAll(async () => {
    await launched?.close();
    await proxy?.close();
    await companion?.close();
    await t?.close();
    await world?.close();
  });

  const enqueue = async (book: Book) => {
    const res = await fetch(`${base}/api/download?id=${book.md5}`, {
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    expect(res.status).toBe(200);
  };
  const waitAvailable = (book: Book, timeoutMs = 75_000) =>
    waitFor(
      () => {
        const item = t.companion.store.get(book.md5);
        if (item?.status === 'error') throw new Error(`The download failed: ${item.error ?? 'no reason'}`);
        return item?.status === 'available' ? item : undefined;
      },
      `${book.title} placed in the ingest folder (last seen: ${JSON.stringify(t.companion.store.get(book.md5))})`,
      timeoutMs,
    );
  const placedMd5 = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');
  /** Bytes the companion holds for a relay job (`GET /api/jobs/:id/file`). */
  const storedOffset = async (book: Book) => {
    const res = await fetch(`${base}${RELAY_PATHS.jobFile(book.md5)}`, {
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    return res.ok ? ((await res.json()) as { offset: number }).offset : 0;
  };
  const partnerFileRecords = (book: Book) =>
    world.counters.records.filter((r) => r.origin === 'partner' && r.md5 === book.md5 && r.path.startsWith('/file/'));

  it('the companion’s replay is refused, the job goes to the relay, the browser downloads and uploads, the file lands', async () => {
    const book = world.books[0] as Book;
    const startedAtMs = Date.now();
    await enqueue(book);
    const done = await waitAvailable(book).catch((err) => {
      if (process.env.RELAY_DEBUG) {
        console.log(JSON.stringify(t.companion.store.get(book.md5)));
        console.log(
          world.counters.records
            .map((r) => `${r.origin} ${r.method} ${r.path} ${r.clientIp} ${r.status} ${r.gate?.result ?? ''}`)
            .join('\n'),
        );
        console.log(proxy.targets.slice(0, 40).join('\n'));
      }
      throw err;
    });
    console.info(
      `[bench] browser relay path (IP-bound clearance), queue → placed file: ${Date.now() - startedAtMs} ms`,
    );

    expect(placedMd5(done.downloadPath as string)).toBe(book.md5);
    const records = partnerFileRecords(book);
    // The companion (127.0.0.1) was refused with the handed-over clearance; the browser (127.0.0.2) got the file.
    expect(records.some((r) => r.clientIp === '127.0.0.1' && r.gate?.result === 'rejected')).toBe(true);
    expect(records.some((r) => r.clientIp === '127.0.0.2' && r.gate?.result === 'passed' && r.completed)).toBe(true);
    expect(records.some((r) => r.clientIp === '127.0.0.1' && r.gate?.result === 'passed')).toBe(false);
    // The check tab downloaded the file once the wall let it through; that copy is cancelled, removed and forgotten.
    await waitFor(async () => (await downloadsKept(launched)).length === 0, 'no download kept', 10_000);
  });

  it('an upload cut in the middle (dropped connection, then a browser restart) resumes from the stored offset', async () => {
    const book = world.addBook({
      title: 'Relay Resume Test',
      author: 'Bookrelay',
      format: 'epub',
      sizeBytes: 7 * 2 ** 20,
    });
    world.setThroughput('partner', 1_500_000);
    try {
      const startedAtMs = Date.now();
      await enqueue(book);
      // Part of the file is stored: cut every connection the browser has open (to the source and the companion).
      await waitFor(async () => (await storedOffset(book)) > 0, 'a first stored chunk', 60_000);
      proxy.dropConnections();
      const afterDrop = await storedOffset(book);
      await waitFor(async () => (await storedOffset(book)) > afterDrop, 'more bytes after the drop', 30_000);

      // Then the browser goes away mid-transfer (service worker and all) and a new one starts with the extension.
      await launched.close();
      const stored = await storedOffset(book);
      expect(stored).toBeGreaterThan(0);
      launched = await launchExtensionWith({
        args: [`--proxy-server=${proxy.url}`, '--proxy-bypass-list=<-loopback>'],
      });
      await connectExtension(await findWorker(launched), base);

      const done = await waitAvailable(book);
      console.info(
        `[bench] browser relay, 7 MiB at 1.5 MB/s with a dropped connection and a browser restart, queue → placed file: ${Date.now() - startedAtMs} ms`,
      );
      expect(placedMd5(done.downloadPath as string)).toBe(book.md5);

      // Resumed, never restarted from zero: the source was asked for the rest with Range from stored offsets.
      const ranges = partnerFileRecords(book)
        .filter((r) => r.clientIp === '127.0.0.2' && r.range)
        .map((r) => Number(/^bytes=(\d+)-/.exec(r.range ?? '')?.[1]));
      expect(ranges).toContain(stored);
      expect(ranges.length).toBeGreaterThanOrEqual(2);
      expect(Math.min(...ranges)).toBeGreaterThan(0);

      // The check tab the new browser needed did not leave a copy of the file in the user's downloads.
      await waitFor(async () => (await downloadsKept(launched)).length === 0, 'no download kept', 10_000);
    } finally {
      world.setThroughput('partner', undefined);
    }
  });

  it('a corrupt upload is refused: the job fails with the md5 reason and nothing reaches the ingest folder', async () => {
    const book = world.books[1] as Book;
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'wrong-bytes' });
    const placedBefore = readdirSync(t.ingestDir).sort();
    await enqueue(book);
    const failed = await waitFor(
      () => {
        const item = t.companion.store.get(book.md5);
        return item?.status === 'error' ? item : undefined;
      },
      'the relay job to fail',
      75_000,
    );
    expect(failed.error ?? '').toMatch(/md5/i);
    // The browser did fetch (and upload) the bytes: the refusal is the companion's md5 check, not a missing file.
    expect(partnerFileRecords(book).some((r) => r.clientIp === '127.0.0.2' && r.fault === 'wrong-bytes')).toBe(true);
    expect(readdirSync(t.ingestDir).sort()).toEqual(placedBefore);
    expect(failed.downloadPath && existsSync(failed.downloadPath)).toBeFalsy();
    expect(readdirSync(t.ingestDir).some((name) => name.includes(book.md5) || name.startsWith('.bookrelay-'))).toBe(
      false,
    );
  });
  it('a wall in front of the countdown page: the browser waits out the page itself, follows its link and uploads', async () => {
    world.gates.unprotect({ origin: 'partner' });
    world.gates.protect({ origin: 'aa', pathPrefix: '/slow_download/', kind: 'ddos-guard' });
    world.setCountdownSeconds(2);
    try {
      const book = world.books[2] as Book;
      const startedAtMs = Date.now();
      await enqueue(book);
      const done = await waitAvailable(book);
      console.info(
        `[bench] browser relay of a countdown page (2 s countdown, IP-bound wall), queue → placed file: ${Date.now() - startedAtMs} ms`,
      );
      expect(placedMd5(done.downloadPath as string)).toBe(book.md5);
      const pages = world.counters.records.filter(
        (r) => r.origin === 'aa' && r.path.startsWith(`/slow_download/${book.md5}`),
      );
      // The companion never got past the wall; the browser (127.0.0.2) did, and came back after the countdown.
      expect(pages.some((r) => r.clientIp === '127.0.0.1' && r.gate?.result === 'passed')).toBe(false);
      expect(
        pages.filter((r) => r.clientIp === '127.0.0.2' && r.gate?.result === 'passed').length,
      ).toBeGreaterThanOrEqual(2);
      expect(partnerFileRecords(book).some((r) => r.clientIp === '127.0.0.2' && r.completed)).toBe(true);
    } finally {
      world.setCountdownSeconds(0);
    }
  });
});

/** Downloads the browser still holds (history entries, complete or running): the check tabs must leave none. */
async function downloadsKept(launched: LaunchedExtension): Promise<{ state: string; exists: boolean }[]> {
  const worker = await findWorker(launched);
  return worker.evaluate(async () => {
    const api = (
      globalThis as unknown as {
        chrome: { downloads: { search(q: object): Promise<{ state: string; exists: boolean }[]> } };
      }
    ).chrome;
    return (await api.downloads.search({})).filter((d) => d.state !== 'interrupted');
  });
}
