import browser from 'webextension-polyfill';
import { detectChallenge } from '../../shared/detect-challenge.js';
import {
  type ClearanceStoredResponse,
  clearanceStoredResponse,
  type PendingClearance,
  RELAY_PATHS,
} from '../../shared/relay-api.js';
import {
  type ClearanceBody,
  type CookiesApi,
  captureClearance,
  cookieDomainMatches,
  findCookieStoreId,
  type NavigatorLike,
  readSiteCookies,
} from '../lib/capture-clearance.js';
import { detectPageChallenge, needsHuman, type PageState, readPageWithScripting } from './check-page.js';
import { clearanceSitesItem } from './clearance-sites.js';
import type { CompanionConnection } from './companion-connection.js';
import { readIconUrl } from './notifications.js';

/** A clearance request as the handoff needs it: the SSE event or one row of `GET /api/clearance/requests`. */
export type ClearanceAsk = Pick<PendingClearance, 'site' | 'url'> & Partial<PendingClearance>;

export interface ClearanceHandoffDeps {
  connection: Pick<CompanionConnection, 'getClient' | 'report'>;
  api?: Pick<typeof browser, 'tabs' | 'windows' | 'notifications'> & {
    cookies: CookiesApi;
    downloads?: Pick<typeof browser.downloads, 'onCreated' | 'cancel' | 'removeFile' | 'erase'>;
  };
  navigator?: NavigatorLike;
  /** Reads the page of a tab; `undefined` while it cannot be read (navigating, not HTML). */
  readPage?: (tabId: number) => Promise<PageState | undefined>;
  /** The background's fetch, with the browser's cookies (a quick look before a tab is opened). */
  fetch?: typeof globalThis.fetch;
  /** Resolves after `ms` (injected so units can drive time). */
  sleep?: (ms: number) => Promise<void>;
  timing?: {
    /** How often the tab is asked whether the check has cleared. */
    pollMs?: number;
    /** How long a JS check may take before the tab is given up. */
    checkTimeoutMs?: number;
    /** How long a person has to pass a captcha once notified. */
    humanTimeoutMs?: number;
    /** How long a page may keep showing a wall after a new clearance cookie arrived (a file behind the wall). */
    settleMs?: number;
    /** After a check that did not clear, how long before a poll may open another tab for that site. */
    retryAfterFailureMs?: number;
  };
  now?: () => number;
}

const NOTIFICATION_PREFIX = 'bookrelay-clearance:';

/**
 * Answers the companion's clearance requests with the browser's own session: the site is opened in an inactive tab
 * (a tab that already has clearance simply loads the page), the handoff waits until the page is no longer a wall
 * (`shared/detect-challenge`), posts every cookie of the site with the browser's User-Agent and client hints to
 * `POST /api/clearance`, and closes the tab. A wall that needs a person raises a notification that focuses the tab.
 */
