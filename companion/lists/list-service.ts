import type { BookInfo, SearchFilters } from '../../shared/book.js';
import type { ListRun, RunEntry, ShelfEntry } from '../../shared/lists-api.js';
import type { MatchPreferences } from '../../shared/match/best-match.js';
import { buildTextQuery, findBestMatch } from '../../shared/match/find-best-match.js';
import type { Logger } from '../logger.js';
import type { HttpClient } from '../net/http-client.js';
import type { Runner } from '../queue/runner.js';
import type { QueueStore } from '../queue/store.js';
import type { Source } from '../sources/source.js';
import { fetchShelf, type ShelfEndpoints } from './fetch-shelf.js';
import { findInLibrary } from './in-library.js';
import type { ListStore, WatchedList } from './store.js';

export interface ListServiceDeps {
  lists: ListStore;
  queue: QueueStore;
  runner: Pick<Runner, 'wake'>;
  source: Pick<Source, 'search'>;
  client: HttpClient;
  endpoints: ShelfEndpoints;
  preferences: () => MatchPreferences;
  logger: Logger;
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/** What the one-click search of a no-match entry looks for: its ISBN, else title + first author. */
function searchQueryOf(entry: ShelfEntry): string | null {
  return buildTextQuery(entry) ?? entry.isbn13 ?? entry.isbn10 ?? null;
}

/**
 * Checks watched shelves: reads the shelf (or takes what the extension read), and hands each entry it has never
 * seen to the shared best-match rule. A match is queued unless the library already holds it (same md5 or ISBN);
 * no match is listed, never guessed. Every handled entry is remembered, so nothing is queued twice across restarts;
 * an entry whose search failed is not remembered and is tried again next check. One check per shelf at a time.
 */
export function createListService(deps: ListServiceDeps) {
  const { lists, queue, logger } = deps;
  const running = new Map<number, Promise<ListRun | undefined>>();

  async function handle(entry: ShelfEntry): Promise<RunEntry> {
    const base = { key: entry.key, title: entry.title, authors: entry.authors, detail: null, searchQuery: null };
    const held = findInLibrary(queue.list(), { entry });
    if (held) return { ...base, outcome: 'skipped', md5: held.id, detail: 'Already in the library (same ISBN)' };
    const search = (filters: SearchFilters): Promise<BookInfo[]> => deps.source.search(filters);
    const match = await findBestMatch(search, entry, deps.preferences());
    if (!match.ok) {
      return { ...base, outcome: 'no-match', md5: null, detail: match.detail, searchQuery: searchQueryOf(entry) };
    }
    const md5 = match.book.id.toLowerCase();
    const inLibrary = findInLibrary(queue.list(), { md5 });
    if (inLibrary) return { ...base, outcome: 'skipped', md5, detail: 'Already in the library or queue' };
    queue.enqueue({ ...match.book, id: md5 }, 0);
    deps.runner.wake();
    return { ...base, outcome: 'queued', md5, detail: match.book.title };
  }

  async function run(list: WatchedList, trigger: ListRun['trigger'], given?: ShelfEntry[]): Promise<ListRun> {
    const baseline = !list.queueExisting && !lists.hasBaseline(list.id);
    const runId = lists.startRun(list.id, trigger);
    let error: string | null = null;
    try {
      const entries = given ?? (await fetchShelf(deps.client, deps.endpoints, list));
      const seenNow = new Set<string>();
      for (const entry of entries) {
        if (seenNow.has(entry.key) || lists.hasSeen(list.id, entry.key)) continue;
        seenNow.add(entry.key);
        if (!lists.get(list.id)) break; // removed while checking
        const result = baseline
          ? {
              key: entry.key,
              title: entry.title,
              authors: entry.authors,
              outcome: 'existing' as const,
              md5: null,
              detail: null,
              searchQuery: null,
            }
          : await handle(entry);
        lists.recordEntry(list.id, runId, result);
      }
    } catch (err) {
      error = errorMessage(err);
      logger.warn('Shelf check failed', { list: list.id, site: list.site, error });
    }
    if (lists.get(list.id)) lists.finishRun(list.id, runId, error);
    const done = lists.runs(list.id, 50).find((r) => r.id === runId);
    return (
      done ?? {
        id: runId,
        listId: list.id,
        trigger,
        startedAtMs: Date.now(),
        finishedAtMs: Date.now(),
        error,
        entries: [],
      }
    );
  }

  return {
    /** Checks one shelf now (waits for a check already running, then runs its own). Undefined for an unknown id. */
    async check(id: number, trigger: ListRun['trigger'], entries?: ShelfEntry[]): Promise<ListRun | undefined> {
      const previous = running.get(id) ?? Promise.resolve(undefined);
      const current = previous
        .catch(() => undefined)
        .then(() => {
          const list = lists.get(id);
          return list ? run(list, trigger, entries) : undefined;
        });
      running.set(id, current);
      try {
        return await current;
      } finally {
        if (running.get(id) === current) running.delete(id);
      }
    },
    /** Resolves when no check is running (shutdown waits for it). */
    async idle(): Promise<void> {
      await Promise.allSettled([...running.values()]);
    },
  };
}

export type ListService = ReturnType<typeof createListService>;
