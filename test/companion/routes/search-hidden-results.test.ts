import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCompanionClient } from '../../../extension/lib/companion-client.js';
import { HIDDEN_BY_HEADER, HIDDEN_RESULTS_HEADER, readHiddenResults } from '../../../shared/api.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

describe('GET /api/search says what the default format/language filters hid', () => {
  let world: World;
  let t: TestCompanion;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    // The defaults of a new user: SUPPORTED_FORMATS without pdf, BOOK_LANGUAGE=en.
    t = await startTestCompanion(world, { start: false });
  });
  afterAll(async () => {
    await t.close();
    await world.close();
  });
  beforeEach(() => world.reset());

  const search = async (query: string, headers: Record<string, string> = {}) => {
    const res = await t.companion.app.request(`/api/search?${query}`, { headers });
    return {
      status: res.status,
      ids: ((await res.json()) as Array<{ id: string }>).map((book) => book.id),
      hidden: res.headers.get(HIDDEN_RESULTS_HEADER),
      hiddenBy: res.headers.get(HIDDEN_BY_HEADER),
      res,
    };
  };
  const book = (title: string) => {
    const found = world.books.find((b) => b.title === title);
    if (!found) throw new Error(`Expected ${title} in the world`);
    return found;
  };

  it('"Frankenstein" (only a PDF): [] plus X-Hidden-Results 1 by format; include_hidden=true shows it', async () => {
    const frankenstein = book('Frankenstein');
    expect(await search('query=Frankenstein')).toMatchObject({
      status: 200,
      ids: [],
      hidden: '1',
      hiddenBy: 'format=1,language=0',
    });
    expect(await search('query=Frankenstein&include_hidden=true')).toMatchObject({
      status: 200,
      ids: [frankenstein.md5],
      hidden: '0',
      hiddenBy: 'format=0,language=0',
    });
  });

  it('"Der Process" (German): hidden by language; an explicit lang still applies with include_hidden', async () => {
    const process = book('Der Process');
    expect(await search('query=Der%20Process')).toMatchObject({
      ids: [],
      hidden: '1',
      hiddenBy: 'format=0,language=1',
    });
    expect((await search('query=Der%20Process&include_hidden=true')).ids).toEqual([process.md5]);
    expect((await search('query=Der%20Process&include_hidden=true&lang=fr')).ids).toEqual([]);
    // Named filters are the user's choice: nothing counts as hidden then.
    expect(await search('query=Der%20Process&lang=de&format=epub')).toMatchObject({
      ids: [process.md5],
      hidden: '0',
    });
  });

  it('a query the defaults do not touch hides nothing; a bad include_hidden is a 400', async () => {
    const pride = book('Pride and Prejudice');
    expect(await search('query=Pride%20and%20Prejudice')).toMatchObject({ ids: [pride.md5], hidden: '0' });
    const bad = await t.companion.app.request('/api/search?query=x&include_hidden=maybe');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: expect.stringMatching(/include_hidden/) });
  });

  it('the extension can read both headers across origins (Access-Control-Expose-Headers)', async () => {
    const { res } = await search('query=Frankenstein', {
      origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    });
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining([HIDDEN_RESULTS_HEADER.toLowerCase(), HIDDEN_BY_HEADER.toLowerCase()]),
    );
    expect(readHiddenResults(res.headers)).toEqual({ total: 1, format: 1, language: 0 });
  });

  it('the extension’s companion client returns {results, hidden} and can ask for the hidden ones', async () => {
    const client = createCompanionClient({
      baseUrl: 'http://127.0.0.1:1',
      fetch: (input, init) => Promise.resolve(t.companion.app.fetch(new Request(input, init))),
    });
    const frankenstein = book('Frankenstein');
    expect(await client.search({ query: 'Frankenstein' })).toEqual({
      results: [],
      hidden: { total: 1, format: 1, language: 0 },
    });
    const shown = await client.search({ query: 'Frankenstein' }, undefined, { includeHidden: true });
    expect(shown.results.map((r) => r.id)).toEqual([frankenstein.md5]);
    expect(shown.hidden).toEqual({ total: 0, format: 0, language: 0 });
  });

  it('a libgen fallback (which ignores the defaults) counts nothing as hidden', async () => {
    const fallback = await startTestCompanion(world, {
      start: false,
      env: { LIBGEN_MIRROR_URLS: world.origins.libgen, AA_ADDITIONAL_URLS: '' },
    });
    for (const origin of ['aa', 'aa-mirror-0', 'aa-mirror-1'] as const) world.setReachable(origin, false);
    try {
      const res = await fallback.companion.app.request('/api/search?query=golang');
      expect(res.status).toBe(200);
      const results = (await res.json()) as Array<{ format?: string }>;
      expect(results.some((r) => r.format === 'pdf')).toBe(true);
      expect(res.headers.get(HIDDEN_RESULTS_HEADER)).toBe('0');
    } finally {
      for (const origin of ['aa', 'aa-mirror-0', 'aa-mirror-1'] as const) world.setReachable(origin, true);
      await fallback.close();
    }
  });
});
