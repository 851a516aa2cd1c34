import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCountdownPage } from '../../../companion/sources/annas-archive/parse-countdown-page.js';
import type { CompanionEvent } from '../../../shared/events.js';
import {
  type PendingClearance,
  pendingClearanceList,
  RELAY_CHUNK_BYTES,
  relayJobList,
} from '../../../shared/relay-api.js';
import { waitFor } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';
import { createBrowserLikeClient } from './browser-like-client.js';
import { type RestartableCompanion, startRestartableCompanion, uploadRest } from './relay-kit.js';

const md5Of = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
// No bypass of our own: what gets the book is the browser (here a client that plays it).
const ENV = { USE_CF_BYPASS: 'false', SOURCE_PRIORITY: 'aa-slow-nowait' };

describe('clearance requests and the browser relay against the DDoS-Guard gate', () => {
  let world: World;
  let h: RestartableCompanion;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0, gates: { challengeDelayMs: 50 } });
  });
  afterAll(async () => {
    await world.close();
  });
  beforeEach(async () => {
    world.reset();
    world.gates.unprotect();
    world.gates.configure({ bindIp: false, challengeDelayMs: 50 });
    h = await startRestartableCompanion(world, ENV);
  });
  afterEach(async () => {
    await h.close();
  });

  const request = (path: string, init?: RequestInit) => h.companion.app.request(path, init);
  const pending = async (): Promise<PendingClearance[]> =>
    pendingClearanceList.parse(await (await request('/api/clearance/requests')).json()).requests;
  const postClearance = (body: unknown) =>
    request('/api/clearance', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('with no extension connected the item waits on a pending request; a later POST /api/clearance resumes it', async () => {
    world.gates.protect({ origin: 'partner', pathPrefix: '/file/', kind: 'ddos-guard' });
    const book = world.books[0];
    if (!book) throw new Error('no book');
    expect(h.companion.bus.size).toBe(0);
    expect((await request(`/api/download?id=${book.md5}`)).status).toBe(200);

    // The alarm poll of an extension that was asleep when the request went out.
    const [asked] = await waitFor(async () => {
      const requests = await pending();
      return requests.length > 0 ? requests : undefined;
    }, 'a pending clearance request');
    expect(asked).toMatchObject({
      site: '127.0.0.1',
      needsHuman: false,
      challenge: 'ddos-guard-js',
      itemIds: [book.md5],
    });
    expect(new URL(asked?.url ?? '').origin).toBe(world.origins.partner);
    expect(asked?.expiresAtMs).toBeGreaterThan(asked?.requestedAtMs ?? Infinity);
    expect(h.companion.store.get(book.md5)).toMatchObject({
      status: 'downloading',
      statusMessage: 'Waiting for the browser extension to pass the check on 127.0.0.1',
      waiting: { kind: 'clearance', site: '127.0.0.1' },
    });

    // The browser passes the check and hands over its cookies and User-Agent.
    const browser = createBrowserLikeClient({ localAddress: '127.0.0.2' });
    try {
      await browser.passDdosGuard(asked?.url as string);
      const res = await postClearance({ site: asked?.url, cookies: browser.cookies(), userAgent: browser.userAgent });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'stored', site: '127.0.0.1' });
    } finally {
      await browser.close();
    }
    expect(await pending()).toEqual([]);

    const done = await waitFor(() => {
      const item = h.companion.store.get(book.md5);
      return item?.status === 'available' ? item : undefined;
    }, 'available');
    expect(md5Of(readFileSync(done.downloadPath as string))).toBe(book.md5);
    // The companion's own replay passed the gate (the clearance was not bound to an address).
    expect(world.counters.gate({ origin: 'partner' }).passed).toBeGreaterThan(0);
    expect(done.relay).toBeNull();
  });

  it('a captcha wall is listed as needing a person', async () => {
    world.gates.protect({ origin: 'partner', pathPrefix: '/file/', kind: 'ddos-guard', interactive: true });
    const events: CompanionEvent[] = [];
    h.companion.bus.subscribe((e) => events.push(e));
    const book = world.books[1];
    if (!book) throw new Error('no book');
    await request(`/api/download?id=${book.md5}`);
    const needed = await waitFor(
      () =>
        events.find((e): e is Extract<CompanionEvent, { type: 'clearance-needed' }> => e.type === 'clearance-needed'),
      'clearance-needed',
    );
    expect(needed.request).toMatchObject({ site: '127.0.0.1', needsHuman: true, challenge: 'ddos-guard-captcha' });
    expect((await pending())[0]).toMatchObject({ needsHuman: true, itemIds: [book.md5] });
    // The item tells the user it waits for them, not for the extension.
    expect(
      await waitFor(() => h.companion.store.get(book.md5)?.statusMessage?.startsWith('Waiting for you'), 'the status'),
    ).toBe(true);
    expect(h.companion.store.get(book.md5)?.statusMessage).toBe(
      'Waiting for you to pass the check on 127.0.0.1 in the browser (the extension opened it)',
    );
    expect((await request(`/api/download/${book.md5}/cancel`, { method: 'DELETE' })).status).toBe(200);
  });

  it('clearance bound to the browser address: the replay is refused, the job goes to the relay, the upload lands', async () => {
    world.gates.configure({ bindIp: true, challengeDelayMs: 50 });
    world.gates.protect({ origin: 'partner', pathPrefix: '/file/', kind: 'ddos-guard' });
    // AA's own IPFS gateway link would be a server path left: wall it too, so only the browser can get the file.
    world.gates.protect({ origin: 'aa', pathPrefix: '/ipfs_downloads/', kind: 'ddos-guard' });
    const events: CompanionEvent[] = [];
    h.companion.bus.subscribe((e) => events.push(e));
    const book = world.books[2];
    if (!book) throw new Error('no book');
    await request(`/api/download?id=${book.md5}`);
    const [asked] = await waitFor(async () => {
      const requests = await pending();
      return requests.length > 0 ? requests : undefined;
    }, 'a pending clearance request');

    // "The laptop" (127.0.0.2) passes the check; the companion (127.0.0.1) gets its cookies and UA.
    const browser = createBrowserLikeClient({ localAddress: '127.0.0.2' });
    try {
      await browser.passDdosGuard(asked?.url as string);
      expect(
        (await postClearance({ site: asked?.url, cookies: browser.cookies(), userAgent: browser.userAgent })).status,
      ).toBe(200);

      // The gate refuses the companion's replay from another address, so the job waits for the browser.
      const parked = await waitFor(() => h.companion.store.get(book.md5)?.relay, 'the job to go to the relay');
      expect(parked.reason).toContain('refused');
      expect(world.counters.gate({ origin: 'partner' }).rejected).toBeGreaterThan(0);
      expect(h.companion.store.get(book.md5)).toMatchObject({
        status: 'downloading',
        waiting: { kind: 'relay', site: '127.0.0.1' },
      });
      // The worker that handed the job over lets go of its slot (it finishes the hand-off first).
      await waitFor(() => h.companion.runner.activeIds().length === 0, 'the worker slot to be free');
      const [job] = relayJobList.parse(await (await request('/api/jobs/relay')).json()).jobs;
      expect(job).toMatchObject({ id: book.md5, offset: 0 });
      const relayNeeded = await waitFor(() => events.find((e) => e.type === 'relay-needed'), 'relay-needed');
      expect(relayNeeded).toMatchObject({ id: book.md5, url: job?.candidates[0]?.url });

      // The browser fetches the candidate with its own session and uploads it in chunks.
      const file = await browser.get(job?.candidates[0]?.url as string);
      expect(file.status).toBe(200);
      expect(md5Of(file.body)).toBe(book.md5);
      const last = await uploadRest(request, book.md5, file.body, Math.min(RELAY_CHUNK_BYTES, 512 * 1024));
      expect(await last.json()).toMatchObject({ complete: true });
    } finally {
      await browser.close();
    }
    const done = h.companion.store.get(book.md5);
    expect(done).toMatchObject({ status: 'available', source: 'browser relay' });
    expect(md5Of(readFileSync(done?.downloadPath as string))).toBe(book.md5);
    expect(readdirSync(h.stagingDir)).toEqual([]);
    expect(events.some((e) => e.type === 'progress' && e.id === book.md5)).toBe(true);
  });
  it("AA's countdown pages walled with IP-bound clearance: the pages themselves go to the relay, the browser follows them", async () => {
    world.gates.configure({ bindIp: true, challengeDelayMs: 50 });
    world.gates.protect({ origin: 'aa', pathPrefix: '/slow_download/', kind: 'ddos-guard' });
    world.gates.protect({ origin: 'aa', pathPrefix: '/ipfs_downloads/', kind: 'ddos-guard' });
    const book = world.books[3];
    if (!book) throw new Error('no book');
    await request(`/api/download?id=${book.md5}`);
    const [asked] = await waitFor(async () => {
      const requests = await pending();
      return requests.length > 0 ? requests : undefined;
    }, 'a pending clearance request');
    expect(new URL(asked?.url ?? '').pathname).toMatch(/^\/slow_download\//);
    // The wall is in front of a page the source loads, not the file: the item says what it waits for all the same.
    expect(h.companion.store.get(book.md5)).toMatchObject({
      statusMessage: 'Waiting for the browser extension to pass the check on 127.0.0.1',
      waiting: { kind: 'clearance', site: '127.0.0.1' },
    });
    expect(asked?.itemIds).toEqual([book.md5]);

    const browser = createBrowserLikeClient({ localAddress: '127.0.0.2' });
    try {
      await browser.passDdosGuard(asked?.url as string);
      const posted = { site: asked?.url, cookies: browser.cookies(), userAgent: browser.userAgent };
      expect((await postClearance(posted)).status).toBe(200);

      const parked = await waitFor(() => h.companion.store.get(book.md5)?.relay, 'the job to go to the relay');
      // Every partner page was offered to the browser; the extension's clearance was asked for once, not per page.
      expect(parked.candidates.length).toBeGreaterThan(1);
      expect(parked.candidates.every((c) => c.kind === 'countdown-page')).toBe(true);
      expect(await pending()).toEqual([]);

      // The browser loads the countdown page with its session, follows its link, uploads the file.
      const [first] = parked.candidates;
      const page = await browser.get(first?.url as string);
      expect(page.status).toBe(200);
      const parsed = parseCountdownPage(page.body.toString('utf8'), first?.url as string);
      if (!parsed.ok || parsed.value.kind !== 'link') throw new Error('Expected the countdown page to show its link');
      const file = await browser.get(parsed.value.url);
      expect(md5Of(file.body)).toBe(book.md5);
      const last = await uploadRest(request, book.md5, file.body, RELAY_CHUNK_BYTES);
      expect(await last.json()).toMatchObject({ complete: true });
    } finally {
      await browser.close();
    }
    expect(h.companion.store.get(book.md5)).toMatchObject({ status: 'available' });
  });
});
