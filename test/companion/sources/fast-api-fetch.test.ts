import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isCompanionError, UpstreamHttpError } from '../../../companion/errors.js';
import { createHttpClient } from '../../../companion/net/create-http-client.js';
import type { HttpClient } from '../../../companion/net/http-client.js';
import { fetchFastDownloadUrl } from '../../../companion/sources/annas-archive/fetch-fast-download.js';
import { createHostParking, createMirrorPool, type HostParking } from '../../../companion/sources/mirrors.js';
import { type LocalServer, startLocalServer } from '../../helpers/net-test-server.js';
import { readFixture } from './read-fixture.js';

const KEY = 'member-secret-0123456789';
const MD5 = 'd6e1dc51a50726f00ec438af21952a45';

type Answer = { status: number; json?: unknown; html?: string; retryAfter?: string };
const answers = new Map<string, Answer>();
let first: LocalServer;
let second: LocalServer;
let client: HttpClient;
let parking: HostParking;

// AA's documentation key is part of every answer (allthethings/dyn/views.py).
const doc = {
  '///download_url': ['This API is intended as a stable JSON API for getting fast download files as a member.'],
};

function reply(name: string, res: ServerResponse) {
  const answer = answers.get(name) ?? { status: 500, html: 'unset' };
  res.statusCode = answer.status;
  if (answer.retryAfter) res.setHeader('retry-after', answer.retryAfter);
  if (answer.json !== undefined) {
    res.setHeader('content-type', 'text/json; charset=utf-8');
    return void res.end(JSON.stringify({ ...doc, ...(answer.json as object) }));
  }
  res.setHeader('content-type', 'text/html');
  res.end(answer.html ?? '');
}

beforeAll(async () => {
  first = await startLocalServer((_req, res) => reply('first', res));
  second = await startLocalServer((_req, res) => reply('second', res));
  client = createHttpClient();
});
afterAll(async () => {
  await client.close();
  await first.close();
  await second.close();
});
beforeEach(() => {
  answers.clear();
  first.requests.length = 0;
  second.requests.length = 0;
  parking = createHostParking();
});

function ask() {
  const pool = createMirrorPool({
    name: "Anna's Archive",
    urls: [second.origin],
    baseUrl: first.origin,
    client,
    parking,
  });
  return fetchFastDownloadUrl({ client, pool }, MD5, KEY);
}

describe('fetchFastDownloadUrl', () => {
  it('returns the download URL and the quota, sending md5 and key', async () => {
    answers.set('first', {
      status: 200,
      json: {
        download_url: 'https://fast.example/d1/abc/file.epub',
        account_fast_download_info: { downloads_left: 24, downloads_per_day: 25, recently_downloaded_md5s: [] },
      },
    });
    expect(await ask()).toEqual({ ok: true, url: 'https://fast.example/d1/abc/file.epub', downloadsLeft: 24 });
    expect(first.requests[0]?.url).toBe(`/dyn/api/fast_download.json?md5=${MD5}&key=${KEY}`);
  });

  it.each([
    [401, 'Invalid secret key', 'The Anna’s Archive member key was rejected (invalid secret key)', true],
    [403, 'Not a member', 'The Anna’s Archive account behind this key is not a member', true],
    [429, 'No downloads left', 'No fast downloads left today on this membership', true],
    [404, 'Record not found', 'Anna’s Archive has no record for this md5', false],
    [500, 'Error during fetching', 'Anna’s Archive failed while preparing the fast download', false],
  ])('maps AA’s %i "%s" to a reason without parking or failing over', async (status, error, reason, refused) => {
    answers.set('first', { status, json: { download_url: null, error } });
    expect(await ask()).toEqual({ ok: false, reason, ...(refused ? { refused: true } : {}) });
    expect(parking.parkedUntil(first.origin)).toBeUndefined();
    expect(second.requests).toHaveLength(0);
  });

  it('a 429 that is not AA’s JSON parks the mirror and asks the next one', async () => {
    answers.set('first', { status: 429, html: '<html><body>Too many requests</body></html>', retryAfter: '30' });
    answers.set('second', { status: 200, json: { download_url: 'https://fast.example/file.epub' } });
    expect(await ask()).toMatchObject({ ok: true, url: 'https://fast.example/file.epub' });
    expect(parking.parkedUntil(first.origin)).toBeGreaterThan(Date.now() + 25_000);
  });

  it('a mirror down with the real nginx 503 page fails over', async () => {
    answers.set('first', { status: 503, html: readFixture('real/libgen/libgen-mcp__libgen_503_error.html') });
    answers.set('second', { status: 200, json: { download_url: 'https://fast.example/file.epub' } });
    expect(await ask()).toMatchObject({ ok: true });
  });

  it('never lets the key out in errors, not even in their url field', async () => {
    answers.set('first', { status: 404, html: '<html><body>no API here</body></html>' });
    const err = await ask().catch((e: unknown) => e);
    expect(isCompanionError(err, UpstreamHttpError) && err.status).toBe(404);
    expect((err as UpstreamHttpError).message).not.toContain(KEY);
    expect((err as UpstreamHttpError).url).not.toContain(KEY);
    expect((err as UpstreamHttpError).url).toContain('key=***');
  });

  it('an HTML page where JSON was expected is a reason, not a crash', async () => {
    answers.set('first', { status: 200, html: '<html><body>Maintenance</body></html>' });
    expect(await ask()).toEqual({
      ok: false,
      reason: "Expected JSON from Anna's Archive's fast download API, got HTTP 200",
    });
  });
});
