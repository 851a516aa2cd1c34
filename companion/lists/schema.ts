import type { Db } from '../store/open-database.js';

/**
 * Watched shelves, their checks and every entry ever handled. `list_entries` is the memory that keeps a book from
 * being queued twice, across restarts: an entry is written in the same step that queues it.
 */
export function migrateLists(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS lists (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      site TEXT NOT NULL,
      user TEXT NOT NULL,
      shelf TEXT NOT NULL,
      url TEXT NOT NULL,
      title TEXT NOT NULL,
      paused INTEGER NOT NULL DEFAULT 0,
      token TEXT,
      queue_existing INTEGER NOT NULL DEFAULT 0,
      created_at_ms INTEGER NOT NULL,
      last_checked_at_ms INTEGER,
      last_error TEXT,
      UNIQUE (site, user, shelf)
    );
    CREATE TABLE IF NOT EXISTS list_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      list_id INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
      trigger TEXT NOT NULL,
      started_at_ms INTEGER NOT NULL,
      finished_at_ms INTEGER,
      error TEXT
    );
    CREATE INDEX IF NOT EXISTS list_runs_list ON list_runs (list_id, id);
    CREATE TABLE IF NOT EXISTS list_entries (
      list_id INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
      entry_key TEXT NOT NULL,
      run_id INTEGER NOT NULL REFERENCES list_runs (id) ON DELETE CASCADE,
      title TEXT NOT NULL,
      authors TEXT NOT NULL,
      outcome TEXT NOT NULL,
      md5 TEXT,
      detail TEXT,
      search_query TEXT,
      seen_at_ms INTEGER NOT NULL,
      PRIMARY KEY (list_id, entry_key)
    );
    CREATE INDEX IF NOT EXISTS list_entries_run ON list_entries (run_id);
  `);
}
