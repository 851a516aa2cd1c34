import { detectChallenge } from '../../shared/detect-challenge.js';

/** What an Anna's Archive / Welib `slow_download` page asks of the browser (service workers have no DOMParser). */
export type CountdownStep =
  | { kind: 'wait'; waitMs: number }
  | { kind: 'link'; url: string }
  | { kind: 'challenge' }
  | { kind: 'refused'; reason: string }
  | { kind: 'unknown' };

const MAX_WAIT_SECONDS = 3600;
const MAX_PAGE_CHARS = 1_000_000;

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

const MAX_TAG_CHARS = 2_000;
const MAX_ELEMENTS = 5_000;

/**
 * Opening tags named `name` with their text up to the closing tag, found by bounded string search (no regex over
 * the page: a page of thousands of unclosed tags makes a backtracking pattern take minutes).
 */
function scanElements(html: string, name: string): { tag: string; inner: string | undefined }[] {
  const lower = html.toLowerCase();
  const open = `<${name}`;
  const close = `</${name}>`;
  const found: { tag: string; inner: string | undefined }[] = [];
  let at = 0;
  while (found.length < MAX_ELEMENTS) {
    const start = lower.indexOf(open, at);
    if (start < 0) break;
    at = start + open.length;
    if (!/[\s>]/.test(lower[at] ?? '')) continue;
    const tagEnd = lower.slice(start, start + MAX_TAG_CHARS).indexOf('>');
    if (tagEnd < 0) continue;
    const innerStart = start + tagEnd + 1;
    const innerEnd = lower.slice(innerStart, innerStart + MAX_TAG_CHARS).indexOf(close);
    found.push({
      tag: html.slice(start, innerStart),
      inner: innerEnd < 0 ? undefined : html.slice(innerStart, innerStart + innerEnd),
    });
    at = innerStart;
  }
  return found;
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
export function readCountdownPage(fullHtml: string, pageUrl: string, status = 200): CountdownStep {
  // A hostile or runaway page must not stall the service worker: only the head of it is read, and no pattern
  // below scans further than a bounded window past its start.
  const html = fullHtml.slice(0, MAX_PAGE_CHARS);
  const base = new URL(pageUrl);
  if (detectChallenge({ status, headers: {}, body: html })) return { kind: 'challenge' };
  const anchors = scanElements(html, 'a')
    .filter(({ inner }) => inner !== undefined && /download now/i.test(inner))
    .map(({ tag }) => /\bhref\s*=\s*"([^"]*)"/i.exec(tag)?.[1]);
  const spans = scanElements(html, 'span');
  const copyable = spans
    .filter(({ tag }) => /\bclass\s*=\s*"[^"]*\bbreak-all\b/i.test(tag))
    .map(({ inner }) => inner?.trim())
    .filter((text) => text !== undefined && /^https?:\/\/\S+$/i.test(text));
  const clipboard = [...html.matchAll(/clipboard\.writeText\(\s*(["'])(https?:\/\/[^"'\s]{1,4000})\1\s*\)/g)].map(
    (m) => m[2],
  );
  for (const candidate of [...anchors, ...copyable, ...clipboard]) {
    const url = toFileUrl(candidate, base);
    if (url) return { kind: 'link', url };
  }
  const countdown = spans.find(({ tag }) => /\bclass\s*=\s*"[^"]*\bjs-partner-countdown\b/i.test(tag));
  const seconds = /^\s*(\d+)\s*$/.exec(countdown?.inner ?? '')?.[1] ?? /\bwaitSeconds\s*=\s*(\d+)/.exec(html)?.[1];
  if (seconds !== undefined && Number(seconds) <= MAX_WAIT_SECONDS)
    return { kind: 'wait', waitMs: Number(seconds) * 1000 };
  if (/only available through the official website/i.test(html))
    return { kind: 'refused', reason: 'Slow downloads are only available through the official website' };
  if (/not available through Cloudflare VPNs/i.test(html))
    return { kind: 'refused', reason: 'Slow downloads are not available through Cloudflare VPNs' };
  return { kind: 'unknown' };
}
