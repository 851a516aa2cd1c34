import type { ClearanceRecord } from './clearance-store.js';

/** A current stable desktop Chrome; CWA-BD's Chrome 129 string ends in a typo ("Safari/537.3"). */
export const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';

const DEFAULT_CLIENT_HINTS: Record<string, string> = {
  'sec-ch-ua': '"Chromium";v="142", "Google Chrome";v="142", "Not_A Brand";v="99"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Windows"',
};

/**
 * Headers of a top-level Chrome navigation, in Chrome's order (bot scoring looks at the whole set and its order).
 * With clearance, its UA, client hints and language replace the defaults; `extra` (the caller's) wins over all.
 */
export function buildBrowserHeaders({
  userAgent = DEFAULT_USER_AGENT,
  clearance,
  cookie,
  extra = {},
}: {
  userAgent?: string;
  clearance?: ClearanceRecord | undefined;
  cookie?: string | undefined;
  extra?: Record<string, string>;
}): Record<string, string> {
  const hints = clearance ? clearance.clientHints : userAgent === DEFAULT_USER_AGENT ? DEFAULT_CLIENT_HINTS : {};
  const headers: Record<string, string> = {
    ...hints,
    'upgrade-insecure-requests': '1',
    'user-agent': clearance?.userAgent ?? userAgent,
    accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8',
    'sec-fetch-site': 'none',
    'sec-fetch-mode': 'navigate',
    'sec-fetch-user': '?1',
    'sec-fetch-dest': 'document',
    // Chrome's own list; Node 24's zlib decodes zstd (read-body.ts).
    'accept-encoding': 'gzip, deflate, br, zstd',
    'accept-language': clearance?.acceptLanguage ?? 'en-US,en;q=0.9',
  };
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
  const cookies = [extra.cookie ?? extra.Cookie, cookie].filter(Boolean).join('; ');
  if (cookies) headers.cookie = cookies;
  return headers;
}
