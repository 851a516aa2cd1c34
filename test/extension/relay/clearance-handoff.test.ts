import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { PageState } from '../../../extension/background/check-page.js';
import { createClearanceHandoff } from '../../../extension/background/clearance-handoff.js';
import { clearanceSitesItem } from '../../../extension/background/clearance-sites.js';
import { watchClearanceCookies } from '../../../extension/background/clearance-watch.js';
import { createCompanionConnection } from '../../../extension/background/companion-connection.js';
import type { BrowserCookie, CookiesApi } from '../../../extension/lib/capture-clearance.js';
import { connectionItem } from '../../../extension/lib/settings.js';
import { clearanceRequestBody } from '../../../shared/relay-api.js';
import { IDENTITY_HEADER } from '../../../shared/version.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36';
const SITE_URL = 'https://annas-archive.org/slow_download/0123456789abcdef0123456789abcdef/0/2';
const ddosGuardPage = (captcha: boolean) =>
  `<html><head><title>DDoS-Guard</title></head><body data-ddg-origin="true"><div id="ddg-l10n-title">Checking your browser</div>
  <script src="/.well-known/ddos-guard/${captcha ? 'ddg-captcha-page' : 'js-challenge'}/index.js"></script>
  ${captcha ? '<div class="ddg-captcha__checkbox"></div>' : ''}</body></html>`;
const recordPage = '<html><head><title>Anna’s Archive</title></head><body><h1>Download</h1></body></html>';

/** The browser's jar for the site: empty until `pass()` (the check in the tab sets the clearance cookies). */
function fakeJar() {
  let cookies: BrowserCookie[] = [];
  const api: CookiesApi = { getAll: async () => cookies };
  const pass = () => {
    cookies = ['__ddg1_', '__ddgid_', 'aa_ddg_check'].map((name) => ({
      name,
      value: `${name}v`,
      domain: '.annas-archive.org',
      path: '/',
      secure: true,
      httpOnly: true,
    }));
  };
  return { api, pass };
}

/** The companion as the extension sees it over HTTP: records clearance posts, answers like the real route. */
function fakeCompanion() {
  const posts: unknown[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/api/clearance' && init?.method === 'POST') {
      const body = JSON.parse(String(init.body));
      posts.push(body);
      const ok = clearanceRequestBody.safeParse(body).success;
      return new Response(
        JSON.stringify(
          ok ? { status: 'stored', site: body.site, cookies: body.cookies.length, expiresAtMs: 1 } : { error: 'bad' },
        ),
        { status: ok ? 200 : 400, headers: { [IDENTITY_HEADER]: 'test', 'content-type': 'application/json' } },
      );
    }
    return new Response('{}', { status: 404, headers: { [IDENTITY_HEADER]: 'test' } });
  };
  return { posts, connection: createCompanionConnection({ fetch }) };
}

/** What the site answers the background's own quick look: the wall (a tab is needed) or the page. */
const siteFetch =
  (walled: boolean): typeof globalThis.fetch =>
  async () =>
    new Response(walled ? ddosGuardPage(false) : recordPage, {
      status: walled ? 403 : 200,
      headers: { 'content-type': 'text/html', server: walled ? 'ddos-guard' : 'nginx' },
    });

