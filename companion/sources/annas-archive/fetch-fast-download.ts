import type { Md5 } from '../../../shared/book.js';
import { parseRetryAfterMs } from '../../../shared/detect-challenge.js';
import { ChallengeError, isCompanionError, redactUrl, UpstreamHttpError, UpstreamNetworkError } from '../../errors.js';
import type { HttpClient } from '../../net/http-client.js';
import type { MirrorPool } from '../mirrors.js';
import { parseFastDownloadAnswer } from './parse-fast-download-answer.js';

/** The donator API's verdict: a file URL, or a clear reason (bad key, not a member, quota used up, …). */
export type FastDownloadOutcome =
  | { ok: true; url: string; downloadsLeft?: number }
  /** `refused`: AA refused the key or its membership (not the file), which the item's final error must name. */
  | { ok: false; reason: string; refused?: boolean };

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// Our errors keep the raw URL in `.url`; this one carries the member key, so every error leaving here is rebuilt
// around the redacted URL (bypasses, logs and job messages must never see the key).
function withoutKey(err: unknown): unknown {
  if (isCompanionError(err, UpstreamHttpError)) {
    return new UpstreamHttpError(err.status, redactUrl(err.url), err.method, err.retryAfterMs);
  }
  if (isCompanionError(err, UpstreamNetworkError)) {
    return new UpstreamNetworkError(redactUrl(err.url), err.cause, err.method);
  }
  if (isCompanionError(err, ChallengeError)) return new ChallengeError(err.site, redactUrl(err.url), err.kind);
  return err;
}

/**
 * Asks AA's member API `/dyn/api/fast_download.json?md5=&key=` for a file URL on the current mirror. AA's JSON
 * errors (also those sent with 401/403/429) are `ok: false` with the parser's message; a 429 or 5xx without
 * AA's JSON is a busy mirror and fails over / parks like any page.
 */
export async function fetchFastDownloadUrl(
  deps: { client: HttpClient; pool: MirrorPool },
  md5: Md5,
  key: string,
  signal?: AbortSignal,
): Promise<FastDownloadOutcome> {
  return deps.pool.run(async (base) => {
    const url = new URL('/dyn/api/fast_download.json', `${base}/`);
    url.searchParams.set('md5', md5);
    url.searchParams.set('key', key);
    try {
      const res = await deps.client.request(url.href, {
        headers: { accept: 'application/json' },
        ...(signal ? { signal } : {}),
      });
      const body = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        if (res.status === 429 || res.status >= 500 || res.status === 404) {
          const retryAfterMs = parseRetryAfterMs(headerValue(res.headers['retry-after']));
          throw new UpstreamHttpError(res.status, url.href, 'GET', retryAfterMs);
        }
        return { ok: false, reason: `Expected JSON from Anna's Archive's fast download API, got HTTP ${res.status}` };
      }
      const answer = parseFastDownloadAnswer(json);
      if (!answer.ok) {
        return {
          ok: false,
          reason: answer.error.detail,
          ...(answer.error.kind === 'refused' ? { refused: true } : {}),
        };
      }
      return {
        ok: true,
        url: answer.value.downloadUrl,
        ...(answer.value.downloadsLeft === undefined ? {} : { downloadsLeft: answer.value.downloadsLeft }),
      };
    } catch (err) {
      throw withoutKey(err);
    }
  }, signal);
}
