import { detectChallenge } from '../../shared/detect-challenge.js';

/** What an Anna's Archive / Welib `slow_download` page asks of the browser (service workers have no DOMParser). */
export type CountdownStep =
  | { kind: 'wait'; waitMs: number }
  | { kind: 'link'; url: string }
  | { kind: 'challenge' }
  | { kind: 'refused'; reason: string }
  | { kind: 'unknown' };

const MAX_WAIT_SECONDS = 3600;

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function toFileUrl(candidate: string | undefined, pageUrl: URL): string | undefined {
  if (!candidate) return undefined;
  try {
    const url = new URL(decodeEntities(candidate.trim()), pageUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (/\/(slow|fast)_download\/|\/md5\/[0-9a-f]{32}/i.test(url.pathname)) return undefined;
    if (url.host === pageUrl.host && url.pathname === pageUrl.pathname) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

/**
 * Reads a partner-download page the way the companion's parser does (parse-countdown-page.ts), with patterns
 * instead of a DOM: the "📚 Download now" anchor or the 2026 copyable URL → `link`; `.js-partner-countdown` /
 * `waitSeconds = N` → `wait`; a bot wall → `challenge`; AA's bold refusals → `refused`.
 */
export function readCountdownPage(html: string, pageUrl: string, status = 200): CountdownStep {
  const base = new URL(pageUrl);
  if (detectChallenge({ status, headers: {}, body: html })) return { kind: 'challenge' };
  const anchors = [...html.matchAll(/<a\b[^>]*\bhref\s*=\s*"([^"]+)"[^>]*>([\s\S]*?)<\/a>/gi)]
    .filter((m) => /download now/i.test(m[2] ?? ''))
    .map((m) => m[1]);
  const copyable = [
    ...html.matchAll(/<span[^>]*class="[^"]*\bbreak-all\b[^"]*"[^>]*>\s*(https?:\/\/[^<\s]+)\s*<\/span>/gi),
  ].map((m) => m[1]);
  const clipboard = [...html.matchAll(/clipboard\.writeText\(\s*(["'])(https?:\/\/.+?)\1\s*\)/g)].map((m) => m[2]);
  for (const candidate of [...anchors, ...copyable, ...clipboard]) {
    const url = toFileUrl(candidate, base);
    if (url) return { kind: 'link', url };
  }
  const seconds =
    /class="[^"]*js-partner-countdown[^"]*"[^>]*>\s*(\d+)\s*</i.exec(html)?.[1] ??
    /\bwaitSeconds\s*=\s*(\d+)/.exec(html)?.[1];
  if (seconds !== undefined && Number(seconds) <= MAX_WAIT_SECONDS)
    return { kind: 'wait', waitMs: Number(seconds) * 1000 };
  if (/only available through the official website/i.test(html))
    return { kind: 'refused', reason: 'Slow downloads are only available through the official website' };
  if (/not available through Cloudflare VPNs/i.test(html))
    return { kind: 'refused', reason: 'Slow downloads are not available through Cloudflare VPNs' };
  return { kind: 'unknown' };
}
