import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateAuth } from '../../../companion/auth/schema.js';

describe('migrateAuth', () => {
  it('creates the auth tables and can run again on the same database', () => {
    const db = new Database(':memory:');
    migrateAuth(db);
    db.prepare("INSERT INTO users (name, password_hash, created_at_ms, updated_at_ms) VALUES ('a', 'h', 0, 0)").run();
    migrateAuth(db);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((row) => (row as { name: string }).name);
    expect(tables).toEqual(['login_clients', 'pairing_codes', 'sessions', 'tokens', 'users']);
    expect(db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 1 });
  });

  it('refuses a token kind other than api or device', () => {
    const db = new Database(':memory:');
    migrateAuth(db);
    expect(() =>
      db
        .prepare("INSERT INTO tokens (name, kind, token_hash, hint, created_at_ms) VALUES ('t', 'root', 'h', 'x', 0)")
        .run(),
    ).toThrow(/CHECK constraint/);
  });
});
