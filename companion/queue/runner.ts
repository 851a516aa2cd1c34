import { rm } from 'node:fs/promises';
import { TimeoutError } from '../errors.js';
import type { Logger } from '../logger.js';
import { isDiskFull } from '../store/disk-space.js';
import type { QueueItem } from './queue-item.js';
import type { QueueStore } from './store.js';

/** A job asks for another go later (back-off, Retry-After); the runner puts the item back in line. */
export interface RetryLater {
  atMs: number;
  message: string;
}

export interface JobContext {
  signal: AbortSignal;
  leaseId: string;
  /** Call on every sign of life (bytes arrived, status changed): the stall watchdog watches it. */
  touch(): void;
}

/** Does the work for one item and returns the final file path. */
export type ProcessItem = (item: QueueItem, ctx: JobContext) => Promise<string>;

export interface RunnerOptions {
  store: QueueStore;
  process: ProcessItem;
  logger: Logger;
  concurrency: number;
  /** How long a claim lasts without renewal; renewed every third of it. */
  leaseMs?: number;
  /** An item with no sign of life for this long is aborted and retried (or failed after `maxAttempts`). */
  stallTimeoutMs: number;
  maxAttempts?: number;
  /** Back-off before a failed item is tried again: `retryBaseMs * 2^(attempts-1)`. */
  retryBaseMs?: number;
  /** Whether an error is worth another attempt later (network trouble) or final (bad file, no source). */
  isRetryable?: (err: unknown) => RetryLater | boolean;
  pollIntervalMs?: number;
  /**
   * Lets a job's failure hand the item to someone else instead of retrying or failing it (the browser relay):
   * returns true when it took the item (the worker slot is freed, the item is neither retried nor failed).
   */
  handOff?: (item: QueueItem, leaseId: string, err: unknown) => boolean | Promise<boolean>;
  now?: () => number;
  /** A write found the disk full (the download's, or the database's): the companion records it for health. */
  onDiskFull?: (err: unknown) => void;
  /** While true (the disk is full) no new item is claimed. */
  paused?: () => boolean;
}

interface ActiveJob {
  item: QueueItem;
  controller: AbortController;
  lastSignMs: number;
  done: Promise<void>;
}

class StallError extends TimeoutError {}

/**
 * Runs up to `concurrency` items at once from the persistent queue. Each job has its own AbortSignal (cancel,
 * stall, shutdown); timers are always cleared; a lost lease stops the job.
 */
