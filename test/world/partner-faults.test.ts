import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, type World, type WorldBook } from './index.js';

let world: World;
let book: WorldBook;
let fileUrl: string;

beforeAll(async () => {
  world = await startWorld();
  const first = world.books[1];
  if (!first) throw new Error('Expected a default book');
  book = first;
  fileUrl = `${world.origins.partner}/file/${book.md5}/token/name.${book.format}`;
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const md5Of = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

async function fetchBytes(url: string, headers: Record<string, string> = {}) {
  const res = await request(url, { headers });
  return { status: res.statusCode, headers: res.headers, bytes: Buffer.from(await res.body.arrayBuffer()) };
}

describe('partner file server', () => {
  it('serves the whole file with Content-Length and Accept-Ranges, also under <md5>.<ext> paths', async () => {
    const whole = await fetchBytes(fileUrl);
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-type']).toBe('application/epub+zip');
    expect(md5Of(whole.bytes)).toBe(book.md5);
    expect(whole.bytes.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    expect(whole.bytes.subarray(30, 58).toString('latin1')).toBe('mimetypeapplication/epub+zip');
    const other = await fetchBytes(`${world.origins.partner}/d3/y/1790000000/x/${book.md5}.${book.format}`);
    expect(md5Of(other.bytes)).toBe(book.md5);
    expect((await fetchBytes(`${world.origins.partner}/file/${'a'.repeat(32)}/t/x.epub`)).status).toBe(404);
  });

  it('answers Range requests with 206, suffix ranges, If-Range and 416', async () => {
    const full = world.bookBytes(book.md5);
    const middle = await fetchBytes(fileUrl, { range: 'bytes=1000-1999' });
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 1000-1999/${book.sizeBytes}`);
    expect(middle.bytes.equals(full.subarray(1000, 2000))).toBe(true);

    const tail = await fetchBytes(fileUrl, { range: 'bytes=-500' });
    expect(tail.bytes.equals(full.subarray(full.length - 500))).toBe(true);
    const open = await fetchBytes(fileUrl, { range: `bytes=${book.sizeBytes - 10}-` });
    expect(open.bytes.equals(full.subarray(full.length - 10))).toBe(true);

    const staleValidator = await fetchBytes(fileUrl, { range: 'bytes=0-9', 'if-range': '"other"' });
    expect(staleValidator.status).toBe(200);
    expect(staleValidator.bytes.length).toBe(book.sizeBytes);

    const beyond = await fetchBytes(fileUrl, { range: `bytes=${book.sizeBytes}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${book.sizeBytes}`);
  });

  it('keeps large added books deterministic without caching them (streamed regeneration)', async () => {
    const big = world.addBook({ title: 'A Large Test Volume', format: 'pdf', sizeBytes: 12 * 1024 * 1024 });
    expect(world.books).toContain(big);
    const res = await fetchBytes(`${world.origins.partner}/file/${big.md5}/t/big.pdf`, {
      range: 'bytes=9000000-9000099',
    });
    expect(res.bytes.equals(world.bookBytes(big.md5).subarray(9_000_000, 9_000_100))).toBe(true);
    expect(res.bytes.length).toBe(100);
    expect(world.bookBytes(big.md5).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('answers HEAD without a body and survives clients that abort mid-body', async () => {
    const head = await request(fileUrl, { method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(book.sizeBytes);
    expect(await head.body.text()).toBe('');

    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'slow', bytesPerSecond: 100_000 }, { once: true });
    const controller = new AbortController();
    const slow = await request(fileUrl, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(slow.body.arrayBuffer()).rejects.toThrow();
    const after = await fetchBytes(fileUrl);
    expect(md5Of(after.bytes)).toBe(book.md5);
    expect(world.counters.count({ origin: 'partner', fault: 'slow', completed: false })).toBe(1);
  });

  it('lets a test wait for requests it did not await itself', async () => {
    const pending = fetchBytes(fileUrl);
    await world.counters.waitFor({ origin: 'partner', md5: book.md5, completed: true });
    expect((await pending).status).toBe(200);
    await expect(world.counters.waitFor({ origin: 'zlib' }, { timeoutMs: 50 })).rejects.toThrow(/within 50 ms, got 0/);
  });

  it('limits throughput per origin', async () => {
    world.setThroughput('partner', 400_000);
    try {
      const started = Date.now();
      const res = await fetchBytes(fileUrl, { range: 'bytes=0-199999' });
      expect(res.bytes.length).toBe(200_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    } finally {
      world.setThroughput('partner', undefined);
    }
  });
});

describe('faults', () => {
  it('drop-after sends N body bytes under the full Content-Length, then kills the socket', async () => {
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'drop-after', bytes: 100_000 }, { once: true });
    const res = await request(fileUrl);
    expect(res.statusCode).toBe(200);
    expect(Number(res.headers['content-length'])).toBe(book.sizeBytes);
    const received: Buffer[] = [];
    await expect(
      (async () => {
        for await (const chunk of res.body) received.push(chunk as Buffer);
      })(),
    ).rejects.toThrow();
    const got = Buffer.concat(received);
    expect(got.length).toBe(100_000);
    expect(got.equals(world.bookBytes(book.md5).subarray(0, 100_000))).toBe(true);
    // once: the resumed request gets the rest.
    const rest = await fetchBytes(fileUrl, { range: 'bytes=100000-' });
    expect(md5Of(Buffer.concat([got, rest.bytes]))).toBe(book.md5);
    expect(world.counters.count({ origin: 'partner', fault: 'drop-after' })).toBe(1);
  });

  it('status 429 carries Retry-After, 503 the real nginx page, 403 an nginx-shaped page', async () => {
    world.faults.set({ origin: 'partner' }, { kind: 'status', status: 429, retryAfterSeconds: 7, once: true });
    const limited = await fetchBytes(fileUrl);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');

    world.faults.set({ origin: 'libgen', path: '/ads.php' }, { kind: 'status', status: 503 }, { times: 2 });
    for (let i = 0; i < 2; i++) {
      const down = await fetchBytes(`${world.origins.libgen}/ads.php?md5=${book.md5}`);
      expect(down.status).toBe(503);
      expect(down.bytes.toString()).toContain('<title>503 Service Temporarily Unavailable</title>');
    }
    expect((await fetchBytes(`${world.origins.libgen}/ads.php?md5=${book.md5}`)).status).toBe(200);

    const handle = world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'status', status: 403 });
    expect((await fetchBytes(fileUrl)).status).toBe(403);
    expect((await fetchBytes(fileUrl)).status).toBe(403);
    expect(handle.hits).toBe(2);
    handle.remove();
    expect((await fetchBytes(fileUrl)).status).toBe(200);
  });

  it('html-instead answers 200 text/html with a real page', async () => {
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'html-instead', once: true });
    const res = await fetchBytes(fileUrl);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.bytes.toString()).toContain('Anna’s Archive');
  });

  it('wrong-bytes keeps length and magic but not the md5', async () => {
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'wrong-bytes', once: true });
    const res = await fetchBytes(fileUrl);
    expect(res.status).toBe(200);
    expect(res.bytes.length).toBe(book.sizeBytes);
    expect(res.bytes.subarray(0, 16).equals(world.bookBytes(book.md5).subarray(0, 16))).toBe(true);
    expect(md5Of(res.bytes)).not.toBe(book.md5);
  });

  it('wrong-bytes variants: the same variant is the same wrong file, another variant another one', async () => {
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'wrong-bytes', variant: 7 }, { times: 2 });
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'wrong-bytes', variant: 9 }, { once: true });
    const [nine, sevenA, sevenB] = [await fetchBytes(fileUrl), await fetchBytes(fileUrl), await fetchBytes(fileUrl)];
    expect(md5Of(sevenA.bytes)).toBe(md5Of(sevenB.bytes));
    expect(md5Of(nine.bytes)).not.toBe(md5Of(sevenA.bytes));
    expect(new Set([md5Of(nine.bytes), md5Of(sevenA.bytes)]).has(book.md5)).toBe(false);
  });

  it('ignore-range answers a Range request with 200 and the whole file, and records the Range it ignored', async () => {
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'ignore-range', once: true });
    const ignored = await fetchBytes(fileUrl, { range: 'bytes=1000-' });
    expect(ignored.status).toBe(200);
    expect(ignored.headers['content-range']).toBeUndefined();
    expect(md5Of(ignored.bytes)).toBe(book.md5);
    expect(world.counters.records.at(-1)).toMatchObject({ range: 'bytes=1000-', fault: 'ignore-range', status: 200 });
    expect((await fetchBytes(fileUrl, { range: 'bytes=1000-' })).status).toBe(206);
  });

  it('slow throttles the body and can delay the headers', async () => {
    world.faults.set(
      { origin: 'partner', md5: book.md5 },
      { kind: 'slow', bytesPerSecond: 200_000, headerDelayMs: 200 },
      { once: true },
    );
    const started = Date.now();
    const res = await fetchBytes(fileUrl, { range: 'bytes=0-99999' });
    expect(res.bytes.length).toBe(100_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
  });

  it('dead refuses whole origins at connect and single paths at request time', async () => {
    const mirror = world.origins.aaMirrors[0];
    if (!mirror) throw new Error('Expected an AA mirror');
    world.faults.set({ origin: 'aa-mirror-0' }, { kind: 'dead' });
    await expect(request(`${mirror}/`)).rejects.toThrow();
    expect((await request(`${world.origins.aaMirrors[1]}/`)).statusCode).toBe(200);

    world.faults.set({ origin: 'partner', path: '/file/' }, { kind: 'dead', once: true });
    await expect(request(fileUrl)).rejects.toThrow();
    expect((await fetchBytes(fileUrl)).status).toBe(200);
    expect(world.counters.count({ fault: 'dead' })).toBe(2);

    world.faults.clear({ origin: 'aa-mirror-0' });
    expect((await request(`${mirror}/`)).statusCode).toBe(200);
  });

  it('setReachable(false) makes an origin refuse connections until it is reachable again', async () => {
    const mirror = world.origins.aaMirrors[1];
    if (!mirror) throw new Error('Expected a second AA mirror');
    await world.setReachable('aa-mirror-1', false);
    try {
      await expect(request(`${mirror}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await world.setReachable('aa-mirror-1', true);
    }
    const res = await request(`${mirror}/`);
    await res.body.dump();
    expect(res.statusCode).toBe(200);
  });
});
