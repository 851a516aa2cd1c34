import type { EntryOutcome, ListRun, ListView, RunEntry } from '../../shared/lists-api.js';
import type { ShelfRef } from '../../shared/shelf-url.js';
import type { Db } from '../store/open-database.js';

/** A watched shelf as the companion holds it; `token` (Hardcover) never leaves the companion. */
export interface WatchedList extends ShelfRef {
  id: number;
  title: string;
  paused: boolean;
  token: string | null;
  queueExisting: boolean;
  createdAtMs: number;
  lastCheckedAtMs: number | null;
  lastError: string | null;
}

interface ListRow {
  id: number;
  site: ShelfRef['site'];
  user: string;
  shelf: string;
  url: string;
  title: string;
  paused: number;
  token: string | null;
  queue_existing: number;
  created_at_ms: number;
  last_checked_at_ms: number | null;
  last_error: string | null;
}

interface RunRow {
  id: number;
  list_id: number;
  trigger: ListRun['trigger'];
  started_at_ms: number;
  finished_at_ms: number | null;
  error: string | null;
}

interface EntryRow {
  entry_key: string;
  run_id: number;
  title: string;
  authors: string;
  outcome: EntryOutcome;
  md5: string | null;
  detail: string | null;
  search_query: string | null;
}

const toList = (row: ListRow): WatchedList => ({
  id: row.id,
  site: row.site,
  user: row.user,
  shelf: row.shelf,
  url: row.url,
  title: row.title,
  paused: row.paused === 1,
  token: row.token,
  queueExisting: row.queue_existing === 1,
  createdAtMs: row.created_at_ms,
  lastCheckedAtMs: row.last_checked_at_ms,
  lastError: row.last_error,
});

const toEntry = (row: EntryRow): RunEntry => ({
  key: row.entry_key,
  title: row.title,
  authors: JSON.parse(row.authors) as string[],
  outcome: row.outcome,
  md5: row.md5,
  detail: row.detail,
  searchQuery: row.search_query,
});

