import { Hono } from 'hono';
import { type ClearanceStoredResponse, clearanceRequestBody } from '../../shared/relay-api.js';
import { normaliseCookie } from '../net/clearance-cookies.js';
import type { ClearanceStore } from '../net/clearance-store.js';
import { siteOf } from '../net/site-of.js';
import { ApiHttpError } from './http-error.js';

export interface ClearanceRouteDeps {
  clearance: ClearanceStore;
  /** Sites the companion fetches from: clearance for any other host is refused. */
  isKnownSite: (site: string) => boolean;
  /** Clearance for `site` was stored: its pending request is answered. */
  onStored?: (site: string) => void;
}

/** The extension hands over cookies + the exact User-Agent that earned them; waiting downloads resume at once. */
export const clearanceRoutes = ({ clearance, isKnownSite, onStored }: ClearanceRouteDeps) =>
  new Hono()
    // POST /api/clearance
    .post('/clearance', async (c) => {
      const parsed = clearanceRequestBody.safeParse(await c.req.json<unknown>().catch(() => undefined));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ApiHttpError(
          400,
          `Invalid clearance: ${issue?.path.map(String).join('.') || 'body'} ${issue?.message ?? ''}`.trim(),
        );
      }
      let site: string;
      try {
        site = siteOf(parsed.data.site.includes('://') ? parsed.data.site : `https://${parsed.data.site}`);
      } catch {
        throw new ApiHttpError(400, 'Invalid clearance: site is not a host name or URL');
      }
      if (!isKnownSite(site)) throw new ApiHttpError(400, `Invalid clearance: ${site} is not a configured source`);
      // Checked before the store replaces the site's record: a body of only unusable cookies keeps the old one.
      const usable = parsed.data.cookies.filter((cookie) => normaliseCookie(cookie) !== undefined).length;
      if (usable === 0) {
        throw new ApiHttpError(
          400,
          'Invalid clearance: no cookie can be replayed (RFC 6265 grammar; DDoS-Guard per-check tokens never are)',
        );
      }
      const record = clearance.put({ ...parsed.data, site, source: 'extension' });
      onStored?.(record.site);
      return c.json({
        status: 'stored',
        site: record.site,
        cookies: record.cookies.length,
        dropped: parsed.data.cookies.length - usable,
        expiresAtMs: record.expiresAtMs,
      } satisfies ClearanceStoredResponse);
    })
    // GET /api/clearance → per-site diagnostics, never cookie values
    .get('/clearance', (c) => c.json({ sites: clearance.status() }));
