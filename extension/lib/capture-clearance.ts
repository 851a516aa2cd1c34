/**
 * Reads a site's clearance from the browser's cookie jar and builds the `POST /api/clearance` body. Every cookie
 * of the site goes (DDoS-Guard needs `__ddg*` and `aa_ddg_check`, Cloudflare `cf_clearance`): the companion drops
 * the per-check ones itself. Partitioned (CHIPS) cookies are read with `partitionKey: {}` where the browser knows
 * it, from the tab's own store (Firefox containers, Chrome incognito) — extension-notes.md §2.4.
 */

/** The fields of `cookies.Cookie` this module reads (Chrome and Firefox agree on them). */
export interface BrowserCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  hostOnly?: boolean;
  session?: boolean;
  expirationDate?: number;
  storeId?: string;
  partitionKey?: { topLevelSite?: string } | null;
}

/** The part of the `cookies` API used here; injected so units run without a browser. */
export interface CookiesApi {
  getAll(details: Record<string, unknown>): Promise<BrowserCookie[]>;
  getAllCookieStores?(): Promise<{ id: string; tabIds: number[] }[]>;
}

/** A cookie as `POST /api/clearance` takes it (never logged: values are secrets). */
export interface ClearanceCookieBody {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expirationDate?: number;
  httpOnly?: boolean;
  secure?: boolean;
}

export interface ClearanceBody {
  site: string;
  cookies: ClearanceCookieBody[];
  userAgent: string;
  clientHints?: Record<string, string>;
  acceptLanguage?: string;
}

/** `navigator.userAgentData` as Chromium exposes it (absent on Firefox). */
export interface UserAgentData {
  brands?: { brand: string; version: string }[];
  mobile?: boolean;
  platform?: string;
}

export interface NavigatorLike {
  userAgent: string;
  languages?: readonly string[];
  language?: string;
  userAgentData?: UserAgentData;
}

/** The companion accepts at most this many cookies and values up to 8 KiB (companion/routes/clearance.ts). */
const MAX_COOKIES = 100;
const MAX_VALUE_CHARS = 8192;

/** The store a tab's cookies live in: Firefox's `cookieStoreId` (containers), else the store listing the tab. */
export async function findCookieStoreId(
  api: CookiesApi,
  tab: { id?: number | undefined; cookieStoreId?: string | undefined } | undefined,
): Promise<string | undefined> {
  if (!tab) return undefined;
  if (tab.cookieStoreId) return tab.cookieStoreId;
  if (tab.id === undefined || !api.getAllCookieStores) return undefined;
  const stores = await api.getAllCookieStores().catch(() => []);
  return stores.find((store) => store.tabIds.includes(tab.id as number))?.id;
}

/**
 * `getAll` with partitioned cookies where supported: `partitionKey: {}` throws on browsers that do not know it
 * (Chrome < 119), and Firefox with First-Party Isolation throws unless `firstPartyDomain` is given.
 */
