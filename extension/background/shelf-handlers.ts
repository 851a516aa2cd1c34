import type { BookInfo, SearchFilters } from '../../shared/book.js';
import {
  LISTS_PATHS,
  type ListRun,
  type ListView,
  listRun,
  listsResponse,
  listView,
  runsResponse,
} from '../../shared/lists-api.js';
import { findBestMatch } from '../../shared/match/find-best-match.js';
import { parseShelfUrl } from '../../shared/shelf-url.js';
import type { CompanionClient } from '../lib/companion-client.js';
import { recordSentBook } from '../lib/sent-books.js';
import { readEffectivePreferences } from '../lib/settings.js';
import type { ShelfPreviewItem } from '../lib/shelf-messages.js';
import type { CompanionConnection } from './companion-connection.js';
import type { MessageRouter } from './message-router.js';

/** Searches at once while previewing a shelf (the companion searches AA for each). */
const PREVIEW_CONCURRENCY = 3;

async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const at = next++;
      out[at] = await work(items[at] as T);
    }
  });
  await Promise.all(lanes);
  return out;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Opens a shelf page for its content script to read (the alarm's background tab); see background/shelf-alarm.ts. */
export interface ShelfPages {
  open(url: string): Promise<void>;
  reported(tabId: number | undefined): void;
}

/**
 * `shelf:*` and `lists:*` messages: *Send all* (preview with the shared best-match rule, then queue what the user
 * confirmed), *Watch this shelf*, and the popup's Lists view over the companion's `/api/lists`.
 */
export function registerShelfHandlers(
  router: MessageRouter,
  connection: CompanionConnection,
  pages: ShelfPages,
): { checkExtensionShelves(): Promise<void> } {
  const { call } = connection;
  const getLists = (client: CompanionClient) => client.request(LISTS_PATHS.lists, listsResponse);

  router.on('shelf:preview', ({ entries }) =>
    call(async (client) => {
      const preferences = await readEffectivePreferences();
      const search = (filters: SearchFilters) => client.search(filters).then((answer) => answer.results as BookInfo[]);
      return mapLimited(entries.slice(0, 500), PREVIEW_CONCURRENCY, async (entry): Promise<ShelfPreviewItem> => {
        try {
          const match = await findBestMatch(search, entry, preferences);
          if (!match.ok) return { entry, ok: false, reason: match.reason, detail: match.detail };
          const { id, title, author, format } = match.book;
          return { entry, ok: true, book: { id, title, author: author ?? null, format: format ?? null } };
        } catch (err) {
          return { entry, ok: false, reason: 'search-failed', detail: err instanceof Error ? err.message : 'failed' };
        }
      });
    }),
  );

  router.on('shelf:send', ({ books }) =>
    call(async (client) => {
      const queued: string[] = [];
      const failed: Array<{ title: string; message: string }> = [];
      for (const book of books) {
        try {
          await client.enqueue({
            id: book.id,
            ...(book.title ? { title: book.title } : {}),
            ...(book.author ? { author: book.author } : {}),
            ...(book.format ? { format: book.format } : {}),
          });
          queued.push(book.id);
          await recordSentBook({ md5: book.id, title: book.title });
        } catch (err) {
          failed.push({ title: book.title, message: err instanceof Error ? err.message : 'failed' });
        }
      }
      return { queued, failed };
    }),
  );

  router.on('shelf:watch', ({ url, entries, token }) =>
    call(async (client) => {
      // A Hardcover token goes to the companion once, which keeps it and never sends it back.
      const list = await client.request(LISTS_PATHS.lists, listView, json({ url, ...(token ? { token } : {}) }));
      // A shelf the companion cannot read: what the page shows now is its starting point.
      if (list.mode === 'extension' && entries.length > 0) {
        await client.request(LISTS_PATHS.entries(list.id), listRun, json({ entries }));
      }
      return list;
    }),
  );

  router.on('shelf:watched', ({ url }) =>
    call(async (client) => {
      const ref = parseShelfUrl(url);
      if (!ref) return null;
      const { lists } = await getLists(client);
      return lists.find((l) => l.site === ref.site && l.user === ref.user && l.shelf === ref.shelf) ?? null;
    }),
  );

  router.on('lists:get', () => call(async (client) => (await getLists(client)).lists));
  router.on('lists:runs', ({ id }) =>
    call(async (client) => (await client.request(LISTS_PATHS.runs(id), runsResponse)).runs),
  );
  router.on('lists:update', ({ id, paused }) =>
    call((client) => client.request(LISTS_PATHS.list(id), listView, { ...json({ paused }), method: 'PATCH' })),
  );
  router.on('lists:remove', ({ id }) =>
    call(async (client) => {
      await client.send(LISTS_PATHS.list(id), { method: 'DELETE' });
      return { id };
    }),
  );
  router.on('lists:check', ({ id }) =>
    call(async (client) => {
      const list = (await getLists(client)).lists.find((l) => l.id === id);
      if (!list) throw new Error('This shelf is no longer watched');
      return checkList(client, list);
    }),
  );

  router.on('shelf:visit', ({ url, entries }, sender) =>
    call(async (client) => {
      pages.reported(sender.tab?.id);
      const ref = parseShelfUrl(url);
      if (!ref || entries.length === 0) return null;
      const list = (await getLists(client)).lists.find(
        (l) => l.site === ref.site && l.user === ref.user && l.shelf === ref.shelf,
      );
      if (list?.mode !== 'extension' || list.paused) return null;
      return client.request(LISTS_PATHS.entries(list.id), listRun, json({ entries }));
    }),
  );

  /** Companion-read shelves are checked by the companion; the others by opening their page (its script posts). */
  async function checkList(client: CompanionClient, list: ListView): Promise<ListRun | null> {
    if (list.mode === 'companion') return client.request(LISTS_PATHS.check(list.id), listRun, { method: 'POST' });
    await pages.open(list.url);
    return null;
  }

  return {
    /** The alarm: every extension-read shelf that is not paused is read and its entries posted. */
    async checkExtensionShelves(): Promise<void> {
      await call(async (client) => {
        const { lists } = await getLists(client);
        for (const list of lists.filter((l: ListView) => l.mode === 'extension' && !l.paused)) {
          await checkList(client, list).catch(() => undefined);
        }
      });
    },
  };
}
