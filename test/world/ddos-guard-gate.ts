import { randomBytes } from 'node:crypto';
import type { GateResult } from './counters.js';
import {
  type ClearanceBook,
  formatSetCookie,
  type GateRequest,
  type GateSettings,
  generateToken,
  readCookies,
} from './gate-clearance.js';
import { renderDdosGuardChallenge } from './gate-pages.js';

/**
 * `js-check`: the JS check page; `cookie-probe`: only a `?check=1` redirect that sets cookies (no JS);
 * `check-redirect`: AA's 2026 front — `302 → ?check=1` (setting `__ddg1_`/`__ddg2_`), where the JS check page answers
 * 403 until a browser passes it.
 */
export type DdosGuardMode = 'js-check' | 'cookie-probe' | 'check-redirect';

/** What a gate decided; `response` is set when the request must not reach the origin. */
export interface GateVerdict {
  kind: 'cloudflare' | 'ddos-guard';
  result: GateResult;
  response?: Response;
}

function toReturnPath(url: URL): string {
  return `${url.pathname}${url.search}`;
}

function challenge(
  book: ClearanceBook,
  request: GateRequest,
  result: GateResult,
  jar: Map<string, string>,
  interactive: boolean,
): GateVerdict {
  const headers = new Headers({ 'content-type': 'text/html; charset=utf-8', server: 'ddos-guard' });
  let ddg1 = jar.get('__ddg1_');
  if (!ddg1) {
    ddg1 = generateToken(15);
    headers.append('set-cookie', formatSetCookie('__ddg1_', ddg1, 365 * 86400));
    headers.append('set-cookie', formatSetCookie('__ddg2_', randomBytes(8).toString('hex'), 365 * 86400, false));
  }
  const html = renderDdosGuardChallenge({
    ticket: book.issueTicket(request, 'ddos-guard', ddg1),
    returnTo: toReturnPath(request.url),
    interactive,
  });
  return { kind: 'ddos-guard', result, response: new Response(html, { status: 403, headers }) };
}

/**
 * DDoS-Guard: valid `__ddgid_` (+ matching `__ddg1_`, same UA) passes; stale per-check cookies (another IP in
 * `__ddg9_`, an old `__ddg10_`) get an endless same-host `?check=1` redirect (Shelfmark #1220); else the JS check page.
 */
export function checkDdosGuard(
  book: ClearanceBook,
  settings: GateSettings,
  request: GateRequest,
  options: { staleCheckLoop?: boolean; interactive?: boolean; mode?: DdosGuardMode; now: () => number },
): GateVerdict {
  const { staleCheckLoop = true, interactive = false, mode = 'js-check', now } = options;
  const jar = readCookies(request.headers);
  const ddg9 = jar.get('__ddg9_');
  const ddg10 = Number(jar.get('__ddg10_'));
  const stale =
    (ddg9 !== undefined && ddg9 !== request.clientIp) ||
    (jar.has('__ddg10_') && (!Number.isFinite(ddg10) || now() - ddg10 * 1000 > settings.ddgTransientTtlMs));
  if (stale && staleCheckLoop) {
    const target = new URL(request.url);
    target.searchParams.set('check', '1');
    const response = new Response(null, {
      status: 302,
      headers: { location: toReturnPath(target), server: 'ddos-guard' },
    });
    return { kind: 'ddos-guard', result: 'rejected', response };
  }
  if (mode === 'cookie-probe') return probe(book, request, jar);
  const token = jar.get('__ddgid_');
  if (book.isValid(token, request, 'ddos-guard', jar.get('__ddg1_'))) return { kind: 'ddos-guard', result: 'passed' };
  if (mode === 'check-redirect' && request.url.searchParams.get('check') !== '1') return checkRedirect(request, jar);
  return challenge(book, request, token ? 'rejected' : 'challenged', jar, interactive);
}

/** The first leg of `check-redirect`: a same-host `302 → ?check=1` that hands out the per-browser cookies. */
function checkRedirect(request: GateRequest, jar: Map<string, string>): GateVerdict {
  const target = new URL(request.url);
  target.searchParams.set('check', '1');
  const headers = new Headers({ location: toReturnPath(target), server: 'ddos-guard' });
  if (!jar.has('__ddg1_')) {
    headers.append('set-cookie', formatSetCookie('__ddg1_', generateToken(15), 365 * 86400));
    headers.append('set-cookie', formatSetCookie('__ddg2_', randomBytes(8).toString('hex'), 365 * 86400, false));
  }
  return { kind: 'ddos-guard', result: 'challenged', response: new Response(null, { status: 302, headers }) };
}

/** Passive mode: no page, just a same-host `?check=1` redirect that sets `__ddg1_`/`__ddg2_`; echoing them passes. */
function probe(book: ClearanceBook, request: GateRequest, jar: Map<string, string>): GateVerdict {
  const presented = jar.get('__ddg1_');
  if (book.isProbeCookie(presented, request)) return { kind: 'ddos-guard', result: 'passed' };
  const target = new URL(request.url);
  target.searchParams.set('check', '1');
  const headers = new Headers({ location: toReturnPath(target), server: 'ddos-guard' });
  headers.append('set-cookie', formatSetCookie('__ddg1_', book.issueProbeCookie(request), 365 * 86400));
  headers.append('set-cookie', formatSetCookie('__ddg2_', randomBytes(8).toString('hex'), 365 * 86400, false));
  const response = new Response(null, { status: 302, headers });
  return { kind: 'ddos-guard', result: presented ? 'rejected' : 'challenged', response };
}

/** The check endpoint the challenge script calls: sets the clearance and per-check cookies. */
export function solveDdosGuard(
  book: ClearanceBook,
  settings: GateSettings,
  request: GateRequest,
  now: () => number,
): Response {
  const ticket = book.takeTicket(request, 'ddos-guard');
  const ddg1 = readCookies(request.headers).get('__ddg1_');
  if (!ticket || !ddg1 || ticket.ddg1 !== ddg1) return new Response('check failed', { status: 403 });
  const headers = new Headers({ server: 'ddos-guard' });
  const transient = Math.floor(settings.ddgTransientTtlMs / 1000);
  const cookies = [
    formatSetCookie(
      '__ddgid_',
      book.issueClearance(request, 'ddos-guard', ddg1),
      Math.floor(settings.tokenTtlMs / 1000),
    ),
    formatSetCookie('__ddg5_', generateToken(12)),
    formatSetCookie('__ddgmark_', generateToken(12), 86400),
    formatSetCookie('__ddg8_', generateToken(12), transient),
    formatSetCookie('__ddg9_', request.clientIp, transient),
    formatSetCookie('__ddg10_', String(Math.floor(now() / 1000)), transient),
  ];
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status: 204, headers });
}
