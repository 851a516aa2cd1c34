import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCompanionConnection } from '../../../extension/background/companion-connection.js';
import { createRelayDownload } from '../../../extension/background/relay-download.js';
import { connectionItem } from '../../../extension/lib/settings.js';
import type { RelayJob } from '../../../shared/relay-api.js';
import { IDENTITY_HEADER } from '../../../shared/version.js';

const FILE = new Uint8Array(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
const MD5 = createHash('md5').update(FILE).digest('hex');
const PAGE = `https://annas-archive.org/slow_download/${MD5}/0/2`;
const FILE_URL = 'https://partner.example/file/book.epub';

/** The companion's relay endpoints as the contract describes them: stored offset, chunks at it, md5 at the end. */
function fakeCompanion(expectedMd5 = MD5) {
  let stored = new Uint8Array(0);
  const ranges: string[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { [IDENTITY_HEADER]: 'test', 'content-type': 'application/json' },
    });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!url.pathname.endsWith('/file')) return json(404, { error: 'not found' });
    if ((init?.method ?? 'GET') === 'GET') return json(200, { offset: stored.length, total: null });
    const range = new Headers(init?.headers).get('content-range') ?? '';
    ranges.push(range);
    const [, start, end, total] = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range)?.map(Number) ?? [];
    const body = new Uint8Array(init?.body as ArrayBuffer);
    if (start !== stored.length) return json(409, { error: 'wrong offset', code: 'conflict', offset: stored.length });
    if (end === undefined || body.length !== end - (start ?? 0) + 1) return json(400, { error: 'bad length' });
    const next = new Uint8Array(stored.length + body.length);
    next.set(stored);
    next.set(body, stored.length);
    stored = next;
    const complete = stored.length === total;
    if (complete && createHash('md5').update(stored).digest('hex') !== expectedMd5) {
      return json(422, { error: `The browser's download has the wrong md5` });
    }
    return json(200, { offset: stored.length, total, complete });
  };
  return { fetch, ranges, stored: () => stored };
}

/** A partner server with Range support and a countdown page in front; `dropAt` breaks the first body there. */
function fakeSource({ waitSeconds = 0, dropAt }: { waitSeconds?: number; dropAt?: number } = {}) {
  const seen: string[] = [];
  let visits = 0;
  let dropped = false;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input);
    const range = new Headers(init?.headers).get('range');
    seen.push(`${url} ${range ?? ''}`.trim());
    if (url === PAGE) {
      visits++;
      const html =
        visits === 1 && waitSeconds > 0
          ? `<div>Please wait <span class="js-partner-countdown">${waitSeconds}</span> seconds</div>`
          : `<p><a href="${FILE_URL}">📚 Download now</a></p>`;
      return new Response(html, { headers: { 'content-type': 'text/html' } });
    }
    if (url !== FILE_URL) return new Response('not found', { status: 404 });
    const start = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1]) : 0;
    const rest = FILE.subarray(start);
    const cut = dropAt !== undefined && !dropped ? dropAt - start : undefined;
    if (cut !== undefined) dropped = true;
    // Pulled chunk by chunk, as bytes arrive from a network: what was read before the break stays read.
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (cut !== undefined && at >= cut) return controller.error(new TypeError('network error'));
        if (at >= rest.length) return controller.close();
        controller.enqueue(rest.subarray(at, at + 50_000));
        at += 50_000;
      },
    });
    return new Response(body, {
      status: range ? 206 : 200,
      headers: {
        'content-type': 'application/epub+zip',
        'content-length': String(rest.length),
        ...(range ? { 'content-range': `bytes ${start}-${FILE.length - 1}/${FILE.length}` } : {}),
      },
    });
  };
  return { fetch, seen };
}

const job = (kind: 'file' | 'countdown-page'): RelayJob => ({
  id: MD5,
  title: 'Test book',
  format: 'epub',
  expectedBytes: null,
  candidates: [
    { url: 'https://gone.example/file/x.epub', kind: 'file', label: 'Gone mirror', site: 'gone.example' },
    { url: kind === 'file' ? FILE_URL : PAGE, kind, label: 'Slow partner #2', site: 'annas-archive.org' },
  ],
  offset: 0,
  reason: 'refused replay',
  site: 'annas-archive.org',
  requestedAtMs: 0,
  expiresAtMs: Number.MAX_SAFE_INTEGER,
});

describe('relay download', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await connectionItem.setValue({ url: 'http://127.0.0.1:8084', token: null, deviceName: null, tokenId: null });
  });

  it('waits out the countdown page, follows its link, and uploads in Content-Range chunks to completion', async () => {
    const companion = fakeCompanion();
    const source = fakeSource({ waitSeconds: 5 });
    const waits: number[] = [];
    const relay = createRelayDownload({
      connection: createCompanionConnection({ fetch: companion.fetch }),
      fetch: source.fetch,
      sleep: async (ms) => {
        waits.push(ms);
      },
      chunkBytes: 100_000,
    });
    expect(await relay.relay(job('countdown-page'))).toEqual({ status: 'complete', bytes: FILE.length });
    expect(waits).toContain(5_500);
    expect(companion.ranges).toEqual([
      'bytes 0-99999/300000',
      'bytes 100000-199999/300000',
      'bytes 200000-299999/300000',
    ]);
    expect(createHash('md5').update(companion.stored()).digest('hex')).toBe(MD5);
  });

  it('resumes a broken download with Range from the companion’s stored offset', async () => {
    const companion = fakeCompanion();
    const source = fakeSource({ dropAt: 150_000 });
    const relay = createRelayDownload({
      connection: createCompanionConnection({ fetch: companion.fetch }),
      fetch: source.fetch,
      sleep: async () => {},
      chunkBytes: 100_000,
    });
    expect(await relay.relay(job('file'))).toMatchObject({ status: 'complete' });
    expect(source.seen.filter((s) => s.startsWith(FILE_URL))).toEqual([FILE_URL, `${FILE_URL} bytes=100000-`]);
    expect(createHash('md5').update(companion.stored()).digest('hex')).toBe(MD5);
  });

  it('reports the companion’s md5 refusal instead of retrying', async () => {
    const companion = fakeCompanion('0'.repeat(32));
    const relay = createRelayDownload({
      connection: createCompanionConnection({ fetch: companion.fetch }),
      fetch: fakeSource().fetch,
      sleep: async () => {},
    });
    const outcome = await relay.relay(job('file'));
    expect(outcome).toMatchObject({ status: 'refused', message: expect.stringMatching(/md5/) });
  });

  it('fails with the last reason when no candidate gives a file', async () => {
    const relay = createRelayDownload({
      connection: createCompanionConnection({ fetch: fakeCompanion().fetch }),
      fetch: async () =>
        new Response('<html><title>Gone</title></html>', { status: 404, headers: { 'content-type': 'text/html' } }),
      sleep: async () => {},
    });
    expect(await relay.relay(job('file'))).toMatchObject({ status: 'failed', message: expect.stringMatching(/404/) });
  });
});