export function createRunner(options: RunnerOptions) {
  const {
    store,
    logger,
    concurrency,
    leaseMs = 60_000,
    stallTimeoutMs,
    maxAttempts = 3,
    retryBaseMs = 30_000,
    isRetryable = () => false,
    pollIntervalMs = 5_000,
    now = Date.now,
  } = options;
  const active = new Map<string, ActiveJob>();
  let running = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let watchdog: NodeJS.Timeout | undefined;

  const settle = async (item: QueueItem, leaseId: string, run: () => Promise<string>, job: ActiveJob) => {
    try {
      const finalPath = await run();
      if (!store.complete(item.id, leaseId, finalPath)) {
        // Cancelled while the file was being placed: the user asked for it not to be there.
        await rm(finalPath, { force: true });
      }
      logger.info('Download finished', { id: item.id });
    } catch (err) {
      const reason = job.controller.signal.reason;
      if (reason === 'cancel') {
        if (item.stagingPath) await rm(item.stagingPath, { force: true });
        await removeStagingOf(item.id);
        logger.info('Download cancelled', { id: item.id });
        return;
      }
      if (reason === 'shutdown') return;
      if (isDiskFull(err)) {
        // Its partial file is what filled the disk: removed, so the database has room to record the failure.
        options.onDiskFull?.(err);
        if (item.stagingPath) await rm(item.stagingPath, { force: true });
        await removeStagingOf(item.id);
        const message =
          err instanceof Error && err.name === 'DiskFullError'
            ? err.message
            : 'Disk full: no space left to store the book';
        store.fail(item.id, leaseId, message);
        logger.error('Download failed: disk full', { id: item.id, error: err });
        return;
      }
      if (options.handOff && (await options.handOff(item, leaseId, err))) {
        logger.info('Download handed off', { id: item.id });
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const verdict = reason instanceof StallError ? true : isRetryable(err);
      const attempts = store.get(item.id)?.attempts ?? item.attempts;
      if (verdict && typeof verdict === 'object') {
        store.retryLater(item.id, leaseId, verdict.atMs, verdict.message);
      } else if (verdict && attempts < maxAttempts) {
        const atMs = now() + retryBaseMs * 2 ** (attempts - 1);
        store.retryLater(item.id, leaseId, atMs, `${message} (retrying)`);
        logger.warn('Download failed, will retry', { id: item.id, error: message });
      } else {
        store.fail(item.id, leaseId, message);
        logger.warn('Download failed', { id: item.id, error: message });
      }
    }
  };

  const removeStagingOf = async (id: string) => {
    const stagingPath = store.get(id)?.stagingPath;
    if (stagingPath) await rm(stagingPath, { force: true });
  };

  const start = (item: QueueItem) => {
    const leaseId = item.leaseId as string;
    const controller = new AbortController();
    const job = { item, controller, lastSignMs: now() } as ActiveJob;
    const renew = setInterval(
      () => {
        let renewed: boolean;
        try {
          renewed = store.renewLease(item.id, leaseId, leaseMs);
        } catch (err) {
          if (isDiskFull(err)) options.onDiskFull?.(err);
          return;
        }
        if (!renewed && !controller.signal.aborted) {
          // The lease is gone: the item was cancelled (or taken over). Stop touching it.
          const current = store.get(item.id);
          controller.abort(current?.status === 'cancelled' ? 'cancel' : 'shutdown');
        }
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    const ctx: JobContext = {
      signal: controller.signal,
      leaseId,
      touch: () => {
        job.lastSignMs = now();
      },
    };
    job.done = settle(item, leaseId, () => options.process(item, ctx), job)
      // Recording the outcome failed (the database's disk is full): the item keeps its lease, the service stays up.
      .catch((err) => {
        if (isDiskFull(err)) options.onDiskFull?.(err);
        logger.error('Could not record the outcome of a download', { id: item.id, error: err });
      })
      .finally(() => {
        clearInterval(renew);
        active.delete(item.id);
        fill();
      });
    active.set(item.id, job);
  };

  // Items a previous process left `downloading` go back in line first; on a full disk that write fails, and it is
  // tried again once there is room (not a crash loop: their expired leases would make them claimable anyway).
  let leftoversPending = false;
  const releaseLeftovers = () => {
    try {
      const resumed = store.releaseAllLeases();
      leftoversPending = false;
      if (resumed.length > 0) logger.info('Resuming downloads left by the previous run', { count: resumed.length });
    } catch (err) {
      leftoversPending = true;
      if (isDiskFull(err)) options.onDiskFull?.(err);
      logger.error('Could not put the downloads of the previous run back in line', { error: err });
    }
  };

  const fill = () => {
    if (!running || options.paused?.()) return;
    if (leftoversPending && active.size === 0) releaseLeftovers();
    while (active.size < concurrency) {
      let item: QueueItem | undefined;
      try {
        item = store.claimNext(leaseMs);
      } catch (err) {
        if (isDiskFull(err)) options.onDiskFull?.(err);
        logger.error('Could not claim from the queue', { error: err });
        return;
      }
      if (!item) return;
      start(item);
    }
  };

  const checkStalls = () => {
    const at = now();
    for (const job of active.values()) {
      if (at - job.lastSignMs > stallTimeoutMs && !job.controller.signal.aborted) {
        logger.warn('Download stalled', { id: job.item.id });
        job.controller.abort(
          new StallError(`Download stalled (no activity for ${Math.round(stallTimeoutMs / 1000)}s)`),
        );
      }
    }
  };

  return {
    /** Starts claiming work; items a previous process left `downloading` are resumed first. */
    start(): void {
      if (running) return;
      running = true;
      releaseLeftovers();
      pollTimer = setInterval(fill, pollIntervalMs);
      watchdog = setInterval(checkStalls, Math.max(100, Math.min(stallTimeoutMs / 4, 10_000)));
      fill();
    },

    /** Looks for work now (after an enqueue or a priority change) instead of waiting for the next poll. */
    wake: () => fill(),

    /** Cancels a queued or running item; a running transfer stops and its partial file is removed. */
    async cancel(id: string): Promise<boolean> {
      const before = store.cancel(id);
      if (!before) return false;
      const job = active.get(id);
      if (job) {
        job.controller.abort('cancel');
        await job.done;
      } else if (before.stagingPath) {
        await rm(before.stagingPath, { force: true });
      }
      return true;
    },

    activeIds: (): string[] => [...active.keys()],

    /** Stops claiming, aborts running jobs and hands their items back to the queue (partials kept for Range). */
    async stop(): Promise<void> {
      running = false;
      clearInterval(pollTimer);
      clearInterval(watchdog);
      const jobs = [...active.values()];
      for (const job of jobs) job.controller.abort('shutdown');
      await Promise.allSettled(jobs.map((job) => job.done));
      try {
        store.releaseAllLeases();
      } catch (err) {
        logger.error('Could not put running downloads back in line', { error: err });
      }
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
