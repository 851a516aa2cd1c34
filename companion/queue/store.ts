import { randomUUID } from 'node:crypto';
import type { BookInfo } from '../../shared/book.js';
import type { WaitingReason } from '../../shared/download.js';
import type { Db } from '../store/open-database.js';
import { type EnqueueResult, type QueueItem, type RelayState, type Row, toItem } from './queue-item.js';

/** What changed: an item's state, only its progress, or items removed. */
export type QueueChange = { kind: 'item' | 'progress' | 'removed'; ids: string[] };

export interface QueueStoreDeps {
  db: Db;
  now?: () => number;
  newId?: () => string;
  /** Called after each committed change (the event bus listens here). */
  onChange?: (change: QueueChange) => void;
}

/**
 * The persistent download queue. Lower priority number first, FIFO within a priority; one row per md5.
 * Claims are leases: a worker that dies (or a process killed with -9) leaves a lease that expires and the
 * item is claimed again by the normal claim query.
 */
export function createQueueStore({ db, now = Date.now, newId = randomUUID, onChange = () => {} }: QueueStoreDeps) {
  // Further observers of committed changes (the cached /api/status view), besides the one given at creation.
  const listeners = new Set<(change: QueueChange) => void>();
  const changed = (change: QueueChange) => {
    for (const listener of listeners) listener(change);
    onChange(change);
  };
  const get = db.prepare<[string], Row>('SELECT * FROM queue WHERE id = ?');
  const nextSeq = db.prepare<[], { seq: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM queue');
  const insert = db.prepare(`
    INSERT INTO queue (id, status, priority, seq, book, added_at_ms, updated_at_ms, status_changed_at_ms)
    VALUES (@id, 'queued', @priority, @seq, @book, @now, @now, @now)`);
  const requeue = db.prepare(`
    UPDATE queue SET status = 'queued', priority = @priority, seq = @seq, book = @book, added_at_ms = @now,
      updated_at_ms = @now, status_changed_at_ms = @now, attempts = 0, available_at_ms = 0, lease_id = NULL,
      lease_expires_at_ms = NULL, progress = NULL, bytes_done = 0, bytes_total = NULL, status_message = NULL,
      waiting = NULL, error = NULL, source = NULL, staging_path = NULL, download_path = NULL, relay = NULL,
      attempt = 0, max_attempts = NULL
    WHERE id = @id`);
  // Two indexed lookups instead of one OR: an expired lease first (a dead worker's item), then the queue head.
  const expiredLease = db.prepare<[number], Row>(`
    SELECT * FROM queue WHERE status = 'downloading' AND lease_expires_at_ms <= ?
    ORDER BY priority ASC, seq ASC LIMIT 1`);
  const queueHead = db.prepare<[number], Row>(`
    SELECT * FROM queue INDEXED BY queue_claim WHERE status = 'queued' AND available_at_ms <= ?
    ORDER BY priority ASC, seq ASC LIMIT 1`);
  const takeLease = db.prepare(`
    UPDATE queue SET status = 'downloading', lease_id = @leaseId, lease_expires_at_ms = @expires,
      attempts = attempts + 1, updated_at_ms = @now,
      status_changed_at_ms = CASE WHEN status = 'downloading' THEN status_changed_at_ms ELSE @now END,
      error = NULL, waiting = NULL
    WHERE id = @id AND (lease_id IS @oldLease)`);

  const orderedIds = db.prepare<[], string>('SELECT id FROM queue ORDER BY priority ASC, seq ASC').pluck();
  const availableFiles = db.prepare<[], { id: string; downloadPath: string | null }>(
    `SELECT id, download_path AS downloadPath FROM queue WHERE status = 'available'`,
  );

  const read = (id: string): QueueItem | undefined => {
    const row = get.get(id);
    return row ? toItem(row) : undefined;
  };

  /** Runs `update` only while the worker still holds the lease; false when it lost it (cancelled, reclaimed). */
  const withLease = (
    id: string,
    leaseId: string,
    sql: string,
    params: Record<string, unknown>,
    kind: QueueChange['kind'] = 'item',
  ): boolean => {
    const ok =
      db.prepare(`UPDATE queue SET ${sql}, updated_at_ms = @now WHERE id = @id AND lease_id = @leaseId`).run({
        ...params,
        id,
        leaseId,
        now: now(),
      }).changes === 1;
    if (ok) changed({ kind, ids: [id] });
    return ok;
  };
  const notify = <T>(kind: QueueChange['kind'], ids: string[], result: T): T => {
    if (ids.length > 0) changed({ kind, ids });
    return result;
  };

  const enqueueTx = db.transaction((book: BookInfo, priority: number): EnqueueResult => {
    const existing = read(book.id);
    if (existing && ['queued', 'downloading', 'available'].includes(existing.status)) {
      return { item: existing, created: false };
    }
    const params = { id: book.id, priority, seq: nextSeq.get()?.seq ?? 1, book: JSON.stringify(book), now: now() };
    if (existing) requeue.run(params);
    else insert.run(params);
    return { item: read(book.id) as QueueItem, created: true };
  });

  const claimTx = db.transaction((leaseMs: number): QueueItem | undefined => {
    const at = now();
    const row = expiredLease.get(at) ?? queueHead.get(at);
    if (!row) return undefined;
    const leaseId = newId();
    const changed = takeLease.run({ id: row.id, leaseId, expires: at + leaseMs, now: at, oldLease: row.lease_id });
    return changed.changes === 1 ? read(row.id) : undefined;
  });

  const cancelTx = db.transaction((id: string): QueueItem | undefined => {
    const item = read(id);
    if (!item || (item.status !== 'queued' && item.status !== 'downloading')) return undefined;
    db.prepare(
      `UPDATE queue SET status = 'cancelled', lease_id = NULL, lease_expires_at_ms = NULL, waiting = NULL,
         status_message = NULL, relay = NULL, updated_at_ms = @now, status_changed_at_ms = @now WHERE id = @id`,
    ).run({ id, now: now() });
    return item;
  });

  const reorderTx = db.transaction((priorities: Record<string, number>): string[] => {
    const update = db.prepare(
      `UPDATE queue SET priority = @priority, updated_at_ms = @now WHERE id = @id AND status = 'queued'`,
    );
    return Object.entries(priorities)
      .filter(([id, priority]) => update.run({ id, priority, now: now() }).changes === 1)
      .map(([id]) => id);
  });

  const clearTx = db.transaction((): string[] => {
    const ids = db
      .prepare<[], { id: string }>(`SELECT id FROM queue WHERE status IN ('done', 'error', 'cancelled')`)
      .all()
      .map((r) => r.id);
    db.prepare(`DELETE FROM queue WHERE status IN ('done', 'error', 'cancelled')`).run();
    return ids;
  });

  // Prepared once: /api/status runs the purge on every read (an indexed range per status, usually empty).
  const expired = db
    .prepare<[number], string>(
      `SELECT id FROM queue WHERE status IN ('available', 'done', 'error', 'cancelled') AND status_changed_at_ms < ?`,
    )
    .pluck();
  const del = db.prepare('DELETE FROM queue WHERE id = ?');
  const purgeTx = db.transaction((maxAgeMs: number): string[] => {
    const ids = expired.all(now() - maxAgeMs);
    for (const id of ids) del.run(id);
    return ids;
  });

  return {
    get: read,

    /** Adds a book; a book already queued, downloading or available is returned as it is (never duplicated). */
    enqueue(book: BookInfo, priority = 0): EnqueueResult {
      const result = enqueueTx(book, priority);
      return notify('item', result.created ? [book.id] : [], result);
    },

    /** Atomically claims the next due item (or an item whose lease expired) for `leaseMs`. */
    claimNext(leaseMs: number): QueueItem | undefined {
      const item = claimTx(leaseMs);
      return notify('item', item ? [item.id] : [], item);
    },

    renewLease(id: string, leaseId: string, leaseMs: number): boolean {
      return (
        db
          .prepare('UPDATE queue SET lease_expires_at_ms = @expires WHERE id = @id AND lease_id = @leaseId')
          .run({ id, leaseId, expires: now() + leaseMs }).changes === 1
      );
    },

    setProgress(
      id: string,
      leaseId: string,
      p: { bytesDone: number; bytesTotal: number | null; statusMessage?: string | null },
    ): boolean {
      const progress = p.bytesTotal ? Math.min(100, (p.bytesDone * 100) / p.bytesTotal) : null;
      return withLease(
        id,
        leaseId,
        'bytes_done = @bytesDone, bytes_total = @bytesTotal, progress = @progress, status_message = COALESCE(@statusMessage, status_message), waiting = NULL',
        { bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, progress, statusMessage: p.statusMessage ?? null },
        'progress',
      );
    },

    setStatusMessage(
      id: string,
      leaseId: string,
      statusMessage: string,
      waiting: WaitingReason | null = null,
    ): boolean {
      return withLease(id, leaseId, 'status_message = @statusMessage, waiting = @waiting', {
        statusMessage,
        waiting: waiting ? JSON.stringify(waiting) : null,
      });
    },

    /**
     * A new transfer starts: its number, bound and source are shown, and the progress shown from here on is this
     * attempt's (empty until its answer says where it starts: 0, or the Range offset of a resume), so within one
     * attempt it only ever grows.
     */
    startAttempt(
      id: string,
      leaseId: string,
      a: { attempt: number; maxAttempts: number | null; source: string; statusMessage: string },
    ): boolean {
      return withLease(
        id,
        leaseId,
        `attempt = @attempt, max_attempts = @maxAttempts, source = @source, status_message = @statusMessage,
         bytes_done = 0, bytes_total = NULL, progress = NULL, waiting = NULL`,
        a,
      );
    },

    setStaging(id: string, leaseId: string, stagingPath: string | null, source: string | null): boolean {
      return withLease(id, leaseId, 'staging_path = @stagingPath, source = COALESCE(@source, source)', {
        stagingPath,
        source,
      });
    },

    complete(id: string, leaseId: string, downloadPath: string): boolean {
      return withLease(
        id,
        leaseId,
        `status = 'available', download_path = @downloadPath, staging_path = NULL, lease_id = NULL,
         lease_expires_at_ms = NULL, progress = 100, status_message = NULL, waiting = NULL, status_changed_at_ms = @now`,
        { downloadPath },
      );
    },

    fail(id: string, leaseId: string, error: string): boolean {
      return withLease(
        id,
        leaseId,
        `status = 'error', error = @error, staging_path = NULL, lease_id = NULL, lease_expires_at_ms = NULL,
         waiting = NULL, status_message = NULL, status_changed_at_ms = @now`,
        { error },
      );
    },

    /** Puts the item back in line, due again at `availableAtMs` (back-off, Retry-After, parked host). */
    retryLater(id: string, leaseId: string, availableAtMs: number, reason: string): boolean {
      return withLease(
        id,
        leaseId,
        `status = 'queued', available_at_ms = @availableAtMs, lease_id = NULL, lease_expires_at_ms = NULL,
         status_message = @reason, status_changed_at_ms = @now`,
        { availableAtMs, reason },
      );
    },

    /** Cancels a queued or downloading item; returns the item as it was before (undefined if not cancellable). */
    cancel(id: string): QueueItem | undefined {
      const before = cancelTx(id);
      return notify('item', before ? [id] : [], before);
    },

    /** Changes the priority of a queued item; false when the item is not queued. */
    setPriority(id: string, priority: number): boolean {
      const ok =
        db
          .prepare(`UPDATE queue SET priority = @priority, updated_at_ms = @now WHERE id = @id AND status = 'queued'`)
          .run({ id, priority, now: now() }).changes === 1;
      return notify('item', ok ? [id] : [], ok);
    },

    /** Applies many priorities at once (ids not queued are ignored, as CWA-BD does). */
    reorder(priorities: Record<string, number>): number {
      const ids = reorderTx(priorities);
      return notify('item', ids, ids.length);
    },

    /** Queued (and cancelled-while-queued) items in claim order, as CWA-BD's `/api/queue/order`. */
    queueOrder(): QueueItem[] {
      return db
        .prepare<[], Row>(
          `SELECT * FROM queue WHERE status = 'queued' OR (status = 'cancelled' AND bytes_done = 0 AND attempts = 0)
           ORDER BY priority ASC, seq ASC`,
        )
        .all()
        .map(toItem);
    },

    list(): QueueItem[] {
      return db.prepare<[], Row>('SELECT * FROM queue ORDER BY priority ASC, seq ASC').all().map(toItem);
    },

    /** The ids in `list()` order, without reading the rows. */
    orderedIds(): string[] {
      return orderedIds.all();
    },

    /** `available` items and their placed file (an indexed read of that status only). */
    availableFiles(): { id: string; downloadPath: string | null }[] {
      return availableFiles.all();
    },

    /** Calls `listener` after each committed change, like `onChange`; returns the unsubscribe. */
    subscribe(listener: (change: QueueChange) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    activeIds(): string[] {
      return db
        .prepare<[], { id: string }>(`SELECT id FROM queue WHERE status = 'downloading' ORDER BY priority, seq`)
        .all()
        .map((r) => r.id);
    },

    /** Removes done/error/cancelled items (not `available`, as CWA-BD); returns their ids. */
    clearFinished(): string[] {
      const ids = clearTx();
      return notify('removed', ids, ids);
    },

    /** Removes one finished, failed or cancelled item (the web UI's Remove); false for any other state. */
    remove(id: string): boolean {
      const ok =
        db.prepare(`DELETE FROM queue WHERE id = ? AND status IN ('done', 'error', 'cancelled')`).run(id).changes === 1;
      return notify('removed', ok ? [id] : [], ok);
    },

    /** `available` → `done` for the given ids (their file left the ingest folder). */
    markDone(ids: string[]): void {
      const update = db.prepare(
        `UPDATE queue SET status = 'done', download_path = NULL, updated_at_ms = @now, status_changed_at_ms = @now
         WHERE id = @id AND status = 'available'`,
      );
      notify(
        'item',
        ids.filter((id) => update.run({ id, now: now() }).changes === 1),
        undefined,
      );
    },

    /** Deletes terminal items older than `maxAgeMs`; returns their ids. */
    purgeExpired(maxAgeMs: number): string[] {
      // Read first: the write transaction is only opened when something expired (this runs on every status read).
      if (expired.all(now() - maxAgeMs).length === 0) return [];
      const ids = purgeTx(maxAgeMs);
      return notify('removed', ids, ids);
    },

    /**
     * At start-up no worker of a previous process is alive: its leases are released so the items are claimed
     * again at once (their staging files stay referenced, for a Range resume).
     */
    releaseAllLeases(): string[] {
      const ids = db
        .prepare<[], { id: string }>(`SELECT id FROM queue WHERE status = 'downloading' AND relay IS NULL`)
        .all()
        .map((r) => r.id);
      // Items waiting for the browser relay hold no lease: they keep waiting (their upload offset is on disk).
      db.prepare(
        `UPDATE queue SET status = 'queued', lease_id = NULL, lease_expires_at_ms = NULL, available_at_ms = 0,
           status_message = 'Resuming after restart', updated_at_ms = @now
         WHERE status = 'downloading' AND relay IS NULL`,
      ).run({ now: now() });
      return notify('item', ids, ids);
    },

    /** Staging files that belong to live items (anything else in the staging dir is an orphan). */
    stagingPaths(): string[] {
      return db
        .prepare<[], { staging_path: string }>(`SELECT staging_path FROM queue WHERE staging_path IS NOT NULL`)
        .all()
        .map((r) => r.staging_path);
    },

    /**
     * The worker gives the item to the browser relay: it stays `downloading` with `waiting: {kind: 'relay'}` but
     * drops its lease, so it holds no worker slot and is never claimed again until the upload finishes or fails.
     */
    toRelay(id: string, leaseId: string, relay: RelayState, stagingPath: string, statusMessage: string): boolean {
      return withLease(
        id,
        leaseId,
        `relay = @relay, lease_id = NULL, lease_expires_at_ms = NULL, staging_path = @stagingPath,
         status_message = @statusMessage, waiting = @waiting, bytes_done = 0, bytes_total = NULL, progress = NULL,
         source = 'browser relay'`,
        {
          relay: JSON.stringify(relay),
          stagingPath,
          statusMessage,
          waiting: JSON.stringify({ kind: 'relay', site: relay.site } satisfies WaitingReason),
        },
      );
    },

    /** Items waiting for the browser relay, in queue order. */
    relayItems(): QueueItem[] {
      return db
        .prepare<[], Row>(
          `SELECT * FROM queue WHERE status = 'downloading' AND relay IS NOT NULL ORDER BY priority ASC, seq ASC`,
        )
        .all()
        .map(toItem);
    },

    /** Upload progress of a relay item (published like download progress; a new status message as an item change). */
    setRelayProgress(id: string, bytesDone: number, bytesTotal: number | null, statusMessage: string): boolean {
      const progress = bytesTotal ? Math.min(100, (bytesDone * 100) / bytesTotal) : null;
      const kind = read(id)?.statusMessage === statusMessage ? 'progress' : 'item';
      const ok =
        db
          .prepare(
            `UPDATE queue SET bytes_done = @bytesDone, bytes_total = @bytesTotal, progress = @progress,
               status_message = @statusMessage, updated_at_ms = @now
             WHERE id = @id AND status = 'downloading' AND relay IS NOT NULL`,
          )
          .run({ id, bytesDone, bytesTotal, progress, statusMessage, now: now() }).changes === 1;
      return notify(kind, ok ? [id] : [], ok);
    },

    /** The relayed file was verified and placed. False when the item stopped waiting (cancelled meanwhile). */
    completeRelay(id: string, downloadPath: string): boolean {
      const ok =
        db
          .prepare(
            `UPDATE queue SET status = 'available', download_path = @downloadPath, staging_path = NULL, relay = NULL,
               progress = 100, status_message = NULL, waiting = NULL, updated_at_ms = @now, status_changed_at_ms = @now
             WHERE id = @id AND status = 'downloading' AND relay IS NOT NULL`,
          )
          .run({ id, downloadPath, now: now() }).changes === 1;
      return notify('item', ok ? [id] : [], ok);
    },

    /** The relay failed for good (wrong md5, nobody fetched the file in time). */
    failRelay(id: string, error: string): boolean {
      const ok =
        db
          .prepare(
            `UPDATE queue SET status = 'error', error = @error, staging_path = NULL, relay = NULL, waiting = NULL,
               status_message = NULL, updated_at_ms = @now, status_changed_at_ms = @now
             WHERE id = @id AND status = 'downloading' AND relay IS NOT NULL`,
          )
          .run({ id, error, now: now() }).changes === 1;
      return notify('item', ok ? [id] : [], ok);
    },

    nextDueAtMs(): number | undefined {
      return (
        db
          .prepare<[], { at: number | null }>(`SELECT MIN(available_at_ms) AS at FROM queue WHERE status = 'queued'`)
          .get()?.at ?? undefined
      );
    },
  };
}

export type QueueStore = ReturnType<typeof createQueueStore>;
