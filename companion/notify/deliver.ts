import { abortableSleep } from '../abortable-sleep.js';
import type { HttpClient, HttpRequest } from '../net/http-client.js';

export interface DeliverOptions {
  /** Attempts in all (first try + retries). */
  attempts: number;
  /** Wait before retry n is backoffMs · 2^(n-1). */
  backoffMs: number;
  signal: AbortSignal;
}

/**
 * POSTs one notification, retrying with exponential back-off on network errors, 429 and 5xx; a 4xx other than 429
 * is final (the receiver refuses it). Returns the attempts used; throws the last failure as a short reason that
 * never names the URL.
 */
export async function deliver(
  client: HttpClient,
  url: string,
  init: HttpRequest,
  { attempts, backoffMs, signal }: DeliverOptions,
): Promise<number> {
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await abortableSleep(backoffMs * 2 ** (attempt - 2), signal);
    try {
      const res = await client.request(url, { ...init, method: 'POST', maxRedirects: 0, signal });
      await res.dump();
      if (res.status >= 200 && res.status < 300) return attempt;
      last = new Error(`HTTP ${res.status}`);
      if (res.status < 500 && res.status !== 429) break;
    } catch (err) {
      if (signal.aborted) throw err;
      last = new Error(err instanceof Error ? err.name : 'request failed');
    }
  }
  throw last;
}
