import * as z from 'zod/mini';
import { SHELF_SITES } from './shelf-url.js';

/**
 * Watched shelves (issue 18): request and response shapes of `/api/lists`, written once for the companion's routes,
 * the extension and the web UI.
 */
export const LISTS_PATHS = {
  lists: '/api/lists',
  list: (id: number) => `/api/lists/${id}`,
  check: (id: number) => `/api/lists/${id}/check`,
  entries: (id: number) => `/api/lists/${id}/entries`,
  runs: (id: number) => `/api/lists/${id}/runs`,
} as const;

const isbn = z.string().check(z.regex(/^[0-9]{9}[0-9Xx]$|^[0-9]{13}$/));

/** One book on a shelf as a page, a feed or an API gives it; `key` is stable per site (the site's book id). */
export const shelfEntry = z.object({
  key: z.string().check(z.minLength(1), z.maxLength(200)),
  title: z.string().check(z.maxLength(500)),
  authors: z.array(z.string().check(z.maxLength(200))).check(z.maxLength(20)),
  isbn13: z.optional(isbn),
  isbn10: z.optional(isbn),
});
export type ShelfEntry = z.infer<typeof shelfEntry>;

/** How a shelf is checked: by the companion (feed or API) or by the extension reading the page on an alarm. */
export const CHECK_MODES = ['companion', 'extension'] as const;
export type CheckMode = (typeof CHECK_MODES)[number];

/** `POST /api/lists`: the shelf page URL; a Hardcover API token lets the companion read Hardcover itself. */
export const createListRequest = z.object({
  url: z.string().check(z.minLength(1), z.maxLength(2000)),
  title: z.optional(z.string().check(z.maxLength(200))),
  token: z.optional(z.string().check(z.minLength(1), z.maxLength(4000))),
  /** Queue what is on the shelf now (default: only books added from now on; "Send all" covers the rest). */
  queueExisting: z.optional(z.boolean()),
});
export type CreateListRequest = z.infer<typeof createListRequest>;

/** `PATCH /api/lists/:id`: pause/resume, rename, set or clear (`null`) the Hardcover token. */
export const patchListRequest = z.object({
  paused: z.optional(z.boolean()),
  title: z.optional(z.string().check(z.maxLength(200))),
  token: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(4000)))),
});
export type PatchListRequest = z.infer<typeof patchListRequest>;

/** One watched shelf; the token itself is never sent back (`hasToken` says whether one is stored). */
export const listView = z.object({
  id: z.number(),
  site: z.enum(SHELF_SITES),
  user: z.string(),
  shelf: z.string(),
  url: z.string(),
  title: z.string(),
  mode: z.enum(CHECK_MODES),
  paused: z.boolean(),
  hasToken: z.boolean(),
  createdAtMs: z.number(),
  lastCheckedAtMs: z.nullable(z.number()),
  lastError: z.nullable(z.string()),
  /** Counts over all checks. */
  queuedCount: z.number(),
  noMatchCount: z.number(),
});
export type ListView = z.infer<typeof listView>;

export const listsResponse = z.object({ lists: z.array(listView) });
export type ListsResponse = z.infer<typeof listsResponse>;

/**
 * What a check did with one new entry: `queued` (md5 set), `skipped` (already in the library or queue),
 * `no-match` (nothing fit the rule: listed, never guessed; `searchQuery` is the one-click search),
 * `existing` (on the shelf when watching began, left alone).
 */
export const ENTRY_OUTCOMES = ['queued', 'skipped', 'no-match', 'existing'] as const;
export type EntryOutcome = (typeof ENTRY_OUTCOMES)[number];

export const runEntry = z.object({
  key: z.string(),
  title: z.string(),
  authors: z.array(z.string()),
  outcome: z.enum(ENTRY_OUTCOMES),
  md5: z.nullable(z.string()),
  detail: z.nullable(z.string()),
  searchQuery: z.nullable(z.string()),
});
export type RunEntry = z.infer<typeof runEntry>;

export const RUN_TRIGGERS = ['poll', 'manual', 'extension'] as const;

/** One check of a shelf and the new entries it handled. */
export const listRun = z.object({
  id: z.number(),
  listId: z.number(),
  trigger: z.enum(RUN_TRIGGERS),
  startedAtMs: z.number(),
  finishedAtMs: z.nullable(z.number()),
  /** Why the check stopped early (entries not handled are tried again next time). */
  error: z.nullable(z.string()),
  entries: z.array(runEntry),
});
export type ListRun = z.infer<typeof listRun>;

export const runsResponse = z.object({ runs: z.array(listRun) });
export type RunsResponse = z.infer<typeof runsResponse>;

/** `POST /api/lists/:id/entries`: what the extension read on the shelf page (StoryGraph, or any shelf). */
export const postEntriesRequest = z.object({ entries: z.array(shelfEntry).check(z.maxLength(5000)) });
export type PostEntriesRequest = z.infer<typeof postEntriesRequest>;
