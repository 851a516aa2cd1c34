import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskUrl } from '../../../companion/notify/mask-url.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../../helpers/test-companion.js';
import { type NotifyReceiver, startNotifyReceiver } from '../../world/notify-receiver.js';
import { startWorld, type World } from '../../world/start-world.js';

describe('notifications: a JSON webhook and ntfy hear of placed and failed books', () => {
  let world: World;
  let webhook: NotifyReceiver;
  let ntfy: NotifyReceiver;
  let tc: TestCompanion;
  const NTFY_TOKEN = 'tk_ntfy_secret_0123456789';
  const logs: string[] = [];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    // The webhook fails twice before it answers; ntfy answers at once.
    webhook = await startNotifyReceiver({ failFirst: 2 });
    ntfy = await startNotifyReceiver();
    const record = (level: string) => (message: string, fields?: Record<string, unknown>) =>
      logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    tc = await startTestCompanion(world, {
      env: {
        NOTIFY_WEBHOOK_URL: `${webhook.url.replace('http://', 'http://hookuser:hookpass@')}/hooks/secret-path-42`,
        NTFY_URL: `${ntfy.url}/bookrelay-secret-topic`,
        NTFY_TOKEN,
        MAX_RETRY: '0',
      },
      logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
      tuning: { notifyBackoffMs: 50 },
    });
  });
  afterAll(async () => {
    await tc?.close();
    await webhook?.close();
    await ntfy?.close();
    await world?.close();
  });

  it('a placed book is announced once to each target, the webhook retried with back-off until it answers', async () => {
    const [book] = world.books;
    if (!book) throw new Error('the world has no books');
    // The notifier listens on the event bus without counting as a connected extension (regression: it did, and
    // the companion then waited for an extension instead of using its own bypass).
    expect(tc.companion.bus.size).toBe(0);
    const res = await tc.companion.app.request(`/api/download?id=${book.md5}`);
    expect(res.status).toBe(200);
    await waitFor(() => webhook.accepted().length === 1, 'the webhook to accept', 30_000);
    await waitFor(() => ntfy.accepted().length === 1, 'ntfy to accept');

    expect(webhook.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    const hook = webhook.accepted()[0];
    expect(hook?.path).toBe('/hooks/secret-path-42');
    expect(hook?.headers['content-type']).toBe('application/json');
    expect(hook?.headers.authorization).toBe(`Basic ${Buffer.from('hookuser:hookpass').toString('base64')}`);
    expect(JSON.parse(hook?.body ?? '{}')).toEqual({
      app: 'bookrelay',
      event: 'placed',
      id: book.md5,
      title: book.title,
      author: book.author,
      format: book.format,
      error: null,
      atMs: expect.any(Number),
    });
    const note = ntfy.accepted()[0];
    expect(note?.path).toBe('/bookrelay-secret-topic');
    expect(note?.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
    expect(note?.headers.title).toBe('Bookrelay: book placed');
    expect(note?.body).toContain(book.title);
    // Nothing secret in what is sent: no token in the payloads, no download path or cookies.
    for (const r of [...webhook.requests, ...ntfy.requests]) {
      expect(r.body).not.toContain(NTFY_TOKEN);
      expect(r.body).not.toContain(tc.ingestDir);
      expect(r.headers.cookie).toBeUndefined();
    }
    // Later changes of the same item (it stays available) do not announce it again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(webhook.accepted()).toHaveLength(1);
    expect(ntfy.accepted()).toHaveLength(1);
  });

  it('a failed download is announced with its reason', async () => {
    // Every source serves the same wrong bytes for this book: it ends as an error, and nothing is placed.
    const book = world.books[1];
    if (!book) throw new Error('the world has no second book');
    for (const origin of ['partner', 'libgen', 'zlib', 'welib'] as const) {
      world.faults.set({ origin, md5: book.md5 }, { kind: 'wrong-bytes' });
    }
    await tc.companion.app.request(`/api/download?id=${book.md5}`);
    await waitFor(
      () => webhook.accepted().find((r) => (JSON.parse(r.body) as { event: string }).event === 'failed'),
      'the failure notice',
      30_000,
    );
    const failed = JSON.parse(webhook.accepted().at(-1)?.body ?? '{}') as { id: string; error: string };
    expect(failed.id).toBe(book.md5);
    // MAX_RETRY=0 allows one transfer: the reason names the wrong file it got.
    expect(failed.error).toMatch(/served a different file \(md5 [0-9a-f]{32}, expected [0-9a-f]{32}\)/);
    await waitFor(() => ntfy.accepted().some((r) => r.headers.title === 'Bookrelay: download failed'), 'ntfy failure');
  });

  it('logs never show the token, the credentials, the webhook path or the topic', async () => {
    const all = logs.join('\n');
    for (const secret of [NTFY_TOKEN, 'hookpass', 'hookuser', 'secret-path-42', 'bookrelay-secret-topic']) {
      expect(all).not.toContain(secret);
    }
    expect(maskUrl('https://user:pw@ntfy.example/topic?auth=x')).toBe('https://ntfy.example/***');
  });
});
