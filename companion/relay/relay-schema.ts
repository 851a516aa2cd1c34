import type { Db } from '../store/open-database.js';

/**
 * Pending clearance requests: one per site, kept until answered or expired, so an extension that was asleep finds
 * them on its next poll. (The relay job of an item lives in the queue's own `relay` column.)
 */
export function migrateRelay(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS clearance_request (
      site TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      challenge TEXT NOT NULL,
      needs_human INTEGER NOT NULL,
      requested_at_ms INTEGER NOT NULL,
      expires_at_ms INTEGER NOT NULL
    );
  `);
}
