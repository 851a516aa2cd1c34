import browser from 'webextension-polyfill';
import type { CompanionEvent } from '../../shared/events.js';
import { QUEUE_ITEMS_PATH, queueItemsResponse } from '../../shared/queue-api.js';
import { POPUP_PORT_NAME, type PopupPortMessage } from '../lib/popup-port.js';
import { connectionItem } from '../lib/settings.js';
import type { CompanionConnection } from './companion-connection.js';
import type { QueueState } from './queue-state.js';

export const POLL_ALARM = 'bookrelay-queue-poll';

export interface CompanionEventsDeps {
  connection: CompanionConnection;
  queue: QueueState;
  /** The alarm poll while nothing listens (Chrome's minimum alarm period is 30 s). */
  pollIntervalMs?: number;
  /** First reconnect delay after the stream fails; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** An extension API call at this interval keeps the worker alive while the stream is wanted (MV3 idles at 30 s). */
  keepAliveMs?: number;
  keepAlive?: () => unknown;
  /** Where popups connect (WXT's fake browser has no ports, so tests pass their own). */
  onConnect?: Pick<browser.Events.Event<(port: browser.Runtime.Port) => void>, 'addListener'>;
}

/**
 * Live queue updates for the background: ONE `/api/events` stream while anything listens (a popup port is open,
 * items are still queued or downloading, or a feature subscribed while the worker is awake), otherwise an alarm poll
 * of `/api/queue/items`; only a popup or active items keep the worker awake for it. The stream reconnects with
 * back-off; each outcome is reported to the connection, so the badge and popup know when the companion is offline.
 */
export function createCompanionEvents({
  connection,
  queue,
  pollIntervalMs = 30_000,
  retryDelayMs: initialRetryDelayMs = 1_000,
  maxRetryDelayMs = 30_000,
  keepAliveMs = 20_000,
  keepAlive = () => browser.runtime.getPlatformInfo(),
  onConnect = browser.runtime.onConnect,
}: CompanionEventsDeps) {
  let listeners = 0;
  let stream: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryDelayMs = initialRetryDelayMs;
  const eventListeners = new Set<(event: CompanionEvent) => void>();

  // Work the user waits for (a popup, active downloads) keeps the worker awake for the stream; a feature that only
  // subscribes (the clearance hand-off, the relay) keeps the stream open while the worker is awake anyway.
  const isBusy = () => listeners > 0 || queue.hasActive();
  const isWanted = () => isBusy() || eventListeners.size > 0;

  async function runStream(controller: AbortController): Promise<void> {
    const keepAliveTimer = setInterval(() => {
      if (isBusy()) void Promise.resolve(keepAlive()).catch(() => {});
    }, keepAliveMs);
    let failed = false;
    try {
      const client = await connection.getClient();
      for await (const event of client.events(controller.signal)) {
        if (event.type === 'snapshot') {
          connection.report();
          retryDelayMs = initialRetryDelayMs;
        }
        queue.apply(event);
        for (const listener of eventListeners) listener(event);
      }
      failed = !controller.signal.aborted;
    } catch (err) {
      if (!controller.signal.aborted) {
        connection.report(err);
        failed = true;
      }
    } finally {
      clearInterval(keepAliveTimer);
      if (stream === controller) stream = null;
    }
    if (failed && isWanted()) {
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        update();
      }, retryDelayMs);
      retryDelayMs = Math.min(retryDelayMs * 2, maxRetryDelayMs);
    }
  }

  /** Opens the stream when wanted and closes it when not. */
  function update(): void {
    if (isWanted()) {
      if (stream || retryTimer) return;
      const controller = new AbortController();
      stream = controller;
      void runStream(controller);
      return;
    }
    stream?.abort();
    stream = null;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    retryDelayMs = initialRetryDelayMs;
  }

  /** Drops the stream so the next update opens it on the current connection (a new URL or token). */
  function reconnect(): void {
    stream?.abort();
    stream = null;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    retryDelayMs = initialRetryDelayMs;
    update();
  }

  /** One `GET /api/queue/items` (skipped while the stream is open: it already has everything). */
  async function poll(): Promise<void> {
    if (stream) return;
    try {
      const { items } = await (await connection.getClient()).request(QUEUE_ITEMS_PATH, queueItemsResponse);
      connection.report();
      await queue.loaded;
      queue.replace(items);
    } catch (err) {
      connection.report(err);
    }
    update();
  }

  /** A popup connected: stream while it stays, and push it the queue and connection on every change. */
  function attachPort(port: browser.Runtime.Port): void {
    const post = (message: PopupPortMessage) => {
      try {
        port.postMessage(message);
      } catch {
        // The popup closed between the change and this message; onDisconnect cleans up.
      }
    };
    listeners += 1;
    const stopQueue = queue.subscribe(() => post({ type: 'queue', items: queue.list() }));
    const stopConnection = connection.subscribe((state) => post({ type: 'connection', state }));
    port.onDisconnect.addListener(() => {
      listeners -= 1;
      stopQueue();
      stopConnection();
      update();
    });
    void queue.loaded.then(() => post({ type: 'queue', items: queue.list() }));
    post({ type: 'connection', state: connection.state });
    update();
  }

  return {
    poll,
    update,
    attachPort,
    /** Every event of the one stream, for features that act on them (clearance hand-off, relay); returns unsubscribe. */
    subscribe(listener: (event: CompanionEvent) => void): () => void {
      eventListeners.add(listener);
      update();
      return () => {
        eventListeners.delete(listener);
        update();
      };
    },
    reconnect,
    get streaming(): boolean {
      return stream !== null;
    },
    /** Registers the alarm, the port and queue listeners (call at the background's top level), then polls once. */
    async start(): Promise<void> {
      browser.alarms.onAlarm.addListener((alarm) => {
        if (alarm.name === POLL_ALARM) void poll();
      });
      onConnect.addListener((port) => {
        if (port.name === POPUP_PORT_NAME) attachPort(port);
      });
      queue.subscribe(() => update());
      // A new URL or token: the open stream belongs to the old connection.
      connectionItem.watch(() => reconnect());
      // Re-creating an alarm restarts its period, so keep one that survived a worker restart.
      if (!(await browser.alarms.get(POLL_ALARM))) {
        await browser.alarms.create(POLL_ALARM, { periodInMinutes: pollIntervalMs / 60_000 });
      }
      await poll();
    },
    /** Closes the stream and timers (tests). */
    stop(): void {
      listeners = 0;
      stream?.abort();
      stream = null;
      clearTimeout(retryTimer);
      retryTimer = undefined;
    },
  };
}

export type CompanionEvents = ReturnType<typeof createCompanionEvents>;
