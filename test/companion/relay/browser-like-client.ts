import { Agent, request } from 'undici';
import type { ClearanceCookieInput } from '../../../shared/relay-api.js';

/** A desktop Chrome User-Agent (the gate binds clearance to it). */
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * Stands in for the user's browser in companion tests: one cookie jar, one User-Agent, and its own source address
 * (`127.0.0.2` plays "the laptop", the companion fetches from `127.0.0.1`). It passes the world's DDoS-Guard JS check
 * the way the page's script does: load the page, wait, POST the check with the ticket, keep the cookies.
 */
export function createBrowserLikeClient({ localAddress }: { localAddress: string }) {
  const dispatcher = new Agent({ localAddress });
  const jar = new Map<string, string>();

  const remember = (setCookie: string | string[] | undefined) => {
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  };
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

  const send = async (url: string, method: 'GET' | 'POST' = 'GET') => {
    const res = await request(url, {
      method,
      dispatcher,
      headers: { 'user-agent': BROWSER_UA, ...(jar.size > 0 ? { cookie: cookieHeader() } : {}) },
    });
    remember(res.headers['set-cookie']);
    return res;
  };

  return {
    userAgent: BROWSER_UA,
    /** GETs `url` with the jar; returns status and body bytes. */
    async get(url: string): Promise<{ status: number; body: Buffer }> {
      const res = await send(url);
      return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
    },
    /** Passes the DDoS-Guard JS check in front of `url` (retrying the check POST until the page's wait is over). */
    async passDdosGuard(url: string): Promise<void> {
      const page = await send(url);
      const html = await page.body.text();
      if (page.statusCode !== 403) throw new Error(`Expected the DDoS-Guard check page, got HTTP ${page.statusCode}`);
      const ticket = /data-ticket="([^"]+)"/.exec(html)?.[1];
      if (!ticket) throw new Error('Expected a ticket on the DDoS-Guard check page');
      const check = new URL(
        `/.well-known/ddos-guard/check?context=free_splash&ticket=${encodeURIComponent(ticket)}`,
        url,
      );
      const deadline = Date.now() + 10_000;
      for (;;) {
        const res = await send(check.toString(), 'POST');
        await res.body.dump();
        if (res.statusCode === 204) return;
        if (Date.now() > deadline) throw new Error(`The DDoS-Guard check kept answering HTTP ${res.statusCode}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    /** The jar as the extension posts it to `/api/clearance`. */
    cookies(): ClearanceCookieInput[] {
      return [...jar].map(([name, value]) => ({ name, value, path: '/' }));
    },
    close: () => dispatcher.close(),
  };
}
