import { AsyncLocalStorage } from 'node:async_hooks';
import type { WaitingReason } from '../../shared/download.js';
import { clearanceWaitMessage } from './clearance-requests.js';

/** Sets the status of the queue item a worker is running (and counts as a sign of life for the stall watchdog). */
export type JobStatus = (message: string, waiting?: WaitingReason | null) => void;

const current = new AsyncLocalStorage<JobStatus>();

/** Runs a worker's job so that code deep below it (the shared challenge solver) can report on its item. */
export function runWithJobStatus<T>(status: JobStatus, work: () => T): T {
  return current.run(status, work);
}

/**
 * While `work` waits for clearance on `site`, the item being worked on (if any) says so, with
 * `waiting: {kind: 'clearance', site}`, and keeps reporting so a long wait is not taken for a stall.
 */
export async function whileWaitingForClearance<T>(
  site: string,
  work: () => Promise<T>,
  { challenge, keepAliveMs = 10_000 }: { challenge?: string | undefined; keepAliveMs?: number } = {},
): Promise<T> {
  const status = current.getStore();
  if (!status) return work();
  const message = clearanceWaitMessage(site, challenge);
  const waiting: WaitingReason = { kind: 'clearance', site };
  status(message, waiting);
  const alive = setInterval(() => status(message, waiting), keepAliveMs);
  try {
    return await work();
  } finally {
    clearInterval(alive);
  }
}
