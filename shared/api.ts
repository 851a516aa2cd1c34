import * as z from 'zod/mini';

/**
 * Request and response shapes of the extension protocol, written once: the companion's routes validate with them
 * and the extension's companion client checks answers with them, so the two sides cannot drift. `zod/mini` keeps
 * the extension bundle small.
 */

/** Capabilities a companion announces in `GET /api/ping`; the extension hides what the companion cannot do. */
export const CAPABILITIES = ['search', 'queue', 'events', 'pairing', 'clearance'] as const;
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

/** `GET /api/download`'s answer (CWA-BD's shape). */
export const enqueueResponse = z.object({ status: z.string(), priority: z.optional(z.number()) });
export type EnqueueResponse = z.infer<typeof enqueueResponse>;

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
