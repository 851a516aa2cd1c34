import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../../companion/logger.js';
import type { CompanionEvent } from '../../../shared/events.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../../helpers/test-companion.js';
import type { WorldBook } from '../../world/catalogue.js';
import type { RequestRecord } from '../../world/counters.js';
import { startWorld, type World } from '../../world/start-world.js';
import { type IngestWatch, watchIngest } from './watch-ingest.js';

const md5Of = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');
const FILE_ORIGINS = new Set(['partner', 'libgen', 'zlib', 'welib', 'gated']);

interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

/** The companion's own logger (redaction included), its printed lines read back. */
function captureLogger(lines: LogLine[]): Logger {
  return createLogger({
    level: 'info',
    write: (line) => {
      const match = /^\S+ (\w+)\s+(.*?)(?: (\{.*\}))?$/.exec(line);
      if (!match) throw new Error(`Expected a log line, got ${line}`);
      lines.push({
        level: (match[1] as string).toLowerCase(),
        message: match[2] as string,
        fields: match[3] ? (JSON.parse(match[3]) as Record<string, unknown>) : {},
      });
    },
  });
}

/**
 * The path a download takes, not only its outcome: the exact Range offset of a resume, how many transfers were
 * made, what the status said on the way, and what the ingest folder saw (nothing until the bytes are verified).
 */
