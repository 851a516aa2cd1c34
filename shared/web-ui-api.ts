import * as z from 'zod/mini';

/**
 * Routes the companion's web UI adds (settings, diagnostics, users, queue actions, covers): request and response
 * shapes written once, used by the routes and the page.
 */

/** `POST /api/queue/:id/retry` and `DELETE /api/queue/:id`. */
export const queueActionResponse = z.object({ status: z.enum(['queued', 'removed']), book_id: z.string() });
export type QueueActionResponse = z.infer<typeof queueActionResponse>;

/** `GET /api/settings/config`: the effective configuration, flattened; secrets masked (`secret: true`). */
export const configEntry = z.object({
  key: z.string(),
  value: z.nullable(z.string()),
  secret: z.boolean(),
});
export const settingsConfigResponse = z.object({ entries: z.array(configEntry) });
export type SettingsConfigResponse = z.infer<typeof settingsConfigResponse>;
export type ConfigEntry = z.infer<typeof configEntry>;

/** `GET /api/settings/disk`: space left where finished books are placed. */
export const diskResponse = z.object({
  path: z.string(),
  freeBytes: z.nullable(z.number()),
  totalBytes: z.nullable(z.number()),
  error: z.optional(z.string()),
});
export type DiskResponse = z.infer<typeof diskResponse>;

/** `GET /api/diagnostics/mirrors` (when the companion has it): Anna's Archive mirrors, reachable or parked. */
export const mirrorsResponse = z.object({
  mirrors: z.array(
    z.object({
      site: z.string(),
      url: z.string(),
      state: z.string(),
      searchPath: z.optional(z.nullable(z.string())),
      parkedUntil: z.optional(z.nullable(z.union([z.number(), z.string()]))),
      lastError: z.optional(z.nullable(z.string())),
    }),
  ),
});
export type MirrorsResponse = z.infer<typeof mirrorsResponse>;

/** `GET /api/users`, `POST /api/users {name, password, isAdmin}`, `DELETE /api/users/:id` (admins only). */
export const userView = z.object({ id: z.number(), name: z.string(), isAdmin: z.boolean(), createdAtMs: z.number() });
export const usersResponse = z.object({ users: z.array(userView) });
export type UserView = z.infer<typeof userView>;
export const createUserRequest = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  password: z.string().check(z.minLength(1), z.maxLength(1024)),
  isAdmin: z.optional(z.boolean()),
});
