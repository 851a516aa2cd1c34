import type { Logger } from '../logger.js';
import { checkModeOf } from './fetch-shelf.js';
import type { ListService } from './list-service.js';
import type { ListStore } from './store.js';

export interface ListPollerDeps {
  lists: ListStore;
  service: ListService;
  /** LIST_CHECK_INTERVAL: how often each shelf the companion reads itself is checked. */
  intervalMs: number;
  logger: Logger;
  now?: () => number;
}

/**
 * Checks every shelf the companion can read itself (not paused, not extension-read) once per interval, one shelf
 * after another. A tick that finds the previous one still running does nothing.
 */
export function createListPoller({ lists, service, intervalMs, logger, now = Date.now }: ListPollerDeps) {
  let timer: NodeJS.Timeout | undefined;
  let busy = false;

  async function tick(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      for (const list of lists.all()) {
        if (list.paused || checkModeOf(list) !== 'companion') continue;
        if (list.lastCheckedAtMs !== null && list.lastCheckedAtMs + intervalMs > now()) continue;
        await service.check(list.id, 'poll');
      }
    } catch (err) {
      logger.error('Shelf poll failed', { error: err });
    } finally {
      busy = false;
    }
  }

  return {
    start(): void {
      if (timer) return;
      timer = setInterval(() => void tick(), Math.max(250, Math.min(intervalMs, 30_000)));
      timer.unref();
      void tick();
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
