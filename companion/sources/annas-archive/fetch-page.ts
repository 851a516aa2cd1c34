import { ChallengeError, isCompanionError } from '../../errors.js';
import { assertOk } from '../../net/create-http-client.js';
import type { HttpClient } from '../../net/http-client.js';

/** Gets clearance for a challenged site (the companion's bypass orchestrator); structurally download-book's solver. */
export interface PageSolver {
  solve(site: string, url: string, signal: AbortSignal, challenge?: string): Promise<unknown>;
}

export interface FetchPageDeps {
  client: HttpClient;
  solver?: PageSolver;
}

/** A page as read: `status` 404 has an empty `html` (the caller decides what "missing" means). */
export interface FetchedPage {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  html: string;
}

const NEVER = new AbortController().signal;

/**
 * GETs a page and reads it as text. 404 is returned (not thrown); other non-2xx statuses throw
 * UpstreamHttpError (429/503 with Retry-After); a protection wall is handed to the solver once, then retried.
 */
export async function fetchPage(
  deps: FetchPageDeps,
  url: string,
  { signal, headers }: { signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<FetchedPage> {
  const once = async (): Promise<FetchedPage> => {
    const res = await deps.client.request(url, { ...(signal ? { signal } : {}), ...(headers ? { headers } : {}) });
    if (res.status === 404) {
      await res.dump();
      return { status: 404, url: res.url, html: '' };
    }
    await assertOk(res);
    return { status: res.status, url: res.url, html: await res.text() };
  };
  try {
    return await once();
  } catch (err) {
    if (!isCompanionError(err, ChallengeError) || !deps.solver) throw err;
    // One solve per page fetch: a wall that answers again after a solve is the solver's failure to report.
    await deps.solver.solve(err.site, err.url, signal ?? NEVER, err.kind);
    return once();
  }
}