export function createClearanceHandoff({
  connection,
  api = browser as unknown as NonNullable<ClearanceHandoffDeps['api']>,
  navigator: nav = globalThis.navigator as unknown as NavigatorLike,
  readPage = readPageWithScripting,
  fetch: fetchImpl = (...args) => globalThis.fetch(...args),
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  timing = {},
  now = Date.now,
}: ClearanceHandoffDeps) {
  const {
    pollMs = 400,
    checkTimeoutMs = 60_000,
    humanTimeoutMs = 10 * 60_000,
    settleMs = 1_500,
    retryAfterFailureMs = 5 * 60_000,
  } = timing;
  // A check that did not clear is not retried by every 30 s poll of a still-pending request (one tab, not twenty).
  const failedAtMs = new Map<string, number>();
  const inFlight = new Map<string, Promise<ClearanceStoredResponse | undefined>>();
  /** Tabs opened for a captcha, by notification id, so a click can focus them. */
  const humanTabs = new Map<string, { tabId: number; windowId: number | undefined }>();
  /** What was last posted per site, so an unchanged jar is not posted again. */
  const lastPosted = new Map<string, string>();

  const fingerprint = (body: ClearanceBody) =>
    JSON.stringify([body.userAgent, body.cookies.map((c) => [c.name, c.domain, c.path, c.value]).sort()]);

  /** Posts the browser's cookies for `url` (from `tab`'s store) as the clearance of `site`. */
  async function handOver(
    site: string,
    url: string,
    tab?: { id?: number | undefined; cookieStoreId?: string | undefined },
    { onlyIfChanged = false } = {},
  ): Promise<ClearanceStoredResponse | undefined> {
    const body = await captureClearance(api.cookies, url, nav, tab);
    if (!body) return undefined;
    body.site = site;
    const print = fingerprint(body);
    if (onlyIfChanged && lastPosted.get(site) === print) return undefined;
    const client = await connection.getClient();
    try {
      const stored = await client.request(RELAY_PATHS.clearance, clearanceStoredResponse, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      lastPosted.set(site, print);
      connection.report();
      await clearanceSitesItem.setValue({ ...(await clearanceSitesItem.getValue()), [site]: url });
      return stored;
    } catch (err) {
      connection.report(err);
      throw err;
    }
  }

  /** An open tab on the site, to borrow its cookie store (Firefox container, incognito window). */
  async function findSiteTab(site: string) {
    const tabs = await api.tabs.query({}).catch(() => []);
    return tabs.find((tab) => {
      try {
        return tab.url !== undefined && cookieDomainMatches(site, new URL(tab.url).hostname);
      } catch {
        return false;
      }
    });
  }

  async function notifyHuman(tabId: number, windowId: number | undefined, site: string): Promise<string> {
    const id = `${NOTIFICATION_PREFIX}${tabId}`;
    humanTabs.set(id, { tabId, windowId });
    await api.notifications
      .create(id, {
        type: 'basic',
        iconUrl: readIconUrl(),
        title: 'Bookrelay: a check needs you',
        message: `${site} asks for a manual check before your download can continue. Click to open it.`,
      })
      .catch(() => undefined);
    return id;
  }

  /** The values of the site's clearance cookies (`cf_clearance`, `__ddgid_`), to notice a passed check. */
  async function readClearanceCookies(url: string, tab: { id?: number | undefined }): Promise<string> {
    const storeId = await findCookieStoreId(api.cookies, tab);
    const cookies = await readSiteCookies(api.cookies, url, storeId).catch(() => []);
    return cookies
      .filter((c) => c.name === 'cf_clearance' || c.name === '__ddgid_')
      .map((c) => `${c.name}=${c.value}`)
      .sort()
      .join('; ');
  }

  /** Opens `url` in an inactive tab and waits until the wall has cleared; the tab is always closed. */
  async function passInTab(site: string, url: string, { expiresAtMs }: { expiresAtMs?: number | undefined } = {}) {
    const borrowed = await findSiteTab(site);
    const created = await api.tabs.create({
      url,
      active: false,
      ...(borrowed?.windowId === undefined ? {} : { windowId: borrowed.windowId }),
      ...(borrowed && 'cookieStoreId' in borrowed && borrowed.cookieStoreId
        ? { cookieStoreId: borrowed.cookieStoreId as string }
        : {}),
    });
    const tabId = created.id;
    if (tabId === undefined) throw new Error('The browser did not open a tab for the check');
    // A wall in front of a file lets the tab download it once passed: the relay or the companion fetches the file,
    // so that copy is cancelled and forgotten instead of landing in the user's Downloads folder.
    const samePath = (a: string | undefined) => {
      try {
        const [x, y] = [new URL(a ?? ''), new URL(url)];
        return x.origin === y.origin && x.pathname === y.pathname;
      } catch {
        return false;
      }
    };
    const stopDownload = (item: { id: number; url: string; finalUrl?: string }) => {
      if (!samePath(item.url) && !samePath(item.finalUrl)) return;
      const downloads = api.downloads;
      if (!downloads) return;
      // A small file may already be complete: then its file is removed; either way it leaves the history.
      void (async () => {
        await downloads.cancel(item.id).catch(() => undefined);
        await downloads.removeFile(item.id).catch(() => undefined);
        await downloads.erase({ id: item.id }).catch(() => undefined);
      })();
    };
    api.downloads?.onCreated.addListener(stopDownload);
    let notification: string | undefined;
    // A wall in front of a file stays on screen after it is passed (the file downloads, the page does not change):
    // a new clearance cookie that the page does not follow within `settleMs` counts as passed too.
    const before = await readClearanceCookies(url, created);
    let clearanceSeenAtMs: number | undefined;
    let unreadableSinceMs: number | undefined;
    try {
      let deadline = now() + checkTimeoutMs;
      for (;;) {
        const page = await readPage(tabId);
        const readable = page !== undefined && /^https?:/.test(page.url);
        // A URL that is a file downloads without ever showing a page: once the tab has settled on nothing readable,
        // the browser already had clearance (or needed none) and the jar is what there is to hand over.
        if (readable) unreadableSinceMs = undefined;
        else {
          unreadableSinceMs ??= now();
          if (now() - unreadableSinceMs >= 2 * settleMs) {
            const handed = await handOver(site, url, created);
            if (handed) return handed;
          }
        }
        if (page && readable && page.readyState === 'complete') {
          const wall = detectPageChallenge(page);
          if (!wall) return await handOver(site, page.url, created);
          if (clearanceSeenAtMs === undefined && (await readClearanceCookies(url, created)) !== before) {
            clearanceSeenAtMs = now();
          }
          if (clearanceSeenAtMs !== undefined && now() - clearanceSeenAtMs >= settleMs) {
            return await handOver(site, url, created);
          }
          if (needsHuman(wall) && !notification) {
            notification = await notifyHuman(tabId, created.windowId, site);
            deadline = Math.max(deadline, Math.min(now() + humanTimeoutMs, expiresAtMs ?? Number.POSITIVE_INFINITY));
          }
        }
        if (now() > deadline) {
          throw new Error(`The check on ${site} did not clear in the browser in time`);
        }
        await sleep(pollMs);
      }
    } finally {
      if (notification) {
        humanTabs.delete(notification);
        await api.notifications.clear(notification).catch(() => undefined);
      }
      await api.tabs.remove(tabId).catch(() => undefined);
      // Downloads the tab started may be reported a moment after it closes.
      setTimeout(() => api.downloads?.onCreated.removeListener(stopDownload), 5_000);
    }
  }

  /**
   * Asks the URL with the browser's session from the background: `true` when no wall answers (the jar already
   * has clearance, or none is needed), so no tab is needed. Only the head of the body is read.
   */
  async function passesWithoutTab(url: string): Promise<boolean> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 15_000);
    try {
      const res = await fetchImpl(url, { credentials: 'include', cache: 'no-store', signal: abort.signal });
      let body = '';
      if (/text\/html/i.test(res.headers.get('content-type') ?? '') && res.body) {
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        while (body.length < 64_000) {
          const { done, value } = await reader.read();
          if (done) break;
          body += decoder.decode(value, { stream: true });
        }
      }
      const headers = {
        server: res.headers.get('server') ?? '',
        'cf-mitigated': res.headers.get('cf-mitigated') ?? '',
      };
      return res.status < 400 && !detectChallenge({ status: res.status, headers, body });
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }

  async function passAndHandOver(ask: ClearanceAsk): Promise<ClearanceStoredResponse | undefined> {
    if (await passesWithoutTab(ask.url)) {
      const tab = await findSiteTab(ask.site);
      const handed = await handOver(ask.site, ask.url, tab);
      if (handed) return handed;
    }
    return passInTab(ask.site, ask.url, { expiresAtMs: ask.expiresAtMs });
  }

  /** Answers one request; concurrent asks for one site share one tab, and a failed check waits before the next. */
  function answer(ask: ClearanceAsk): Promise<ClearanceStoredResponse | undefined> {
    const pending = inFlight.get(ask.site);
    if (pending) return pending;
    const failedAt = failedAtMs.get(ask.site);
    if (failedAt !== undefined && now() - failedAt < retryAfterFailureMs) {
      const waitS = Math.ceil((failedAt + retryAfterFailureMs - now()) / 1000);
      return Promise.reject(new Error(`The last check on ${ask.site} did not clear; the next try is in ${waitS} s`));
    }
    const work = passAndHandOver(ask)
      .then(
        (stored) => {
          failedAtMs.delete(ask.site);
          return stored;
        },
        (err: unknown) => {
          failedAtMs.set(ask.site, now());
          throw err;
        },
      )
      .finally(() => inFlight.delete(ask.site));
    inFlight.set(ask.site, work);
    return work;
  }

  /** A click on the captcha notification brings its tab to the front. */
  async function focusFromNotification(notificationId: string): Promise<boolean> {
    const target = humanTabs.get(notificationId);
    if (!target) return false;
    await api.tabs.update(target.tabId, { active: true }).catch(() => undefined);
    if (target.windowId !== undefined)
      await api.windows.update(target.windowId, { focused: true }).catch(() => undefined);
    return true;
  }

  return { answer, handOver, passInTab, focusFromNotification, isBusy: () => inFlight.size > 0 };
}

export type ClearanceHandoff = ReturnType<typeof createClearanceHandoff>;