describe('clearance hand-off', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await connectionItem.setValue({ url: 'http://127.0.0.1:8084', token: null, deviceName: null, tokenId: null });
  });

  const api = (cookies: CookiesApi) => ({
    tabs: fakeBrowser.tabs,
    windows: fakeBrowser.windows,
    notifications: fakeBrowser.notifications,
    cookies,
  });

  it('passes a JS wall in an inactive tab, posts the cookies with the UA, and closes the tab', async () => {
    const jar = fakeJar();
    const companion = fakeCompanion();
    const pages: PageState[] = [
      { url: SITE_URL, title: 'DDoS-Guard', html: ddosGuardPage(false), readyState: 'complete' },
      { url: SITE_URL, title: 'Anna’s Archive', html: recordPage, readyState: 'complete' },
    ];
    const tabsBefore = (await fakeBrowser.tabs.query({})).length;
    const opened: { active: boolean | undefined }[] = [];
    fakeBrowser.tabs.onCreated.addListener((tab) => opened.push({ active: tab.active }));
    const handoff = createClearanceHandoff({
      connection: companion.connection,
      api: api(jar.api) as never,
      navigator: { userAgent: UA, languages: ['en-US'] },
      fetch: siteFetch(true),
      readPage: async () => {
        const page = pages.shift() ?? pages.at(-1);
        if (page?.html === recordPage) jar.pass();
        return page;
      },
      sleep: async () => {},
    });

    const stored = await handoff.answer({ site: 'annas-archive.org', url: SITE_URL });
    expect(stored).toMatchObject({ status: 'stored', site: 'annas-archive.org', cookies: 3 });
    expect(opened).toEqual([{ active: false }]);
    expect(await fakeBrowser.tabs.query({})).toHaveLength(tabsBefore);
    expect(companion.posts).toHaveLength(1);
    expect(companion.posts[0]).toMatchObject({ site: 'annas-archive.org', userAgent: UA, acceptLanguage: 'en-US' });
    expect(await clearanceSitesItem.getValue()).toEqual({ 'annas-archive.org': SITE_URL });
  });

  it('after a check that did not clear, the next poll opens no new tab until the wait is over', async () => {
    const jar = fakeJar();
    const companion = fakeCompanion();
    let clockMs = 1_000_000;
    const opened: number[] = [];
    fakeBrowser.tabs.onCreated.addListener((tab) => opened.push(tab.id ?? -1));
    const handoff = createClearanceHandoff({
      connection: companion.connection,
      api: api(jar.api) as never,
      navigator: { userAgent: UA },
      fetch: siteFetch(true),
      // The wall never clears; each look moves the clock past the check's time limit.
      readPage: async () => {
        clockMs += 30_000;
        return { url: SITE_URL, title: 'DDoS-Guard', html: ddosGuardPage(false), readyState: 'complete' };
      },
      sleep: async () => {},
      now: () => clockMs,
      timing: { checkTimeoutMs: 60_000, retryAfterFailureMs: 5 * 60_000 },
    });
    const ask = { site: 'annas-archive.org', url: SITE_URL };
    await expect(handoff.answer(ask)).rejects.toThrow(/did not clear/);
    expect(opened).toHaveLength(1);

    clockMs += 60_000;
    await expect(handoff.answer(ask)).rejects.toThrow(/next try is in 240 s/);
    expect(opened).toHaveLength(1);

    clockMs += 5 * 60_000;
    await expect(handoff.answer(ask)).rejects.toThrow(/did not clear/);
    expect(opened).toHaveLength(2);
    expect(companion.posts).toHaveLength(0);
  });

  it('raises a notification for a captcha, focuses the tab on click, and hands over once the person passed', async () => {
    const jar = fakeJar();
    const companion = fakeCompanion();
    let step = 0;
    let notificationsSeen: string[] = [];
    let focused = false;
    const update = vi.spyOn(fakeBrowser.tabs, 'update');
    const handoff = createClearanceHandoff({
      connection: companion.connection,
      api: api(jar.api) as never,
      navigator: { userAgent: UA },
      fetch: siteFetch(true),
      readPage: async (tabId) => {
        step++;
        if (step === 3) {
          notificationsSeen = Object.keys(await fakeBrowser.notifications.getAll());
          focused = await handoff.focusFromNotification(notificationsSeen[0] ?? '');
          expect(update).toHaveBeenCalledWith(tabId, { active: true });
        }
        if (step < 4) return { url: SITE_URL, title: 'DDoS-Guard', html: ddosGuardPage(true), readyState: 'complete' };
        jar.pass();
        return { url: SITE_URL, title: 'Anna’s Archive', html: recordPage, readyState: 'complete' };
      },
      sleep: async () => {},
    });

    await handoff.answer({ site: 'annas-archive.org', url: SITE_URL });
    expect(notificationsSeen).toHaveLength(1);
    expect(focused).toBe(true);
    expect(Object.keys(await fakeBrowser.notifications.getAll())).toEqual([]);
    expect(companion.posts).toHaveLength(1);
  });

  it('hands over at once, without a tab, when the browser’s session already passes', async () => {
    const jar = fakeJar();
    jar.pass();
    const companion = fakeCompanion();
    const readPage = vi.fn();
    const handoff = createClearanceHandoff({
      connection: companion.connection,
      api: api(jar.api) as never,
      navigator: { userAgent: UA },
      fetch: siteFetch(false),
      readPage,
      sleep: async () => {},
    });
    const [first, second] = await Promise.all([
      handoff.answer({ site: 'annas-archive.org', url: SITE_URL }),
      handoff.answer({ site: 'annas-archive.org', url: SITE_URL }),
    ]);
    expect(first).toEqual(second);
    expect(readPage).not.toHaveBeenCalled();
    expect(companion.posts).toHaveLength(1);
  });

  it('gives up on a wall that never clears, and still closes the tab', async () => {
    const tabsBefore = (await fakeBrowser.tabs.query({})).length;
    const handoff = createClearanceHandoff({
      connection: fakeCompanion().connection,
      api: api(fakeJar().api) as never,
      navigator: { userAgent: UA },
      fetch: siteFetch(true),
      readPage: async () => ({
        url: SITE_URL,
        title: 'DDoS-Guard',
        html: ddosGuardPage(false),
        readyState: 'complete',
      }),
      sleep: async () => {},
      timing: { checkTimeoutMs: 0 },
    });
    await expect(handoff.answer({ site: 'annas-archive.org', url: SITE_URL })).rejects.toThrow(/did not clear/);
    expect(await fakeBrowser.tabs.query({})).toHaveLength(tabsBefore);
  });
});

describe('watchClearanceCookies', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers();
    return () => vi.useRealTimers();
  });

  it('re-posts a watched site once per burst of clearance-cookie changes, and ignores other sites and cookies', async () => {
    await clearanceSitesItem.setValue({ 'annas-archive.org': SITE_URL });
    const listeners: ((change: { removed: boolean; cookie: { name: string; domain: string } }) => void)[] = [];
    const handOver = vi.fn(async () => undefined);
    const stop = watchClearanceCookies({
      handoff: { handOver },
      cookies: { onChanged: { addListener: (l: never) => listeners.push(l), removeListener: () => {} } } as never,
      debounceMs: 5_000,
    });
    const change = (name: string, domain: string, removed = false) => {
      for (const listener of listeners) listener({ removed, cookie: { name, domain } });
    };
    change('__ddgid_', '.annas-archive.org');
    await vi.advanceTimersByTimeAsync(1_000);
    change('cf_clearance', 'annas-archive.org');
    change('session', '.annas-archive.org');
    change('__ddgid_', '.example.org');
    change('__ddg1_', '.annas-archive.org', true);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(handOver).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(handOver).toHaveBeenCalledTimes(1);
    expect(handOver).toHaveBeenCalledWith('annas-archive.org', SITE_URL, undefined, { onlyIfChanged: true });
    stop();
  });
});
