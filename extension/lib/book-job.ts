import { DOWNLOAD_STATUSES, type DownloadStatus } from '../../shared/download.js';

/** What a page button shows for a sent book. `unknown`: the companion no longer lists it. */
export interface BookJob {
  md5: string;
  status: DownloadStatus | 'unknown';
  /** 0–100 while downloading, else null. */
  progress: number | null;
  /** The companion's status message or error, for *Failed: reason*. */
  message: string | null;
}

/**
 * Finds one md5 in the companion's `GET /api/status` answer (status → id → BookInfo); a parser in the shape
 * `client.request` expects, so a malformed answer is `bad-response`, never a crash.
 */
export function createBookJobParser(md5: string) {
  return {
    safeParse(data: unknown): { success: true; data: BookJob } | { success: false; error: unknown } {
      if (typeof data !== 'object' || data === null) return { success: false, error: 'not an object' };
      for (const status of DOWNLOAD_STATUSES) {
        const group = (data as Record<string, unknown>)[status];
        const book = typeof group === 'object' && group !== null ? (group as Record<string, unknown>)[md5] : undefined;
        if (typeof book !== 'object' || book === null) continue;
        const fields = book as { progress?: unknown; status_message?: unknown };
        return {
          success: true,
          data: {
            md5,
            status,
            progress: typeof fields.progress === 'number' ? fields.progress : null,
            message: typeof fields.status_message === 'string' ? fields.status_message : null,
          },
        };
      }
      return { success: true, data: { md5, status: 'unknown', progress: null, message: null } };
    },
  };
}
