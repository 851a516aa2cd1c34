import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ListRun, ListView } from '../../../shared/lists-api.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../../helpers/test-companion.js';
import { type ShelfSites, shelfEnv, startShelfSites } from '../../world/shelf-sites.js';
import { startWorld, type World } from '../../world/start-world.js';

const md5Of = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');
const filesIn = (dir: string) => readdirSync(dir).map((name) => path.join(dir, name));

describe('watched shelves: the companion reads Goodreads RSS, Open Library JSON and Hardcover GraphQL', () => {
  let world: World;
  let sites: ShelfSites;
  let tc: TestCompanion;
  const HARDCOVER_TOKEN = 'hc-secret-token-0123456789';
  const logs: string[] = [];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    sites = await startShelfSites({ hardcoverToken: HARDCOVER_TOKEN });
    const record = (level: string) => (message: string, fields?: Record<string, unknown>) =>
      logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    tc = await startTestCompanion(world, {
      env: shelfEnv(sites),
      logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    });
  });
  afterAll(async () => {
    await tc?.close();
    await sites?.close();
    await world?.close();
  });
  afterEach(() => world.reset());

  const api = async <T>(method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await tc.companion.app.request(url, {
      method,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      headers: { 'content-type': 'application/json' },
    });
    return { status: res.status, json: (await res.json()) as T };
  };
  const watch = async (body: Record<string, unknown>) => {
    const res = await api<ListView>('POST', '/api/lists', body);
    expect(res.status).toBe(201);
    // The first check (the baseline) runs in the background after the answer.
    await waitFor(() => tc.companion.lists.get(res.json.id)?.lastCheckedAtMs, 'the baseline check');
    return res.json;
  };
  const check = async (id: number) => {
    const res = await api<ListRun>('POST', `/api/lists/${id}/check`);
    expect(res.status).toBe(200);
    return res.json;
  };

  it('a book added to a watched Goodreads shelf is queued once and lands in the library; what was there is left', async () => {
    const newBook = world.addBook({
      title: 'The Dispossessed',
      author: 'Ursula K. Le Guin',
      format: 'epub',
      sizeBytes: 90_000,
    });
    sites.state.set('goodreads', '1001', 'to-read', [
      { id: '1885', title: 'Pride and Prejudice', author: 'Jane Austen' },
    ]);
    const list = await watch({ url: 'https://www.goodreads.com/review/list/1001-reader?shelf=to-read' });
    expect(list).toMatchObject({ site: 'goodreads', user: '1001', shelf: 'to-read', mode: 'companion', paused: false });
    const [baseline] = (await api<{ runs: ListRun[] }>('GET', `/api/lists/${list.id}/runs`)).json.runs;
    expect(baseline?.entries.map((e) => [e.title, e.outcome])).toEqual([['Pride and Prejudice', 'existing']]);
    expect(tc.companion.store.list()).toHaveLength(0);

    sites.state.add('goodreads', '1001', 'to-read', {
      id: '77',
      title: 'The Dispossessed',
      author: 'Ursula K. Le Guin',
    });
    const run = await check(list.id);
    expect(run.error).toBeNull();
    expect(run.entries).toEqual([
      expect.objectContaining({ key: 'goodreads:77', outcome: 'queued', md5: newBook.md5 }),
    ]);
    const placed = await waitFor(
      () => filesIn(tc.ingestDir).find((file) => md5Of(file) === newBook.md5),
      'the shelf book in the ingest folder',
      30_000,
    );
    expect(placed).toBeTruthy();
    expect(sites.requests.some((r) => r.line === 'GET /review/list_rss/1001?shelf=to-read')).toBe(true);

    const again = await check(list.id);
    expect(again.entries).toEqual([]);
    expect(tc.companion.store.list().filter((item) => item.id === newBook.md5)).toHaveLength(1);
    const view = (await api<{ lists: ListView[] }>('GET', '/api/lists')).json.lists.find((l) => l.id === list.id);
    expect(view).toMatchObject({ queuedCount: 1, noMatchCount: 0, lastError: null });
  });

  it('an entry with no good match is listed with a search, not guessed; a book already held is skipped', async () => {
    const held = world.addBook({
      title: 'Kindred',
      author: 'Octavia E. Butler',
      format: 'epub',
      sizeBytes: 80_000,
      isbn13: '9780807083697',
    });
    tc.companion.store.enqueue(
      { id: held.md5, title: held.title, author: held.author, format: 'epub', info: { 'ISBN-13': ['9780807083697'] } },
      0,
    );
    sites.state.set('goodreads', '1002', 'to-read', []);
    const list = await watch({ url: 'https://www.goodreads.com/review/list/1002?shelf=to-read' });
    // "Dune": the search finds only "Dune Messiah" by the same author — a different book, never a guess.
    world.addBook({ title: 'Dune Messiah', author: 'Frank Herbert', format: 'epub', sizeBytes: 95_000 });
    sites.state.add('goodreads', '1002', 'to-read', {
      id: '44767458',
      title: 'Dune (Dune, #1)',
      author: 'Frank Herbert',
    });
    sites.state.add('goodreads', '1002', 'to-read', {
      id: '60931',
      title: 'Kindred',
      author: 'Octavia E. Butler',
      isbn13: '9780807083697',
    });
    const queuedBefore = tc.companion.store.list().length;
    const run = await check(list.id);
    const byKey = Object.fromEntries(run.entries.map((e) => [e.key, e]));
    expect(byKey['goodreads:44767458']).toMatchObject({
      outcome: 'no-match',
      md5: null,
      searchQuery: 'Dune Frank Herbert',
    });
    expect(byKey['goodreads:44767458']?.detail).toMatch(/different book/);
    expect(byKey['goodreads:60931']).toMatchObject({ outcome: 'skipped', md5: held.md5 });
    expect(tc.companion.store.list()).toHaveLength(queuedBefore);
    // A no-match entry is remembered: the next check does not search for it again.
    expect((await check(list.id)).entries).toEqual([]);
  });

  it('Open Library reading-log JSON: a new work is queued', async () => {
    const book = world.addBook({
      title: 'Parable of the Sower',
      author: 'Octavia E. Butler',
      format: 'epub',
      sizeBytes: 70_000,
    });
    sites.state.set('openlibrary', 'reader_1', 'want-to-read', []);
    const list = await watch({ url: 'https://openlibrary.org/people/reader_1/books/want-to-read' });
    sites.state.add('openlibrary', 'reader_1', 'want-to-read', {
      id: 'OL59863W',
      title: 'Parable of the Sower',
      author: 'Octavia E. Butler',
    });
    const run = await check(list.id);
    expect(run.entries).toEqual([
      expect.objectContaining({ key: 'openlibrary:/works/OL59863W', outcome: 'queued', md5: book.md5 }),
    ]);
    expect(sites.requests.some((r) => r.line === 'GET /people/reader_1/books/want-to-read.json?page=1')).toBe(true);
  });

  it('Hardcover with the user token: the token is sent, stored, never shown or logged; a bad token is a check error', async () => {
    const book = world.addBook({
      title: 'Piranesi',
      author: 'Susanna Clarke',
      format: 'epub',
      sizeBytes: 75_000,
      isbn13: '9781635575637',
    });
    sites.state.set('hardcover', 'reader', 'want-to-read', []);
    const list = await watch({ url: 'https://hardcover.app/@reader/books/want-to-read', token: HARDCOVER_TOKEN });
    expect(list).toMatchObject({ mode: 'companion', hasToken: true });
    expect(JSON.stringify(list)).not.toContain(HARDCOVER_TOKEN);
    sites.state.add('hardcover', 'reader', 'want-to-read', {
      id: '311',
      title: 'Piranesi',
      author: 'Susanna Clarke',
      isbn13: '9781635575637',
    });
    const run = await check(list.id);
    expect(run.entries).toEqual([expect.objectContaining({ outcome: 'queued', md5: book.md5 })]);
    expect(sites.requests.filter((r) => r.line === 'POST /v1/graphql').at(-1)?.authorization).toBe(
      `Bearer ${HARDCOVER_TOKEN}`,
    );

    const patched = await api<ListView>('PATCH', `/api/lists/${list.id}`, { token: 'wrong-token-value' });
    expect(patched.json.hasToken).toBe(true);
    const failed = await check(list.id);
    expect(failed.error).toMatch(/Hardcover refused the query/);
    expect(failed.error).not.toContain('wrong-token-value');
    const all =
      JSON.stringify((await api('GET', '/api/lists')).json) +
      JSON.stringify((await api('GET', `/api/lists/${list.id}/runs`)).json);
    expect(all).not.toContain(HARDCOVER_TOKEN);
    expect(all).not.toContain('wrong-token-value');
    expect(logs.join('\n')).not.toContain(HARDCOVER_TOKEN);
    expect(logs.join('\n')).not.toContain('wrong-token-value');
  });

  it('StoryGraph is read by the extension: check is refused, posted entries are queued; pause and remove work', async () => {
    const book = world.addBook({
      title: 'The Fifth Season',
      author: 'N. K. Jemisin',
      format: 'epub',
      sizeBytes: 88_000,
    });
    const created = await api<ListView>('POST', '/api/lists', {
      url: 'https://app.thestorygraph.com/to-read/reader',
      queueExisting: true,
    });
    expect(created.json).toMatchObject({ site: 'storygraph', mode: 'extension' });
    const id = created.json.id;
    expect((await api('POST', `/api/lists/${id}/check`)).status).toBe(409);
    const posted = await api<ListRun>('POST', `/api/lists/${id}/entries`, {
      entries: [{ key: 'storygraph:abc', title: 'The Fifth Season', authors: ['N. K. Jemisin'] }],
    });
    expect(posted.json.trigger).toBe('extension');
    expect(posted.json.entries).toEqual([expect.objectContaining({ outcome: 'queued', md5: book.md5 })]);
    // Posting the same entries again queues nothing.
    const again = await api<ListRun>('POST', `/api/lists/${id}/entries`, {
      entries: [{ key: 'storygraph:abc', title: 'The Fifth Season', authors: ['N. K. Jemisin'] }],
    });
    expect(again.json.entries).toEqual([]);
    // Watching the same shelf again answers the existing list.
    const twice = await api<ListView>('POST', '/api/lists', { url: 'https://app.thestorygraph.com/to-read/reader' });
    expect([twice.status, twice.json.id]).toEqual([200, id]);

    expect((await api<ListView>('PATCH', `/api/lists/${id}`, { paused: true })).json.paused).toBe(true);
    expect((await api('DELETE', `/api/lists/${id}`)).status).toBe(200);
    expect((await api('GET', `/api/lists/${id}/runs`)).status).toBe(404);
  });

  it('malformed requests are 400s with an error, unknown lists 404s', async () => {
    const cases: Array<[string, string, unknown, number]> = [
      ['POST', '/api/lists', { url: 'https://www.goodreads.com/book/show/1885' }, 400],
      ['POST', '/api/lists', { url: 'javascript:alert(1)' }, 400],
      ['POST', '/api/lists', '{not json', 400],
      ['POST', '/api/lists', { url: 42 }, 400],
      ['PATCH', '/api/lists/999999', { paused: true }, 404],
      ['PATCH', '/api/lists/abc', { paused: true }, 400],
      ['POST', '/api/lists/999999/entries', { entries: [] }, 404],
      ['DELETE', '/api/lists/999999', undefined, 404],
    ];
    for (const [method, url, body, status] of cases) {
      const res = await api<{ error?: string }>(method, url, body);
      expect([method, url, res.status]).toEqual([method, url, status]);
      expect(typeof res.json.error).toBe('string');
    }
    const created = await api<ListView>('POST', '/api/lists', { url: 'https://app.thestorygraph.com/to-read/other' });
    const bad = await api<{ error: string }>('POST', `/api/lists/${created.json.id}/entries`, {
      entries: [{ key: '', title: 'x', authors: [] }],
    });
    expect(bad.status).toBe(400);
  });
});
