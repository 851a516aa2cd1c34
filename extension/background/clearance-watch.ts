import browser from 'webextension-polyfill';
import { cookieDomainMatches } from '../lib/capture-clearance.js';
import type { ClearanceHandoff } from './clearance-handoff.js';
import { clearanceSitesItem } from './clearance-sites.js';

/** Cookie names that mean "a check was passed" (Cloudflare, DDoS-Guard, Anna's Archive's own DDoS-Guard flag). */
export function isClearanceCookieName(name: string): boolean {
  return name === 'cf_clearance' || name.startsWith('__ddg') || name === 'aa_ddg_check';
}

/** The watched site a cookie domain belongs to, if any. */
export function findWatchedSite(sites: Record<string, string>, cookieDomain: string): string | undefined {
  return Object.keys(sites).find(
    (site) => cookieDomainMatches(cookieDomain, site) || cookieDomainMatches(site, cookieDomain.replace(/^\./, '')),
  );
}

/**
 * Keeps the companion's copy fresh: when the browser's clearance cookies for a site the companion uses change (the
 * user passed a check in a normal tab, the site re-issued them), the site's cookies are posted again after
 * `debounceMs` of quiet — once per burst, and not at all when nothing changed since the last post.
 */
export function watchClearanceCookies({
  handoff,
  cookies = browser.cookies,
  debounceMs = 5_000,
  onError = () => {},
}: {
  handoff: Pick<ClearanceHandoff, 'handOver'>;
  cookies?: Pick<typeof browser.cookies, 'onChanged'>;
  debounceMs?: number;
  onError?: (err: unknown) => void;
}): () => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const listener = (change: { removed: boolean; cookie: { name: string; domain: string; storeId?: string } }) => {
    if (change.removed || !isClearanceCookieName(change.cookie.name)) return;
    void clearanceSitesItem.getValue().then((sites) => {
      const site = findWatchedSite(sites, change.cookie.domain);
      const url = site ? sites[site] : undefined;
      if (!site || !url) return;
      clearTimeout(timers.get(site));
      timers.set(
        site,
        setTimeout(() => {
          timers.delete(site);
          const store = change.cookie.storeId ? { cookieStoreId: change.cookie.storeId } : undefined;
          handoff.handOver(site, url, store, { onlyIfChanged: true }).catch(onError);
        }, debounceMs),
      );
    });
  };
  cookies.onChanged.addListener(listener);
  return () => {
    cookies.onChanged.removeListener(listener);
    for (const timer of timers.values()) clearTimeout(timer);
  };
}