describe('the download path against the test world', () => {
  let world: World;
  let t: TestCompanion | undefined;
  let ingest: IngestWatch | undefined;
  let logs: LogLine[];
  let events: CompanionEvent[];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
  });
  afterAll(async () => {
    await world.close();
  });
  beforeEach(() => {
    world.reset();
    logs = [];
    events = [];
  });
  afterEach(async () => {
    ingest?.close();
    ingest = undefined;
    world.faults.clear();
    await t?.close();
    t = undefined;
  });

  const start = async (env: Record<string, string> = {}) => {
    t = await startTestCompanion(world, { env, logger: captureLogger(logs) });
    ingest = watchIngest(t.ingestDir);
    t.companion.bus.subscribe((event) => {
      events.push(event);
    });
    return t;
  };
  const item = (id: string) => t?.companion.store.get(id);
  /** Waits for the item to finish either way, then expects the given outcome (a wrong one fails at once). */
  const settled = async (id: string, status: 'available' | 'error') => {
    const done = await waitFor(
      () => (['available', 'error'].includes(item(id)?.status ?? '') ? item(id) : undefined),
      'the download to end',
      45_000,
    );
    expect({ status: done.status, error: done.error }).toMatchObject({ status });
    return done;
  };
  const biggest = () => [...world.books].sort((a, b) => b.sizeBytes - a.sizeBytes)[0] as WorldBook;
  /** Requests for the book's file itself (not AA's or libgen's pages about it). */
  const transfers = (md5: string): RequestRecord[] =>
    world.counters.records.filter(
      (r) =>
        FILE_ORIGINS.has(r.origin) &&
        r.md5 === md5 &&
        r.method === 'GET' &&
        /\/(file|get|dl)|\.[a-z0-9]+$/.test(r.path),
    );
  /** Everything the ingest folder saw, once every earlier change has been delivered. */
  const ingestEvents = async () => {
    await ingest?.settle();
    return ingest?.events ?? [];
  };

  /** What a user watching `/api/events` saw for one book: attempt, source, message and bytes, in order. */
  const views = (id: string) => {
    const seen: { attempt: number; source: string | null; message: string | null; bytesDone: number }[] = [];
    let last = { attempt: 0, source: null as string | null, message: null as string | null, bytesDone: 0 };
    for (const event of events) {
      if (event.type === 'item' && event.item.id === id && event.item.status === 'downloading') {
        last = {
          attempt: event.item.attempt ?? 0,
          source: event.item.source,
          message: event.item.statusMessage,
          bytesDone: event.item.bytesDone,
        };
      } else if (event.type === 'progress' && event.id === id) last = { ...last, bytesDone: event.bytesDone };
      else continue;
      seen.push(last);
    }
    return seen;
  };
  /** Within one attempt the bytes shown only grow. */
  const expectNoBackwardsProgress = (id: string) => {
    const seen = views(id);
    for (let i = 1; i < seen.length; i++) {
      const [before, after] = [seen[i - 1], seen[i]] as [(typeof seen)[0], (typeof seen)[0]];
      if (after.attempt === before.attempt) expect(after.bytesDone).toBeGreaterThanOrEqual(before.bytesDone);
      else expect(after.attempt).toBe(before.attempt + 1);
    }
  };
  const warnings = () => logs.filter((line) => line.level === 'warn' && /md5/i.test(line.message));

  it('resumes a dropped transfer at exactly the byte the file on disk ends at, with no second full transfer', async () => {
    await start();
    const book = biggest();
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'drop-after', bytes: 100_000 }, { once: true });
    await t?.companion.app.request(`/api/download?id=${book.md5}`);
    const done = await settled(book.md5, 'available');

    const [dropped, resumed, ...more] = transfers(book.md5);
    expect(more).toEqual([]);
    expect(dropped).toMatchObject({ status: 200, completed: false, bytesSent: 100_000 });
    expect(dropped?.range).toBeUndefined();
    expect(resumed?.range).toBe(`bytes=${dropped?.bytesSent}-`);
    expect(resumed).toMatchObject({ status: 206, completed: true, bytesSent: book.sizeBytes - 100_000 });
    expect(md5Of(done.downloadPath as string)).toBe(book.md5);
    expect(done).toMatchObject({ attempt: 2, maxAttempts: 10 });
    expect(done.source).toMatch(/^Anna's Archive slow partner #\d+$/);

    // The user saw the second attempt announced, from the same source, and progress that never ran backwards.
    const seen = views(book.md5);
    expect(seen.map((v) => v.message)).toContain(`Downloading from ${done.source} (attempt 2 of 10)`);
    expect(seen.find((v) => v.attempt === 2)?.source).toBe(done.source);
    expectNoBackwardsProgress(book.md5);
    // A resume starts from the bytes it continues with: the bar did not fall back to 0 either.
    const secondAttempt = seen.filter((v) => v.attempt === 2 && v.bytesDone > 0);
    expect(secondAttempt[0]?.bytesDone).toBe(100_000);

    const inIngest = await ingestEvents();
    expect(inIngest.length).toBeGreaterThan(0);
    expect(inIngest.every((e) => e.md5 === book.md5)).toBe(true);
  });

  it('restarts the staging file (truncated, not appended to) when the server ignores Range', async () => {
    await start();
    const book = biggest();
    // The newest fault wins: the first request drops after 100,000 bytes, the resume is answered 200 from byte 0.
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'ignore-range' }, { once: true });
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'drop-after', bytes: 100_000 }, { once: true });
    await t?.companion.app.request(`/api/download?id=${book.md5}`);
    const done = await settled(book.md5, 'available');

    const [dropped, ignored, ...more] = transfers(book.md5);
    expect(more).toEqual([]);
    expect(dropped).toMatchObject({ completed: false, bytesSent: 100_000 });
    expect(ignored).toMatchObject({ range: 'bytes=100000-', fault: 'ignore-range', status: 200, completed: true });
    expect(ignored?.bytesSent).toBe(book.sizeBytes);
    expect(md5Of(done.downloadPath as string)).toBe(book.md5);
    expect(done.attempt).toBe(2);
    expect(warnings()).toEqual([]);
    expectNoBackwardsProgress(book.md5);
    expect((await ingestEvents()).every((e) => e.md5 === book.md5)).toBe(true);
  });

  it('stops when two sources serve the same wrong file: error, one warning per file, nothing placed', async () => {
    await start();
    const book = world.books[1] as WorldBook;
    for (const origin of ['partner', 'libgen', 'zlib', 'welib'] as const) {
      world.faults.set({ origin, md5: book.md5 }, { kind: 'wrong-bytes' });
    }
    await t?.companion.app.request(`/api/download?id=${book.md5}`);
    const failed = await settled(book.md5, 'error');

    const served = transfers(book.md5).filter((r) => r.fault === 'wrong-bytes');
    expect(served).toHaveLength(2);
    expect(transfers(book.md5)).toHaveLength(2);
    const wrongMd5 = /md5 ([0-9a-f]{32}) from/.exec(failed.error ?? '')?.[1];
    expect(failed.error).toMatch(
      new RegExp(
        `^Every source serves a different file than Anna's Archive lists \\(md5 ${wrongMd5} from .+, listed ${book.md5}\\)`,
      ),
    );
    expect(wrongMd5).not.toBe(book.md5);
    expect(failed.attempt).toBe(2);

    // Each rejected file is a warning naming its source and both digests.
    const lines = warnings();
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line.fields).toMatchObject({ id: book.md5, expectedMd5: book.md5, actualMd5: wrongMd5 });
      expect(line.fields.source).toMatch(/^Anna's Archive slow partner #\d+$/);
      // A link may carry a key (the fast API's): the line names the source, never its URL.
      expect(JSON.stringify(line)).not.toMatch(/https?:\/\//);
    }
    expect(lines[0]?.fields.source).not.toBe(lines[1]?.fields.source);
    // …and the reason was in the item's status while it ran.
    expect(views(book.md5).map((v) => v.message)).toContain(
      `${lines[0]?.fields.source} served a different file (md5 ${wrongMd5}, expected ${book.md5})`,
    );

    expect(await ingestEvents()).toEqual([]);
    expect(readdirSync(t?.ingestDir as string)).toEqual([]);
    expect(readdirSync(path.join(t?.dataDir as string, 'staging'))).toEqual([]);
  });

  it('tries the next source after a different wrong file, and finishes with the right one', async () => {
    await start();
    const book = world.books[1] as WorldBook;
    // Newest first: the first transfer gets variant 1, the second variant 2 (another wrong md5), the third the book.
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'wrong-bytes', variant: 2 }, { once: true });
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'wrong-bytes', variant: 1 }, { once: true });
    await t?.companion.app.request(`/api/download?id=${book.md5}`);
    const done = await settled(book.md5, 'available');

    expect(transfers(book.md5).map((r) => r.fault ?? 'none')).toEqual(['wrong-bytes', 'wrong-bytes', 'none']);
    expect(md5Of(done.downloadPath as string)).toBe(book.md5);
    expect(done.attempt).toBe(3);
    const lines = warnings();
    expect(lines).toHaveLength(2);
    expect(lines[0]?.fields.actualMd5).not.toBe(lines[1]?.fields.actualMd5);
    expectNoBackwardsProgress(book.md5);
    const inIngest = await ingestEvents();
    expect(inIngest.length).toBeGreaterThan(0);
    expect(inIngest.every((e) => e.md5 === book.md5)).toBe(true);
  });

  it('bounds the transfers of one item by MAX_RETRY and shows the bound in the status', async () => {
    await start({ MAX_RETRY: '3' });
    const book = world.books[1] as WorldBook;
    // Every transfer a different wrong file: only the bound stops it.
    for (let variant = 1; variant <= 6; variant++) {
      world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'wrong-bytes', variant }, { once: true });
    }
    await t?.companion.app.request(`/api/download?id=${book.md5}`);
    const failed = await settled(book.md5, 'error');

    expect(transfers(book.md5)).toHaveLength(3);
    expect(failed).toMatchObject({ attempt: 3, maxAttempts: 3 });
    expect(failed.error).toMatch(/^Gave up after 3 download attempts \(MAX_RETRY\)\. Last: .+ served a different file/);
    const messages = views(book.md5).map((v) => v.message ?? '');
    for (const n of [1, 2, 3]) expect(messages.some((m) => m.endsWith(`(attempt ${n} of 3)`))).toBe(true);
    expect(warnings()).toHaveLength(3);
    expect(await ingestEvents()).toEqual([]);
    expect(readdirSync(path.join(t?.dataDir as string, 'staging'))).toEqual([]);
  });

  it('keeps counting attempts when the runner tries the item again (a stalled transfer)', async () => {
    await start({ STALL_TIMEOUT: '5' });
    const book = world.books[1] as WorldBook;
    // Newest first: a wrong file, then a transfer whose headers never come (the watchdog aborts it), then the book.
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'slow', headerDelayMs: 60_000 }, { once: true });
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'wrong-bytes' }, { once: true });
    await t?.companion.app.request(`/api/download?id=${book.md5}`);
    const done = await settled(book.md5, 'available');
    expect(done).toMatchObject({ attempts: 2, attempt: 3, maxAttempts: 10 });
    expect(views(book.md5).map((v) => v.message)).toContain(`Downloading from ${done.source} (attempt 3 of 10)`);
    expect(md5Of(done.downloadPath as string)).toBe(book.md5);
  }, 60_000);

  it('/api/status and /api/events name the same source, attempt included in the queue view', async () => {
    await start();
    const book = biggest();
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'slow', bytesPerSecond: 400_000 });
    await t?.companion.app.request(`/api/download?id=${book.md5}`);
    const running = await waitFor(() => {
      const current = item(book.md5);
      return current?.status === 'downloading' && current.bytesDone > 0 ? current : undefined;
    }, 'bytes arriving');
    const status = (await (await t?.companion.app.request('/api/status'))?.json()) as Record<
      string,
      Record<string, { source: string | null }>
    >;
    const lastEvent = events.findLast((e) => e.type === 'item' && e.item.id === book.md5);
    const source = lastEvent?.type === 'item' ? lastEvent.item.source : undefined;
    expect(source).toMatch(/^Anna's Archive slow partner #\d+$/);
    expect(status.downloading?.[book.md5]?.source).toBe(source);
    expect(running.source).toBe(source);

    const listed = (await (await t?.companion.app.request('/api/queue/items'))?.json()) as {
      items: { id: string; attempt?: number; maxAttempts?: number | null; source: string | null }[];
    };
    expect(listed.items.find((i) => i.id === book.md5)).toMatchObject({ attempt: 1, maxAttempts: 10, source });
  });
});
