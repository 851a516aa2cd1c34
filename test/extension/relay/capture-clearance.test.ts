import { describe, expect, it } from 'vitest';
import {
  type BrowserCookie,
  buildClearanceBody,
  type CookiesApi,
  captureClearance,
  cookieDomainMatches,
  findCookieStoreId,
  readAcceptLanguage,
  readClientHints,
  readSiteCookies,
} from '../../../extension/lib/capture-clearance.js';
import { clearanceRequestBody } from '../../../shared/relay-api.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36';

function cookie(name: string, domain: string, extra: Partial<BrowserCookie> = {}): BrowserCookie {
  return { name, value: `${name}-value`, domain, path: '/', secure: true, httpOnly: true, storeId: '0', ...extra };
}

/**
 * A cookie jar with the browser's matching rules for `getAll({url|domain, storeId, partitionKey})`; `quirk`
 * makes it behave like an old Chrome (no partitionKey) or Firefox with First-Party Isolation.
 */
function fakeJar(cookies: BrowserCookie[], quirk?: 'no-partition-key' | 'fpi') {
  const calls: Record<string, unknown>[] = [];
  const api: CookiesApi = {
    async getAll(details) {
      calls.push(details);
      if (quirk === 'no-partition-key' && 'partitionKey' in details)
        throw new Error('Unexpected property "partitionKey"');
      if (quirk === 'fpi' && !('firstPartyDomain' in details)) throw new Error('firstPartyDomain is required');
      const store = (details.storeId as string | undefined) ?? '0';
      const host = details.url ? new URL(details.url as string).hostname : undefined;
      return cookies.filter(
        (c) =>
          (c.storeId ?? '0') === store &&
          (!c.partitionKey || 'partitionKey' in details) &&
          (host ? cookieDomainMatches(c.domain, host) : c.domain.replace(/^\./, '').endsWith(details.domain as string)),
      );
    },
    async getAllCookieStores() {
      return [
        { id: '0', tabIds: [1, 2] },
        { id: '1', tabIds: [7] },
      ];
    },
  };
  return { api, calls };
}

describe('readClientHints / readAcceptLanguage', () => {
  it('builds sec-ch-ua headers the way Chromium sends them, and nothing on Firefox', () => {
    expect(
      readClientHints({
        brands: [
          { brand: 'Chromium', version: '143' },
          { brand: 'Not A(Brand', version: '24' },
        ],
        mobile: false,
        platform: 'Linux',
      }),
    ).toEqual({
      'sec-ch-ua': '"Chromium";v="143", "Not A(Brand";v="24"',
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': '"Linux"',
    });
    expect(readClientHints(undefined)).toEqual({});
  });

  it('weights languages like Accept-Language and drops junk', () => {
    expect(readAcceptLanguage(['en-US', 'en', 'de'])).toBe('en-US,en;q=0.9,de;q=0.8');
    expect(readAcceptLanguage(['en-US', 'x\r\nSet-Cookie: a=b'])).toBe('en-US');
    expect(readAcceptLanguage([])).toBeUndefined();
  });
});

describe('readSiteCookies', () => {
  const jar = [
    cookie('__ddg1_', '.annas-archive.org'),
    cookie('__ddgid_', 'annas-archive.org'),
    cookie('aa_ddg_check', 'annas-archive.org', { path: '/md5' }),
    cookie('cf_clearance', '.annas-archive.org', { partitionKey: { topLevelSite: 'https://annas-archive.org' } }),
    cookie('other', 'example.org'),
    cookie('sub-only', 'cdn.annas-archive.org'),
    cookie('container', 'annas-archive.org', { storeId: '1' }),
  ];

  it('reads every cookie of the host (all paths, parent domain, partitioned), not other sites or subdomains', async () => {
    const { api } = fakeJar(jar);
    const names = (await readSiteCookies(api, 'https://annas-archive.org/slow_download/x')).map((c) => c.name).sort();
    expect(names).toEqual(['__ddg1_', '__ddgid_', 'aa_ddg_check', 'cf_clearance']);
  });

  it('falls back without partitionKey on browsers that refuse it, and with firstPartyDomain under FPI', async () => {
    const old = fakeJar(jar, 'no-partition-key');
    expect((await readSiteCookies(old.api, 'https://annas-archive.org/')).map((c) => c.name)).toContain('__ddgid_');
    const fpi = fakeJar(jar, 'fpi');
    expect((await readSiteCookies(fpi.api, 'https://annas-archive.org/')).map((c) => c.name)).toContain('__ddgid_');
    expect(fpi.calls.some((call) => call.firstPartyDomain === null)).toBe(true);
  });

  it('reads the store of the tab: a Firefox container, or the Chrome store listing the tab', async () => {
    const { api } = fakeJar(jar);
    expect(await findCookieStoreId(api, { id: 3, cookieStoreId: 'firefox-container-2' })).toBe('firefox-container-2');
    expect(await findCookieStoreId(api, { id: 7 })).toBe('1');
    expect(await findCookieStoreId(api, { id: 99 })).toBeUndefined();
    const body = await captureClearance(api, 'https://annas-archive.org/', { userAgent: UA }, { id: 7 });
    expect(body?.cookies.map((c) => c.name)).toEqual(['container']);
  });
});

describe('buildClearanceBody', () => {
  it('is a body the companion contract accepts, with the UA, hints and every cookie (per-check ones too)', async () => {
    const { api } = fakeJar([
      cookie('__ddg1_', '.127.0.0.1', { expirationDate: 1_900_000_000 }),
      cookie('__ddgid_', '127.0.0.1'),
      cookie('__ddg9_', '127.0.0.1'),
    ]);
    const body = await captureClearance(api, 'http://127.0.0.1:8080/file/x', {
      userAgent: UA,
      languages: ['en-US', 'en'],
      userAgentData: { brands: [{ brand: 'Chromium', version: '143' }], mobile: false, platform: 'Linux' },
    });
    expect(clearanceRequestBody.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      site: '127.0.0.1',
      userAgent: UA,
      acceptLanguage: 'en-US,en;q=0.9',
      clientHints: { 'sec-ch-ua-platform': '"Linux"' },
    });
    expect(body?.cookies.map((c) => c.name).sort()).toEqual(['__ddg1_', '__ddg9_', '__ddgid_']);
    expect(body?.cookies.find((c) => c.name === '__ddg1_')).toMatchObject({
      expirationDate: 1_900_000_000,
      httpOnly: true,
    });
  });

  it('has nothing to hand over without cookies, and leaves out values the companion would refuse', () => {
    expect(buildClearanceBody('example.org', [], { userAgent: UA })).toBeUndefined();
    const huge = cookie('huge', 'example.org', { value: 'x'.repeat(9000) });
    const body = buildClearanceBody('example.org', [huge, cookie('ok', 'example.org')], { userAgent: UA });
    expect(body?.cookies.map((c) => c.name)).toEqual(['ok']);
    const many = Array.from({ length: 150 }, (_, i) => cookie(`c${i}`, 'example.org'));
    expect(clearanceRequestBody.safeParse(buildClearanceBody('example.org', many, { userAgent: UA })).success).toBe(
      true,
    );
  });
});