/** Persistence of watched shelves, their runs and handled entries (tables in lists/schema.ts). */
export function createListStore({ db, now = Date.now }: { db: Db; now?: () => number }) {
  const getRow = db.prepare<[number], ListRow>('SELECT * FROM lists WHERE id = ?');
  const findRow = db.prepare<[string, string, string], ListRow>(
    'SELECT * FROM lists WHERE site = ? AND user = ? AND shelf = ?',
  );
  const countOutcome = db.prepare<[number, string], { n: number }>(
    'SELECT COUNT(*) AS n FROM list_entries WHERE list_id = ? AND outcome = ?',
  );
  const seen = db.prepare<[number, string], { one: number }>(
    'SELECT 1 AS one FROM list_entries WHERE list_id = ? AND entry_key = ?',
  );

  return {
    get(id: number): WatchedList | undefined {
      const row = getRow.get(id);
      return row ? toList(row) : undefined;
    },
    all(): WatchedList[] {
      return db.prepare<[], ListRow>('SELECT * FROM lists ORDER BY id').all().map(toList);
    },
    /** Adds a shelf, or returns the one already watched (same site, user and shelf). */
    add(
      ref: ShelfRef,
      fields: { title: string; token: string | null; queueExisting: boolean },
    ): {
      list: WatchedList;
      created: boolean;
    } {
      const existing = findRow.get(ref.site, ref.user, ref.shelf);
      if (existing) return { list: toList(existing), created: false };
      const { lastInsertRowid } = db
        .prepare(
          `INSERT INTO lists (site, user, shelf, url, title, token, queue_existing, created_at_ms)
           VALUES (@site, @user, @shelf, @url, @title, @token, @queueExisting, @now)`,
        )
        .run({ ...ref, ...fields, queueExisting: fields.queueExisting ? 1 : 0, now: now() });
      return { list: this.get(Number(lastInsertRowid)) as WatchedList, created: true };
    },
    update(id: number, fields: { paused?: boolean; title?: string; token?: string | null }): WatchedList | undefined {
      const list = this.get(id);
      if (!list) return undefined;
      db.prepare('UPDATE lists SET paused = @paused, title = @title, token = @token WHERE id = @id').run({
        id,
        paused: (fields.paused ?? list.paused) ? 1 : 0,
        title: fields.title ?? list.title,
        token: fields.token === undefined ? list.token : fields.token,
      });
      return this.get(id);
    },
    remove(id: number): boolean {
      return db.prepare('DELETE FROM lists WHERE id = ?').run(id).changes === 1;
    },
    /** Whether this entry was handled by any earlier check (queued, skipped, no match, or there at the start). */
    hasSeen(listId: number, key: string): boolean {
      return seen.get(listId, key) !== undefined;
    },
    /** Whether the shelf was ever read in full (its first check sets the baseline). */
    hasBaseline(listId: number): boolean {
      return (
        db
          .prepare<[number], { one: number }>('SELECT 1 AS one FROM list_entries WHERE list_id = ? LIMIT 1')
          .get(listId) !== undefined ||
        db
          .prepare<[number], { one: number }>(
            'SELECT 1 AS one FROM list_runs WHERE list_id = ? AND error IS NULL AND finished_at_ms IS NOT NULL LIMIT 1',
          )
          .get(listId) !== undefined
      );
    },
    startRun(listId: number, trigger: ListRun['trigger']): number {
      return Number(
        db
          .prepare('INSERT INTO list_runs (list_id, trigger, started_at_ms) VALUES (?, ?, ?)')
          .run(listId, trigger, now()).lastInsertRowid,
      );
    },
    recordEntry(listId: number, runId: number, entry: RunEntry): void {
      db.prepare(
        `INSERT OR IGNORE INTO list_entries
           (list_id, entry_key, run_id, title, authors, outcome, md5, detail, search_query, seen_at_ms)
         VALUES (@listId, @key, @runId, @title, @authors, @outcome, @md5, @detail, @searchQuery, @now)`,
      ).run({ ...entry, listId, runId, authors: JSON.stringify(entry.authors), now: now() });
    },
    finishRun(listId: number, runId: number, error: string | null): void {
      const at = now();
      db.transaction(() => {
        db.prepare('UPDATE list_runs SET finished_at_ms = ?, error = ? WHERE id = ?').run(at, error, runId);
        db.prepare('UPDATE lists SET last_checked_at_ms = ?, last_error = ? WHERE id = ?').run(at, error, listId);
        // The last 50 runs are kept; older empty ones go (their entries stay: they are the memory).
        db.prepare(
          `DELETE FROM list_runs WHERE list_id = ? AND id NOT IN (SELECT id FROM list_runs WHERE list_id = ? ORDER BY id DESC LIMIT 50)
             AND id NOT IN (SELECT run_id FROM list_entries WHERE list_id = ?)`,
        ).run(listId, listId, listId);
      })();
    },
    runs(listId: number, limit = 20): ListRun[] {
      const rows = db
        .prepare<[number, number], RunRow>('SELECT * FROM list_runs WHERE list_id = ? ORDER BY id DESC LIMIT ?')
        .all(listId, limit);
      const entriesOf = db.prepare<[number], EntryRow>('SELECT * FROM list_entries WHERE run_id = ? ORDER BY rowid');
      return rows.map((row) => ({
        id: row.id,
        listId: row.list_id,
        trigger: row.trigger,
        startedAtMs: row.started_at_ms,
        finishedAtMs: row.finished_at_ms,
        error: row.error,
        entries: entriesOf.all(row.id).map(toEntry),
      }));
    },
    /** The view clients get: no token, counts of what all checks did. */
    view(list: WatchedList, mode: ListView['mode']): ListView {
      return {
        id: list.id,
        site: list.site,
        user: list.user,
        shelf: list.shelf,
        url: list.url,
        title: list.title,
        mode,
        paused: list.paused,
        hasToken: list.token !== null,
        createdAtMs: list.createdAtMs,
        lastCheckedAtMs: list.lastCheckedAtMs,
        lastError: list.lastError,
        queuedCount: countOutcome.get(list.id, 'queued')?.n ?? 0,
        noMatchCount: countOutcome.get(list.id, 'no-match')?.n ?? 0,
      };
    },
  };
}

export type ListStore = ReturnType<typeof createListStore>;
