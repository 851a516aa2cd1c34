import { useEffect } from 'preact/hooks';
import type { BookJob } from '../lib/book-job.js';
import type { SendMessage, SendState } from './send-state.js';

/** True once a job cannot change any more (done, failed, cancelled, or gone from the companion). */
export function isFinishedJob(job: BookJob | null): boolean {
  return job !== null && ['done', 'available', 'error', 'cancelled', 'unknown'].includes(job.status);
}

/** Polls `book:job` while `state` follows an unfinished job; stops on unmount or when the job ends. */
export function useFollowedJob(
  state: SendState,
  setState: (state: SendState) => void,
  sendMessage: SendMessage,
  pollIntervalMs: number,
): void {
  const md5 = state.kind === 'following' && !isFinishedJob(state.job) ? state.md5 : undefined;
  useEffect(() => {
    if (!md5) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const poll = async () => {
      try {
        const job = await sendMessage({ type: 'book:job', md5 });
        if (!live) return;
        setState({ kind: 'following', md5, job });
        if (isFinishedJob(job)) return;
      } catch {
        // The companion may be restarting; keep following.
      }
      if (live) timer = setTimeout(poll, pollIntervalMs);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [md5, sendMessage, pollIntervalMs, setState]);
}
