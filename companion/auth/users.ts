import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { hashPassword, verifyPassword } from './password-hash.js';

/** A companion account (never carries its hash). */
export interface User {
  id: number;
  name: string;
  isAdmin: boolean;
  createdAtMs: number;
}

export type CreateUserResult =
  | { ok: true; user: User }
  | { ok: false; error: { kind: 'invalid-name' | 'weak-password' | 'name-taken' | 'not-found'; detail: string } };

export interface UserStore {
  create(input: { name: string; password: string; isAdmin?: boolean }): Promise<CreateUserResult>;
  /** The user when name and password match; `undefined` for any failure, after the same amount of hashing. */
  verify(name: string, password: string): Promise<User | undefined>;
  /** Replaces the password; revoking the user's other sessions is the caller's choice (sessions.destroyForUser). */
  setPassword(id: number, password: string): Promise<CreateUserResult>;
  get(id: number): User | undefined;
  list(): User[];
  /** Deletes the user together with their tokens, sessions and pairing codes; false when there was no such user. */
  delete(id: number): boolean;
  count(): number;
}

export const MIN_PASSWORD_LENGTH = 8;
// scrypt takes any length, but there is no reason to accept megabytes from a form.
const MAX_PASSWORD_LENGTH = 1024;

interface UserRow {
  id: number;
  name: string;
  password_hash: string;
  is_admin: number;
  created_at_ms: number;
}

function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, isAdmin: row.is_admin === 1, createdAtMs: row.created_at_ms };
}

/** Why a user name is refused, or undefined. Basic auth splits on the first `:`, so names cannot hold one. */
export function checkUserName(name: string): string | undefined {
  if (name.length === 0 || name.length > 64) return `Expected a user name of 1 to 64 characters, got ${name.length}`;
  if (name !== name.trim()) return 'Expected a user name without leading or trailing spaces';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused here
  if (/[:\u0000-\u001f\u007f]/.test(name)) return 'Expected a user name without ":" or control characters';
  return undefined;
}

function checkPassword(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return `Expected a password of ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`;
  }
  return undefined;
}

/** Companion users in SQLite (tables from `migrateAuth`); names are unique case-insensitively. */
export function createUserStore({ db, now = Date.now }: { db: Database.Database; now?: () => number }): UserStore {
  const columns = 'id, name, password_hash, is_admin, created_at_ms';
  const byName = db.prepare<[string], UserRow>(`SELECT ${columns} FROM users WHERE name = ? COLLATE NOCASE`);
  const byId = db.prepare<[number], UserRow>(`SELECT ${columns} FROM users WHERE id = ?`);
  // Read on every request (is auth required?): prepared once, and kept until this store adds or deletes a user.
  const countUsers = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');
  let userCount: number | undefined;
  // A real hash of a random password: unknown names run the same scrypt as known ones (no timing oracle).
  let dummyHash: Promise<string> | undefined;

  return {
    async create({ name, password, isAdmin = false }) {
      const nameProblem = checkUserName(name);
      if (nameProblem) return { ok: false, error: { kind: 'invalid-name', detail: nameProblem } };
      const passwordProblem = checkPassword(password);
      if (passwordProblem) return { ok: false, error: { kind: 'weak-password', detail: passwordProblem } };
      const hash = await hashPassword(password);
      const at = now();
      const result = db
        .prepare(
          `INSERT INTO users (name, password_hash, is_admin, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO NOTHING`,
        )
        .run(name, hash, isAdmin ? 1 : 0, at, at);
      userCount = undefined;
      if (result.changes === 0) {
        return { ok: false, error: { kind: 'name-taken', detail: `A user named ${JSON.stringify(name)} exists` } };
      }
      const row = byId.get(Number(result.lastInsertRowid));
      if (!row) throw new Error(`Inserted user ${result.lastInsertRowid} is missing`);
      return { ok: true, user: toUser(row) };
    },

    async verify(name, password) {
      const row = name.length <= 64 && password.length <= MAX_PASSWORD_LENGTH ? byName.get(name) : undefined;
      if (!row) {
        dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
        await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), await dummyHash);
        return undefined;
      }
      return (await verifyPassword(password, row.password_hash)) ? toUser(row) : undefined;
    },

    async setPassword(id, password) {
      const passwordProblem = checkPassword(password);
      if (passwordProblem) return { ok: false, error: { kind: 'weak-password', detail: passwordProblem } };
      const hash = await hashPassword(password);
      db.prepare('UPDATE users SET password_hash = ?, updated_at_ms = ? WHERE id = ?').run(hash, now(), id);
      const row = byId.get(id);
      if (!row) return { ok: false, error: { kind: 'not-found', detail: `No user with id ${id}` } };
      return { ok: true, user: toUser(row) };
    },

    get: (id) => {
      const row = byId.get(id);
      return row ? toUser(row) : undefined;
    },
    list: () => db.prepare<[], UserRow>(`SELECT ${columns} FROM users ORDER BY id`).all().map(toUser),
    // Explicit deletes rather than relying on ON DELETE CASCADE, which needs `PRAGMA foreign_keys = ON`.
    delete: db.transaction((id: number) => {
      userCount = undefined;
      for (const table of ['tokens', 'sessions', 'pairing_codes']) {
        db.prepare(`DELETE FROM ${table} WHERE user_id = ?`).run(id);
      }
      return db.prepare('DELETE FROM users WHERE id = ?').run(id).changes === 1;
    }),
    count: () => {
      userCount ??= countUsers.get()?.n ?? 0;
      return userCount;
    },
  };
}
