import type { Dispatcher } from 'undici';
import { detectChallenge } from '../../shared/detect-challenge.js';
import { ChallengeError, redactUrl, UpstreamNetworkError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { RawCookie } from '../net/clearance-cookies.js';
import { loadUndici } from '../net/load-undici.js';
import { siteOf } from '../net/site-of.js';
import type { ClearanceSolver, SolvedClearance } from './solved-clearance.js';

export interface ExternalOptions {
  /** EXT_BYPASSER_URL, e.g. `http://flaresolverr:8191`. */
  url: string;
  /** EXT_BYPASSER_PATH, e.g. `/v1`. */
  path: string;
  /** EXT_BYPASSER_TIMEOUT: sent as `maxTimeout`; we wait 15 s longer, at most 120 s (shelfmark). */
  timeoutMs: number;
  dispatcher?: Dispatcher;
  logger?: Logger;
}

/** FlareSolverr's answer (README at 0f05ed8); Byparr answers the same shape with Playwright cookies. */
interface SolverAnswer {
  status?: string;
  message?: string;
  solution?: {
    url?: string;
    status?: number;
    headers?: Record<string, string>;
    response?: string;
    cookies?: RawCookie[];
    userAgent?: string;
  };
}

function belongsTo(site: string, cookie: RawCookie): boolean {
  const domain = (cookie.domain ?? site).replace(/^\./, '').toLowerCase();
  return site === domain || site.endsWith(`.${domain}`);
}

/**
 * Asks a FlareSolverr/Byparr server to solve `url` (`POST {url}{path}` with `{cmd:'request.get', url,
 * maxTimeout}`) and returns the solution's cookies for that site with the solver's own User-Agent, which
 * must be replayed with them. A solver error or a solution that is still a wall → {@link ChallengeError}.
 */
export function createExternalSolver({
  url,
  path,
  timeoutMs,
  dispatcher,
  logger = silentLogger,
}: ExternalOptions): ClearanceSolver {
  // Made on the first solve, so undici loads then and not at start-up.
  let own: Promise<Dispatcher> | undefined;
  const shared = () =>
    // biome-ignore lint/suspicious/noAssignInExpressions: memoised on first use
    dispatcher ?? (own ??= loadUndici().then(({ Agent }) => new Agent({ connect: { timeout: 10_000 } })));
  const endpoint = `${url.replace(/\/+$/, '')}${path}`;
  const waitMs = Math.min(timeoutMs + 15_000, 120_000);

  return {
    async solve(target, signal) {
      const site = siteOf(target);
      let answer: SolverAnswer;
      let httpStatus: number;
      try {
        const { request } = await loadUndici();
        const res = await request(endpoint, {
          dispatcher: await shared(),
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ cmd: 'request.get', url: target, maxTimeout: timeoutMs }),
          headersTimeout: waitMs,
          bodyTimeout: waitMs,
          ...(signal ? { signal } : {}),
        });
        httpStatus = res.statusCode;
        answer = (await res.body.json().catch(() => ({}))) as SolverAnswer;
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        throw new UpstreamNetworkError(endpoint, err, 'POST');
      }
      const solution = answer.solution;
      if (answer.status !== 'ok' || !solution?.userAgent) {
        const detail = (answer.message ?? `HTTP ${httpStatus}`).slice(0, 200);
        logger.warn('External bypasser failed', { site, url: redactUrl(target), detail });
        throw new ChallengeError(site, target, `external bypasser: ${detail}`);
      }
      const still = detectChallenge({
        status: solution.status ?? 200,
        headers: solution.headers ?? {},
        body: solution.response ?? '',
      });
      if (still && still.kind !== 'rate-limited')
        throw new ChallengeError(site, target, `${still.kind} after external bypass`);
      const solved: SolvedClearance = {
        cookies: (solution.cookies ?? []).filter((cookie) => belongsTo(site, cookie)),
        userAgent: solution.userAgent,
      };
      logger.info('External bypasser solved', { site, cookieCount: solved.cookies.length });
      return solved;
    },
    async close() {
      if (own) await (await own).close();
    },
  };
}
