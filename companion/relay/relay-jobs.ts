import { open, rm, stat } from 'node:fs/promises';
import type { Md5 } from '../../shared/book.js';
import {
  RELAY_CHUNK_MAX_BYTES,
  type RelayJob,
  type RelayOffset,
  type RelayUploadResponse,
} from '../../shared/relay-api.js';
import { buildFileName } from '../download/build-file-name.js';
import { detectBookFormat } from '../download/detect-book-format.js';
import { stagingPathFor } from '../download/download-book.js';
import { hashFile } from '../download/fetch-to-staging.js';
import { placeInLibrary } from '../download/place-in-library.js';
import { runCustomScript } from '../download/run-custom-script.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { QueueItem } from '../queue/queue-item.js';
import type { QueueStore } from '../queue/store.js';
import type { ContentRange } from './parse-content-range.js';
import {
  type NeedsRelayError,
  RelayChecksumError,
  RelayJobUnknownError,
  RelayNotWaitingError,
  RelayOffsetError,
  RelayRangeError,
  RelayTooLargeError,
} from './relay-errors.js';

export interface RelayJobsDeps {
  store: QueueStore;
  bus: EventBus;
  stagingDir: string;
  ingestDir: string;
  useBookTitle: boolean;
  customScript?: string | undefined;
  customScriptTimeoutMs: number;
  /** How long a job waits for the browser before it fails. */
  ttlMs: number;
  /** The largest chunk accepted in one request. */
  maxChunkBytes?: number;
  logger?: Logger;
  now?: () => number;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * The browser download relay: jobs the companion could not fetch wait here (no worker slot) until the extension
 * uploads the file in chunks. The offset is the staging file's size on disk and the waiting state lives in the
 * queue row, so a restart of either side loses nothing. A finished upload is md5-checked and placed exactly as
 * the companion's own downloads (CUSTOM_SCRIPT, file naming, collision-safe move into the ingest folder).
 */
export function createRelayJobs({
  store,
  bus,
  stagingDir,
  ingestDir,
  useBookTitle,
  customScript,
  customScriptTimeoutMs,
  ttlMs,
  maxChunkBytes = RELAY_CHUNK_MAX_BYTES,
  logger = silentLogger,
  now = Date.now,
}: RelayJobsDeps) {
  /** Jobs with an upload in flight: a second concurrent upload would interleave bytes. */
  const busy = new Set<string>();

  const stagingOf = (item: QueueItem) => item.stagingPath ?? stagingPathFor(stagingDir, item.id);

  const waitingItem = (id: string): QueueItem => {
    const item = store.get(id);
    if (!item) throw new RelayJobUnknownError(`No download with id ${id}`);
    if (item.status !== 'downloading' || !item.relay) {
      throw new RelayNotWaitingError(`Download ${id} is not waiting for the browser (it is ${item.status})`);
    }
    return item;
  };

  const toJob = async (item: QueueItem): Promise<RelayJob> => {
    const relay = item.relay as NonNullable<QueueItem['relay']>;
    return {
      id: item.id,
      title: item.book.title,
      format: item.book.format ?? null,
      expectedBytes: item.bytesTotal,
      candidates: relay.candidates,
      offset: await sizeOf(stagingOf(item)),
      reason: relay.reason,
      site: relay.site,
      requestedAtMs: relay.requestedAtMs,
      expiresAtMs: relay.expiresAtMs,
    };
  };

  const statusOf = (site: string) => `Waiting for the browser extension to download the file from ${site}`;

  // An upload still going when the job's time is up is given this long since its last chunk.
  const idleMs = Math.min(ttlMs, 5 * 60_000);

  /** Fails jobs nobody uploaded in time (an upload in progress gets to finish); returns their ids. */
  const sweepExpired = async (): Promise<string[]> => {
    const at = now();
    const expired = store
      .relayItems()
      .filter(
        (item) => item.relay && item.relay.expiresAtMs <= at && at - item.updatedAtMs >= idleMs && !busy.has(item.id),
      );
    for (const item of expired) {
      await rm(stagingOf(item), { force: true });
      const within = ttlMs >= 120_000 ? `${Math.round(ttlMs / 60_000)} min` : `${Math.round(ttlMs / 1000)} s`;
      store.failRelay(
        item.id,
        `No browser downloaded the file within ${within} (${item.relay?.reason ?? 'relay needed'})`,
      );
      logger.warn('Relay job expired', { id: item.id });
    }
    return expired.map((item) => item.id);
  };

  /** Verifies the complete upload and places it; the item becomes `available`, or `error` on a wrong md5. */
  const finish = async (item: QueueItem, stagingPath: string): Promise<void> => {
    const md5 = await hashFile(stagingPath);
    if (md5 !== item.id.toLowerCase()) {
      await rm(stagingPath, { force: true });
      const message = `The browser's download has md5 ${md5}, expected ${item.id.toLowerCase()}`;
      store.failRelay(item.id, message);
      throw new RelayChecksumError(message);
    }
    store.setRelayProgress(item.id, item.bytesTotal ?? 0, item.bytesTotal, 'Moving into the library');
    let finalPath: string;
    try {
      if (customScript) await runCustomScript(customScript, stagingPath, customScriptTimeoutMs);
      const format = await detectBookFormat(stagingPath, item.book.format);
      finalPath = await placeInLibrary(stagingPath, ingestDir, buildFileName({ ...item.book, format }, useBookTitle));
    } catch (err) {
      await rm(stagingPath, { force: true });
      store.failRelay(item.id, err instanceof Error ? err.message : String(err));
      throw err;
    }
    // Cancelled while the file was being placed: the user asked for it not to be there.
    if (!store.completeRelay(item.id, finalPath)) await rm(finalPath, { force: true });
    logger.info('Relayed download finished', { id: item.id });
  };

  return {
    sweepExpired,

    /** A worker could not fetch the file: the item now waits for the browser (no lease, no worker slot). */
    async park(item: QueueItem, leaseId: string, err: NeedsRelayError): Promise<boolean> {
      const stagingPath = stagingPathFor(stagingDir, item.id);
      // The server's own partial may come from another mirror's bytes: the browser starts from zero.
      await rm(stagingPath, { force: true });
      const at = now();
      const relay = {
        site: err.site,
        reason: err.reason,
        candidates: err.candidates,
        requestedAtMs: at,
        expiresAtMs: at + ttlMs,
      };
      if (!store.toRelay(item.id, leaseId, relay, stagingPath, statusOf(err.site))) return false;
      const parked = store.get(item.id);
      if (parked) {
        const job = await toJob(parked);
        bus.publish({ type: 'relay-needed', id: item.id, url: err.candidates[0]?.url ?? '', job });
      }
      logger.info('Download waits for the browser relay', { id: item.id, site: err.site });
      return true;
    },

    /** Jobs waiting for the browser, with where each upload resumes. */
    async list(): Promise<RelayJob[]> {
      await sweepExpired();
      return Promise.all(store.relayItems().map(toJob));
    },

    /** Where the upload of a job resumes. */
    async offset(id: Md5): Promise<RelayOffset> {
      const item = waitingItem(id);
      return { offset: await sizeOf(stagingOf(item)), total: item.bytesTotal };
    },

    /**
     * Appends one chunk (`range` from Content-Range) to the job's staging file. Bytes that arrived before a dropped
     * connection stay on disk (the next chunk starts at the new offset); the last byte triggers verification
     * and placement.
     */
    async receive(
      id: Md5,
      range: ContentRange,
      body: AsyncIterable<Uint8Array> | null,
      contentLength?: number,
    ): Promise<RelayUploadResponse> {
      let item = waitingItem(id);
      const stagingPath = stagingOf(item);
      if (busy.has(id)) {
        throw new RelayOffsetError('Another upload of this file is in progress', await sizeOf(stagingPath));
      }
      busy.add(id);
      try {
        const offset = await sizeOf(stagingPath);
        const length = range.end - range.start + 1;
        if (length > maxChunkBytes || (contentLength !== undefined && contentLength > maxChunkBytes)) {
          throw new RelayTooLargeError(
            `Expected chunks of at most ${mib(maxChunkBytes)}, got ${mib(Math.max(length, contentLength ?? 0))}`,
          );
        }
        if (range.end >= range.total) {
          throw new RelayTooLargeError(
            `Expected at most ${range.total} bytes, got a chunk ending at byte ${range.end + 1}`,
          );
        }
        if (item.bytesTotal !== null && range.total > item.bytesTotal) {
          throw new RelayTooLargeError(`Expected a file of ${item.bytesTotal} bytes as announced, got ${range.total}`);
        }
        if (item.bytesTotal !== null && range.total !== item.bytesTotal) {
          throw new RelayRangeError(`Expected a file of ${item.bytesTotal} bytes as announced, got ${range.total}`);
        }
        if (range.start !== offset) {
          throw new RelayOffsetError(`Expected the chunk to start at byte ${offset}, got ${range.start}`, offset);
        }
        if (contentLength !== undefined && contentLength !== length) {
          throw new RelayRangeError(`Expected a body of ${length} bytes as Content-Range says, got ${contentLength}`);
        }

        // Append as the bytes arrive; a body longer than announced is cut back to where it started.
        const file = await open(stagingPath, 'a');
        let received = 0;
        let failure: unknown;
        try {
          for await (const chunk of body ?? []) {
            received += chunk.byteLength;
            if (received > length) throw new RelayTooLargeError(`Expected ${length} bytes in this chunk, got more`);
            await file.write(chunk);
          }
        } catch (err) {
          failure = err;
        }
        if (received > length) await file.truncate(offset);
        await file.close();

        const newOffset = await sizeOf(stagingPath);
        // Cancelled (or expired) while the chunk arrived: its bytes must not linger.
        const current = store.get(id);
        if (current?.status !== 'downloading' || !current.relay) {
          await rm(stagingPath, { force: true });
          throw new RelayNotWaitingError(`Download ${id} stopped waiting for the browser during the upload`);
        }
        store.setRelayProgress(id, newOffset, range.total, 'Receiving the file from the browser');
        if (failure) throw failure;
        if (received < length) {
          throw new RelayRangeError(
            `Expected ${length} bytes in this chunk, got ${received}; resume at byte ${newOffset}`,
          );
        }
        item = store.get(id) as QueueItem;
        if (newOffset < range.total) return { offset: newOffset, total: range.total, complete: false };
        await finish(item, stagingPath);
        return { offset: newOffset, total: range.total, complete: true };
      } finally {
        busy.delete(id);
      }
    },
  };
}

export type RelayJobs = ReturnType<typeof createRelayJobs>;
