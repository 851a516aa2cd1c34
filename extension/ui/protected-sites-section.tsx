import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { describeCompanionError, toCompanionErrorInfo } from '../lib/companion-error.js';
import type { MessageRequest, ProtectedSite } from '../lib/messages.js';
import { sendMessage } from '../lib/send-message.js';

/** The host patterns the browser needs to read a site's cookies and fetch its files: the site and its subdomains. */
export function originsFor(site: string): string[] {
  const isAddress = /^[\d.]+$/.test(site) || site.includes(':');
  return isAddress ? [`*://${site}/*`] : [`*://${site}/*`, `*://*.${site}/*`];
}

export interface ProtectedSitesDeps {
  /** The companion's protected sites (the background asks `GET /api/clearance`). */
  loadSites?: () => Promise<ProtectedSite[]>;
  permissions?: Pick<typeof browser.permissions, 'contains' | 'request'>;
  /** Changes whenever the connection does (another URL, a new pairing): the list is read again then. */
  reloadKey?: string;
}

type Row = ProtectedSite & { granted: boolean };

/**
 * Options section: the sites the companion fetches behind a bot wall, each with a button that grants the extension
 * access to it (`permissions.request` must run from a click), so the browser can pass the check, hand over the
 * cookies and download the file when the server cannot. Scraped or remote text is rendered as text only.
 */
export function ProtectedSitesSection({
  // `Record<string, never>` requests cannot carry `type` in MessageRequest's intersection; the cast says "no fields".
  loadSites = () => sendMessage({ type: 'clearance:sites' } as MessageRequest<'clearance:sites'>),
  permissions = browser.permissions,
  reloadKey,
}: ProtectedSitesDeps) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = async () => {
    try {
      const sites = await loadSites();
      const withAccess = await Promise.all(
        sites.map(async (site) => ({
          ...site,
          granted: await permissions.contains({ origins: originsFor(site.site) }).catch(() => false),
        })),
      );
      setRows(withAccess);
      setError(null);
    } catch (err) {
      const { title, action } = describeCompanionError(toCompanionErrorInfo(err));
      setError(`${title}. ${action}`);
    }
  };

  // Read again whenever the connection changes (reloadKey); refresh itself reads the current props.
  useEffect(() => {
    void refresh();
  }, [reloadKey]);

  const allow = async (site: string) => {
    try {
      // Called straight from the click: browsers only show the prompt for a user gesture.
      const granted = await permissions.request({ origins: originsFor(site) });
      setRows((current) => current?.map((row) => (row.site === site ? { ...row, granted } : row)) ?? current);
      if (!granted) setError(`Access to ${site} was not granted.`);
    } catch (err) {
      setError(`Could not ask for access to ${site}: ${(err as Error).message}`);
    }
  };

  return (
    <section aria-labelledby="protected-sites-title">
      <h2 id="protected-sites-title">Sites behind a bot check</h2>
      <p>
        Let the browser pass checks for these sites. When the companion meets a check it cannot pass, this browser
        passes it in a background tab, or downloads the book itself and hands it to the companion.
      </p>
      {error && <p role="alert">{error}</p>}
      {rows === null && !error && <p>Loading…</p>}
      {rows?.length === 0 && <p>No site has challenged the companion yet.</p>}
      {rows && rows.length > 0 && (
        <ul aria-label="Protected sites">
          {rows.map((row) => (
            <li key={row.site}>
              <span>{row.site}</span>{' '}
              <span>
                {row.hasClearance
                  ? `clearance until ${row.expiresAtMs ? new Date(row.expiresAtMs).toLocaleTimeString() : 'the session ends'}`
                  : 'no clearance'}
              </span>{' '}
              {row.granted ? (
                <span>Browser access granted</span>
              ) : (
                <button type="button" onClick={() => void allow(row.site)} aria-label={`Allow checks for ${row.site}`}>
                  Allow
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
