import * as z from 'zod/mini';

/**
 * The contract between the companion and the extension for the browser passing challenges (issue 12): pending
 * clearance requests (the extension's alarm poll), the clearance hand-off body, and the browser download relay
 * (jobs the companion cannot fetch itself; the extension fetches the file and uploads it in chunks).
 * The companion validates with these schemas; the extension's client checks answers with them.
 */

/** Paths (all under `/api`, all behind auth like the rest of the extension protocol). */
export const RELAY_PATHS = {
  /** `POST` a {@link ClearanceRequestBody}; `GET` per-site diagnostics (never cookie values). */
  clearance: '/api/clearance',
  /** `GET` → {@link PendingClearanceList}: sites the companion waits on the browser for. */
  clearanceRequests: '/api/clearance/requests',
  /** `GET` → {@link RelayJobList}: jobs waiting for the browser to fetch the file. */
  relayJobs: '/api/jobs/relay',
  /** `GET` → {@link RelayOffset}; `PUT` a chunk (raw bytes + `Content-Range`) → {@link RelayUploadResponse}. */
  jobFile: (id: string) => `/api/jobs/${encodeURIComponent(id)}/file`,
} as const;

/** The largest chunk body `PUT /api/jobs/:id/file` accepts; larger bodies are refused with 413. */
export const RELAY_CHUNK_MAX_BYTES = 8 * 1024 * 1024;
/** A chunk size that suits both browsers (Chrome cannot stream request bodies over HTTP/1.1). */
export const RELAY_CHUNK_BYTES = 2 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Clearance hand-off

// Grammars of what the companion replays as request headers. A value outside them would make every request to the
// site fail ("invalid header") or smuggle extra cookies or headers into it.

/** RFC 6265 cookie-name: an RFC 7230 token. */
export const COOKIE_NAME_GRAMMAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 6265 cookie-value: cookie-octets (no CTL, space, `"`, `,`, `;`, `\\`), optionally in double quotes. */
export const COOKIE_VALUE_GRAMMAR =
  /^(?:"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*"|[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*)$/;
/** A header value the companion sends on: visible ASCII with inner spaces (no CR, LF, NUL or other controls). */
export const HEADER_VALUE_GRAMMAR = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused here
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Whether a cookie can be replayed as is: RFC 6265 name and value, at most 4096 characters together. */
export function isReplayableCookie(name: string, value: string): boolean {
  return name.length + value.length <= 4096 && COOKIE_NAME_GRAMMAR.test(name) && COOKIE_VALUE_GRAMMAR.test(value);
}

const noControls = z.refine<string>((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters');
const headerValue = (min: number, max: number) =>
  z.string().check(z.minLength(min), z.maxLength(max), z.regex(HEADER_VALUE_GRAMMAR, 'must be a valid header value'));

/**
 * One cookie as `browser.cookies.getAll` gives it (`expirationDate`, seconds) or CDP/Playwright (`expires`). Control
 * characters anywhere are refused; a printable cookie outside the RFC 6265 grammar (a space or comma in the value) is
 * accepted here but not stored or replayed ({@link isReplayableCookie}), so one odd site cookie does not cost the
 * clearance. Expiries are capped by the companion (RFC 6265bis: 400 days).
 */
export const clearanceCookie = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(256), noControls),
  value: z.string().check(z.maxLength(8192), noControls),
  domain: z.optional(z.string().check(z.maxLength(256), z.regex(/^\.?[A-Za-z0-9.-]*$/, 'must be a host name'))),
  path: z.optional(z.string().check(z.maxLength(1024), z.regex(/^[\x21-\x3a\x3c-\x7e]*$/, 'must be a cookie path'))),
  expirationDate: z.optional(z.number()),
  expires: z.optional(z.union([z.number(), z.string().check(z.maxLength(64), noControls)])),
  httpOnly: z.optional(z.boolean()),
  secure: z.optional(z.boolean()),
});
export type ClearanceCookieInput = z.infer<typeof clearanceCookie>;

/** `POST /api/clearance`: the cookies of a site plus the exact browser identity that earned them. */
export const clearanceRequestBody = z.object({
  /** A host name or any URL on the site (the companion keys clearance by host name). */
  site: z.string().check(z.minLength(1), z.maxLength(2048), noControls),
  cookies: z.array(clearanceCookie).check(z.minLength(1), z.maxLength(100)),
  /** `navigator.userAgent` of the browser that holds the cookies; sent on as the User-Agent header. */
  userAgent: headerValue(10, 1024),
  /** `sec-ch-ua*` client hints (header name → value), e.g. from `navigator.userAgentData`. */
  clientHints: z.optional(
    z.record(
      z.string().check(z.maxLength(64), z.regex(/^sec-ch-ua(?:-[a-z0-9-]+)?$/i, 'must be a sec-ch-ua header name')),
      headerValue(1, 512),
    ),
  ),
  acceptLanguage: z.optional(headerValue(1, 256)),
});
export type ClearanceRequestBody = z.infer<typeof clearanceRequestBody>;

/** The answer to `POST /api/clearance`. */
export const clearanceStoredResponse = z.object({
  status: z.literal('stored'),
  site: z.string(),
  cookies: z.number(),
  /** Cookies left out: outside the RFC 6265 grammar, or DDoS-Guard per-check tokens that are never replayed. */
  dropped: z.optional(z.number()),
  expiresAtMs: z.number(),
});
export type ClearanceStoredResponse = z.infer<typeof clearanceStoredResponse>;

