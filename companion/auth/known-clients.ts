import type Database from 'better-sqlite3';

/**
 * Addresses a user has logged in from before (table `login_clients`; no secret, only name, address and time). The
 * login guard lets them past the per-user and total limits, so a distributed guessing attack, even across a restart,
 * does not keep the owner out of their usual client; that address still has its own per-address limit.
 */
export interface KnownClients {
  has(address: string, name: string): boolean;
  add(address: string, name: string): void;
}

export function createKnownClients({
  db,
  now = Date.now,
  maxAgeMs = 90 * 24 * 60 * 60_000,
}: {
  db: Database.Database;
  now?: () => number;
  maxAgeMs?: number;
}): KnownClients {
  const select = db.prepare<[string, string, number], { n: number }>(
    'SELECT count(*) AS n FROM login_clients WHERE user_name = ? AND address = ? AND last_ok_at_ms > ?',
  );
  const upsert = db.prepare<[string, string, number]>(
    `INSERT INTO login_clients (user_name, address, last_ok_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (user_name, address) DO UPDATE SET last_ok_at_ms = excluded.last_ok_at_ms`,
  );
  const prune = db.prepare<[number]>('DELETE FROM login_clients WHERE last_ok_at_ms <= ?');
  // A socketless request (tests) or an unparsed peer is no address to remember.
  const usable = (address: string) => address !== '' && address !== 'unknown';
  return {
    has: (address, name) => usable(address) && (select.get(name, address, now() - maxAgeMs)?.n ?? 0) > 0,
    add(address, name) {
      if (!usable(address)) return;
      upsert.run(name, address, now());
      prune.run(now() - maxAgeMs);
    },
  };
}
