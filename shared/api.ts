import * as z from 'zod/mini';

/**
 * Request and response shapes of the extension protocol, written once: the companion's routes validate with them
 * and the extension's companion client checks answers with them, so the two sides cannot drift. `zod/mini` keeps
 * the extension bundle small.
 */

/** Capabilities a companion announces in `GET /api/ping`; the extension hides what the companion cannot do. */
export const CAPABILITIES = ['search', 'queue', 'events', 'pairing', 'clearance', 'lists'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** `GET /api/ping`: who answers, which protocol it speaks, and the defaults the extension's settings start from. */
export const pingResponse = z.object({
  app: z.literal('bookrelay'),
  version: z.string(),
  protocol: z.number(),
  capabilities: z.array(z.string()),
  authRequired: z.boolean(),
  /** Whether this request's credentials were accepted (false without a token when auth is on). */
  authenticated: z.boolean(),
  defaults: z.object({ formats: z.array(z.string()), languages: z.array(z.string()) }),
});
export type PingResponse = z.infer<typeof pingResponse>;

/**
 * `GET /api/health` (no credentials): `degraded` (still 200) lists what keeps the companion from working, such as a
 * full disk; restarting it would not help.
 */
export const healthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  problems: z.optional(z.array(z.object({ code: z.literal('disk-full'), message: z.string() }))),
});
export type HealthResponse = z.infer<typeof healthResponse>;

/** `POST /api/pair`: a one-time code from the web UI plus a device name → a named, revocable device token. */
export const pairRequest = z.object({
  code: z.string().check(z.minLength(1), z.maxLength(32)),
  deviceName: z.string().check(z.minLength(1), z.maxLength(100)),
});
export type PairRequest = z.infer<typeof pairRequest>;

export const pairResponse = z.object({ token: z.string(), id: z.number(), name: z.string() });
export type PairResponse = z.infer<typeof pairResponse>;

/**
 * `GET /api/download`'s answer (CWA-BD's shape): 200 `{status: 'queued', priority}`; 200 `{status: 'already
 * available', priority, book_id}` when the book already sits in the ingest folder (nothing is fetched again; a 200 so
 * CWA-BD clients, which only check for success, keep working); 404 `{error}` when Anna's Archive has no such record.
 */
export const enqueueResponse = z.object({
  status: z.string(),
  priority: z.optional(z.number()),
  book_id: z.optional(z.string()),
});
export type EnqueueResponse = z.infer<typeof enqueueResponse>;

/** `status` of {@link enqueueResponse} for a book already downloaded and placed. */
export const ALREADY_AVAILABLE = 'already available';

/** One search result as the extension reads it: CWA-BD's BookInfo, only the fields the UI shows are checked. */
export const searchResult = z.looseObject({
  id: z.string(),
  title: z.string(),
  author: z.optional(z.nullable(z.string())),
  year: z.optional(z.nullable(z.string())),
  format: z.optional(z.nullable(z.string())),
  size: z.optional(z.nullable(z.string())),
  language: z.optional(z.nullable(z.string())),
  preview: z.optional(z.nullable(z.string())),
  publisher: z.optional(z.nullable(z.string())),
  info: z.optional(z.nullable(z.record(z.string(), z.array(z.string())))),
});
export const searchResponse = z.array(searchResult);

/**
 * `GET /api/search` answers CWA-BD's array and says in these headers how many results the DEFAULT filters hid
 * (`SUPPORTED_FORMATS` / `BOOK_LANGUAGE`, applied when the request named no `format` / `lang`), counted on the
 * first result page: `X-Hidden-Results: 3`, `X-Hidden-By: format=2,language=1` (a result can fail both).
 * `include_hidden=true` lifts the default filters (an explicit `format`/`lang` still applies); both headers are 0 then.
 */
export const HIDDEN_RESULTS_HEADER = 'X-Hidden-Results';
export const HIDDEN_BY_HEADER = 'X-Hidden-By';
export const INCLUDE_HIDDEN_PARAM = 'include_hidden';

/** How many results the default filters hid, by filter. */
export interface HiddenResults {
  total: number;
  format: number;
  language: number;
}

/** `X-Hidden-By`'s value for a count. */
export function formatHiddenBy(hidden: Pick<HiddenResults, 'format' | 'language'>): string {
  return `format=${hidden.format},language=${hidden.language}`;
}

/** Reads the two headers (absent or malformed: nothing hidden, as from a companion that predates them). */
export function readHiddenResults(headers: { get(name: string): string | null }): HiddenResults {
  const count = (value: string | null | undefined) => {
    const n = Number(value);
    return value && /^\d{1,9}$/.test(value.trim()) && Number.isSafeInteger(n) ? n : 0;
  };
  const by = headers.get(HIDDEN_BY_HEADER) ?? '';
  return {
    total: count(headers.get(HIDDEN_RESULTS_HEADER)),
    format: count(/(?:^|,)\s*format=(\d+)/.exec(by)?.[1]),
    language: count(/(?:^|,)\s*language=(\d+)/.exec(by)?.[1]),
  };
}

/** `GET /api/diagnostics/mirrors`: which configured mirrors answer and which are parked (read-only). */
export const MIRROR_DIAGNOSTICS_PATH = '/api/diagnostics/mirrors';

export const mirrorStatus = z.object({
  /** The site's name ("Anna's Archive", "libgen", "Z-Library", "Welib"). */
  site: z.string(),
  url: z.string(),
  /** `parked`: it answered 429 and is not asked again before `parkedUntil`. */
  state: z.enum(['ok', 'parked']),
  /** The search path learned for this mirror (`/search`, `/s/`); null for sites not searched. */
  searchPath: z.nullable(z.string()),
  /** Requests go to this mirror first. */
  inUse: z.boolean(),
  /** Epoch ms. */
  parkedUntil: z.optional(z.number()),
  /** Why the last request or probe on this mirror failed; absent after a success. */
  lastError: z.optional(z.string()),
});
export type MirrorStatus = z.infer<typeof mirrorStatus>;

export const mirrorDiagnosticsResponse = z.object({ mirrors: z.array(mirrorStatus) });
export type MirrorDiagnosticsResponse = z.infer<typeof mirrorDiagnosticsResponse>;