/** The kinds of wall the companion reports; `interactive` ones need a human (captcha). */
export const CHALLENGE_KINDS = ['cloudflare', 'ddos-guard', 'interactive', 'unknown'] as const;

/**
 * A site the companion is waiting on the browser for. It stays pending until `POST /api/clearance` answers it or it
 * expires; the same request is also published as the SSE `clearance-needed` event.
 */
export const pendingClearance = z.object({
  /** The site: the host name, e.g. `annas-archive.org` (`127.0.0.1` in the test world). */
  site: z.string(),
  /** The URL that was challenged: open it in a tab to pass the check. */
  url: z.string(),
  requestedAtMs: z.number(),
  expiresAtMs: z.number(),
  /** The wall needs a person (captcha): notify the user and focus the tab instead of waiting silently. */
  needsHuman: z.boolean(),
  /** `cloudflare`, `ddos-guard`, … as the companion classified it (informative). */
  challenge: z.string(),
  /** Queue items waiting on this site. */
  itemIds: z.array(z.string()),
});
export type PendingClearance = z.infer<typeof pendingClearance>;

/** `GET /api/clearance/requests`. */
export const pendingClearanceList = z.object({ requests: z.array(pendingClearance) });
export type PendingClearanceList = z.infer<typeof pendingClearanceList>;

// ---------------------------------------------------------------------------------------------------------------
// Browser download relay

/**
 * What a candidate URL answers: `file` = the book's bytes (once the site lets the browser through);
 * `countdown-page` = an AA/Welib slow-download page: wait out its countdown, then follow its download link.
 */
export const RELAY_CANDIDATE_KINDS = ['file', 'countdown-page'] as const;
export type RelayCandidateKind = (typeof RELAY_CANDIDATE_KINDS)[number];

export const relayCandidate = z.object({
  url: z.string(),
  kind: z.enum(RELAY_CANDIDATE_KINDS),
  /** Human label, e.g. "Anna's Archive slow partner #2". */
  label: z.string(),
  /** The site whose session (cookies) the browser needs. */
  site: z.string(),
  /** Headers to send along (only `referer` today). */
  headers: z.optional(z.record(z.string(), z.string())),
});
export type RelayCandidate = z.infer<typeof relayCandidate>;

/** A job that waits for the browser to fetch its file (`status: 'downloading'`, `waiting.kind: 'relay'`). */
export const relayJob = z.object({
  /** The book's md5 (also the queue item id): the finished upload must have this md5. */
  id: z.string(),
  title: z.string(),
  format: z.nullable(z.string()),
  /** Size in bytes when the companion knows it (from the first upload chunk or the source). */
  expectedBytes: z.nullable(z.number()),
  /** Try in order; the first that yields the file wins. */
  candidates: z.array(relayCandidate),
  /** Bytes already received: the next chunk must start here. */
  offset: z.number(),
  /** Why the companion could not fetch it itself (shown to the user). */
  reason: z.string(),
  site: z.string(),
  requestedAtMs: z.number(),
  /** After this the job fails ("no browser fetched the file in time"). */
  expiresAtMs: z.number(),
});
export type RelayJob = z.infer<typeof relayJob>;

/** `GET /api/jobs/relay` (also `GET /api/jobs?state=needs-relay`). */
export const relayJobList = z.object({ jobs: z.array(relayJob) });
export type RelayJobList = z.infer<typeof relayJobList>;

/** `GET /api/jobs/:id/file`: where an interrupted upload resumes. */
export const relayOffset = z.object({ offset: z.number(), total: z.nullable(z.number()) });
export type RelayOffset = z.infer<typeof relayOffset>;

/**
 * `PUT /api/jobs/:id/file` with `Content-Range: bytes START-END/TOTAL` and the raw chunk as the body
 * (`application/octet-stream`, at most {@link RELAY_CHUNK_MAX_BYTES}). START must equal the stored offset.
 * Answers: 200 this shape; 409 `{error, code: 'conflict', offset}` (wrong START, job not waiting for a relay, or
 * another upload of the job in flight); 413 (more bytes than TOTAL or than announced, chunk too big); 400 (bad or
 * missing Content-Range, body length ≠ END-START+1); 422 `{error}` when the complete file has the wrong md5 (the
 * job fails with that reason and nothing reaches the library); 401 without a valid token when auth is on.
 */
export const relayUploadResponse = z.object({
  offset: z.number(),
  total: z.number(),
  /** `true` once the last byte arrived and the file was verified and placed (the item is `available`). */
  complete: z.boolean(),
});
export type RelayUploadResponse = z.infer<typeof relayUploadResponse>;

/** The 409 body of a chunk that does not start at the stored offset: resume from `offset`. */
export const relayConflict = z.object({ error: z.string(), code: z.optional(z.string()), offset: z.number() });
export type RelayConflict = z.infer<typeof relayConflict>;

/** `bytes START-END/TOTAL` for a chunk of `length` bytes starting at `start`. */
export function formatContentRange(start: number, length: number, total: number): string {
  return `bytes ${start}-${start + length - 1}/${total}`;
}
