import type { Db } from '../store/open-database.js';

/** One row per book (the md5 is the dedupe key): CWA-BD never holds two entries for one id. */
export function migrateQueue(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS queue (
      id TEXT PRIMARY KEY,
      status TEXT NOT NULL,
      priority INTEGER NOT NULL DEFAULT 0,
      seq INTEGER NOT NULL,
      book TEXT NOT NULL,
      added_at_ms INTEGER NOT NULL,
      updated_at_ms INTEGER NOT NULL,
      status_changed_at_ms INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      available_at_ms INTEGER NOT NULL DEFAULT 0,
      lease_id TEXT,
      lease_expires_at_ms INTEGER,
      progress REAL,
      bytes_done INTEGER NOT NULL DEFAULT 0,
      bytes_total INTEGER,
      status_message TEXT,
      waiting TEXT,
      error TEXT,
      source TEXT,
      staging_path TEXT,
      download_path TEXT,
      relay TEXT,
      attempt INTEGER NOT NULL DEFAULT 0,
      max_attempts INTEGER
    );
    CREATE INDEX IF NOT EXISTS queue_claim ON queue (status, priority, seq);
    CREATE INDEX IF NOT EXISTS queue_seq ON queue (seq);
    CREATE INDEX IF NOT EXISTS queue_lease ON queue (status, lease_expires_at_ms);
    CREATE INDEX IF NOT EXISTS queue_age ON queue (status, status_changed_at_ms);
  `);
  // Databases from before the browser relay (issue 12) lack the column that holds an item's relay job.
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(queue)').all();
  if (!columns.some((column) => column.name === 'relay')) db.exec('ALTER TABLE queue ADD COLUMN relay TEXT');
  // Databases from before attempts were shown (issue 16) lack the transfer count and its bound.
  if (!columns.some((column) => column.name === 'attempt')) {
    db.exec('ALTER TABLE queue ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0');
    db.exec('ALTER TABLE queue ADD COLUMN max_attempts INTEGER');
  }
}
