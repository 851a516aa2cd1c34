import { statfsSync, statSync } from 'node:fs';
import { CompanionError } from '../errors.js';

/** A book that does not fit, or a write that found the disk full (ENOSPC, a quota, SQLITE_FULL). */
export class DiskFullError extends CompanionError {
  override name = 'DiskFullError' as const;
}

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** Whether `err` (or any error in its `cause` chain) says the disk is full. */
export function isDiskFull(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'DiskFullError') return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && FULL_CODES.has(code)) return true;
  }
  return false;
}

/** `1536000` → "1.5 MB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Free bytes for this process in the filesystem that holds `dir` (undefined when it cannot be read). */
export function freeBytes(dir: string): number | undefined {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

/** Whether two existing paths are on one filesystem (a hard link between them works); false when either cannot be read. */
export function onSameFilesystem(a: string, b: string): boolean {
  try {
    return statSync(a).dev === statSync(b).dev;
  } catch {
    return false;
  }
}

/** Room the database and the status updates need beside a book. */
export const HEADROOM_BYTES = 1024 * 1024;

/**
 * Refuses a download of `bytes` before it starts when the folder cannot hold it (with {@link HEADROOM_BYTES}
 * to spare): the disk would fill half-way and the whole transfer would be lost. Synchronous on purpose: it runs
 * between a response's headers and its body, where an await would let undici drop early chunks.
 */
export function ensureRoomFor(dir: string, bytes: number, what = 'the staging folder'): void {
  const free = freeBytes(dir);
  if (free !== undefined && free < bytes + HEADROOM_BYTES) {
    throw new DiskFullError(`Disk full: the book needs ${formatBytes(bytes)}, ${what} has ${formatBytes(free)} free`);
  }
}

export interface WatchedFolder {
  variable: string;
  dir: string;
}

export interface DiskProblem {
  code: 'disk-full';
  message: string;
  sinceMs: number;
}

/**
 * Remembers that a write found the disk full (or that it was nearly full at start), so the queue stops claiming
 * work and health says so, until the watched folders have `minFreeBytes` free again (checked at most once a second).
 */
export function createDiskState({
  folders,
  minFreeBytes = 16 * 1024 * 1024,
  now = Date.now,
}: {
  folders: WatchedFolder[];
  minFreeBytes?: number;
  now?: () => number;
}) {
  let full: { sinceMs: number; checkedAtMs: number } | undefined;

  // One line per filesystem: DATA_DIR and its staging folder are usually the same disk.
  const lowFolders = (): { variable: string; free: number }[] => {
    const seen = new Set<number>();
    return folders.flatMap(({ variable, dir }) => {
      try {
        const { dev } = statSync(dir);
        if (seen.has(dev)) return [];
        seen.add(dev);
        const stats = statfsSync(dir);
        const free = stats.bavail * stats.bsize;
        return free < minFreeBytes ? [{ variable, free }] : [];
      } catch {
        return [];
      }
    });
  };

  const isFull = (): boolean => {
    if (!full) return false;
    if (now() - full.checkedAtMs >= 1000) {
      full.checkedAtMs = now();
      if (lowFolders().length === 0) full = undefined;
    }
    return full !== undefined;
  };
  // Started on a disk that is already full (a restart after the disk filled): say so from the first moment.
  if (lowFolders().length > 0) full = { sinceMs: now(), checkedAtMs: now() };

  return {
    /** Records `err` when it is a disk-full error; true if it was. */
    report(err: unknown): boolean {
      if (!isDiskFull(err)) return false;
      full ??= { sinceMs: now(), checkedAtMs: now() };
      return true;
    },
    isFull,
    problems(): DiskProblem[] {
      if (!isFull() || !full) return [];
      const low = lowFolders();
      const where =
        low.length > 0
          ? low.map(({ variable, free }) => `${variable} has ${formatBytes(free)} free`).join(', ')
          : 'a write failed for lack of space';
      return [
        {
          code: 'disk-full',
          message: `Disk full: ${where}; downloads are paused until ${formatBytes(minFreeBytes)} are free`,
          sinceMs: full.sinceMs,
        },
      ];
    },
  };
}

export type DiskState = ReturnType<typeof createDiskState>;