async function getAllCompatible(api: CookiesApi, details: Record<string, unknown>): Promise<BrowserCookie[]> {
  const attempts = [{ ...details, partitionKey: {} }, details, { ...details, firstPartyDomain: null }];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      return await api.getAll(attempt);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

function cookieKey(cookie: BrowserCookie): string {
  return [cookie.name, cookie.domain, cookie.path, cookie.partitionKey?.topLevelSite ?? ''].join('\u0000');
}

/** True when a cookie set for `cookieDomain` (leading dot or not) is sent to `host`. */
export function cookieDomainMatches(cookieDomain: string, host: string): boolean {
  const domain = cookieDomain.replace(/^\./, '').toLowerCase();
  const target = host.toLowerCase();
  return domain === target || target.endsWith(`.${domain}`);
}

/** Every cookie the browser holds for the URL's host (all paths, its parent domains, all partitions). */
export async function readSiteCookies(api: CookiesApi, url: string, storeId?: string): Promise<BrowserCookie[]> {
  const { hostname } = new URL(url);
  const store = storeId ? { storeId } : {};
  const [byUrl, byDomain] = await Promise.all([
    getAllCompatible(api, { url, ...store }),
    getAllCompatible(api, { domain: hostname, ...store }).catch(() => [] as BrowserCookie[]),
  ]);
  const unique = new Map<string, BrowserCookie>();
  for (const cookie of [...byUrl, ...byDomain]) {
    if (cookieDomainMatches(cookie.domain, hostname) || byUrl.includes(cookie)) unique.set(cookieKey(cookie), cookie);
  }
  return [...unique.values()];
}

/** The body's cookie shape: metadata the companion's jar needs, no store ids or partition internals. */
export function toClearanceCookie(cookie: BrowserCookie): ClearanceCookieBody {
  const body: ClearanceCookieBody = {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain,
    path: cookie.path,
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
  };
  if (typeof cookie.expirationDate === 'number') body.expirationDate = cookie.expirationDate;
  return body;
}

/** `sec-ch-ua`, `sec-ch-ua-mobile`, `sec-ch-ua-platform` as Chromium sends them by default; `{}` on Firefox. */
export function readClientHints(data: UserAgentData | undefined): Record<string, string> {
  if (!data) return {};
  const hints: Record<string, string> = {};
  if (data.brands?.length) {
    hints['sec-ch-ua'] = data.brands
      .map(({ brand, version }) => `"${brand.replace(/["\\]/g, '')}";v="${version.replace(/["\\]/g, '')}"`)
      .join(', ');
  }
  if (typeof data.mobile === 'boolean') hints['sec-ch-ua-mobile'] = data.mobile ? '?1' : '?0';
  if (data.platform) hints['sec-ch-ua-platform'] = `"${data.platform.replace(/["\\]/g, '')}"`;
  return hints;
}

/** `Accept-Language` as Chromium builds it from `navigator.languages`: `en-US,en;q=0.9,de;q=0.8`. */
export function readAcceptLanguage(languages: readonly string[] | undefined): string | undefined {
  const list = (languages ?? []).filter((l) => /^[A-Za-z0-9-]{1,35}$/.test(l)).slice(0, 10);
  if (!list.length) return undefined;
  return list.map((lang, i) => (i === 0 ? lang : `${lang};q=${Math.max(0.1, 1 - i / 10).toFixed(1)}`)).join(',');
}

/**
 * The `POST /api/clearance` body for `site` (a host name) from the browser's cookies and identity, or `undefined`
 * when the browser holds no cookie for it (nothing to hand over). Oversized values are left out, not truncated.
 */
export function buildClearanceBody(
  site: string,
  cookies: BrowserCookie[],
  nav: NavigatorLike,
): ClearanceBody | undefined {
  const usable = cookies.filter((c) => c.name && c.value.length <= MAX_VALUE_CHARS).slice(0, MAX_COOKIES);
  if (!usable.length) return undefined;
  const body: ClearanceBody = { site, cookies: usable.map(toClearanceCookie), userAgent: nav.userAgent };
  const clientHints = readClientHints(nav.userAgentData);
  if (Object.keys(clientHints).length) body.clientHints = clientHints;
  const acceptLanguage = readAcceptLanguage(nav.languages ?? (nav.language ? [nav.language] : undefined));
  if (acceptLanguage) body.acceptLanguage = acceptLanguage;
  return body;
}

/** Reads the cookies for `url` from the tab's store and builds the body for its host. */
export async function captureClearance(
  api: CookiesApi,
  url: string,
  nav: NavigatorLike,
  tab?: { id?: number | undefined; cookieStoreId?: string | undefined },
): Promise<ClearanceBody | undefined> {
  const storeId = await findCookieStoreId(api, tab);
  const cookies = await readSiteCookies(api, url, storeId);
  return buildClearanceBody(new URL(url).hostname.toLowerCase(), cookies, nav);
}
