import type { DownloadStatus } from '../../shared/download.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { HttpClient } from '../net/http-client.js';
import { deliver } from './deliver.js';
import { maskUrl } from './mask-url.js';
import { type BookNotification, toNotification } from './notification.js';
import { splitCredentials } from './split-credentials.js';

export interface NotifyTargets {
  /** NOTIFY_WEBHOOK_URL: receives the {@link BookNotification} as JSON. */
  webhookUrl: string | undefined;
  /** NTFY_URL: an ntfy topic URL (`https://ntfy.sh/<topic>`); NTFY_TOKEN is sent as a bearer token. */
  ntfyUrl: string | undefined;
  ntfyToken: string | undefined;
}

export interface NotifierDeps {
  bus: EventBus;
  client: HttpClient;
  targets: NotifyTargets;
  /** Statuses of the items already known at start: an item already placed is not announced again. */
  initial: Array<{ id: string; status: DownloadStatus }>;
  attempts: number;
  backoffMs: number;
  logger: Logger;
  now?: () => number;
}

function ntfyMessage(note: BookNotification): { body: string; headers: Record<string, string> } {
  const who = note.author ? ` by ${note.author}` : '';
  return note.event === 'placed'
    ? {
        body: `${note.title}${who} is in the library${note.format ? ` (${note.format})` : ''}.`,
        headers: { Title: 'Bookrelay: book placed', Tags: 'books', Priority: '3' },
      }
    : {
        body: `${note.title}${who} failed: ${note.error ?? 'unknown error'}`,
        headers: { Title: 'Bookrelay: download failed', Tags: 'warning', Priority: '4' },
      };
}

/**
 * Announces placed and failed books to a JSON webhook and/or an ntfy topic. It listens to the queue's events (the
 * download code knows nothing of it), announces each transition once, and retries each target with back-off.
 * Payloads carry the book and the queue's message only; target URLs appear in logs masked.
 */
export function createNotifier({
  bus,
  client,
  targets,
  initial,
  attempts,
  backoffMs,
  logger,
  now = Date.now,
}: NotifierDeps) {
  const last = new Map(initial.map((item) => [item.id, item.status]));
  const pending = new Set<Promise<void>>();
  const stop = new AbortController();

  const send = (target: string, rawUrl: string, init: { body: string; headers: Record<string, string> }) => {
    const { url, headers } = splitCredentials(rawUrl);
    const request = { body: init.body, headers: { ...headers, ...init.headers } };
    const job = deliver(client, url, request, { attempts, backoffMs, signal: stop.signal })
      .then(
        (used) => logger.debug('Notification sent', { target, to: maskUrl(url), attempts: used }),
        (err: unknown) => {
          if (!stop.signal.aborted) {
            logger.warn('Notification failed', {
              target,
              to: maskUrl(url),
              reason: err instanceof Error ? err.message : 'failed',
            });
          }
        },
      )
      .finally(() => pending.delete(job));
    pending.add(job);
  };

  const announce = (note: BookNotification) => {
    if (targets.webhookUrl) {
      send('webhook', targets.webhookUrl, {
        body: JSON.stringify(note),
        headers: { 'content-type': 'application/json' },
      });
    }
    if (targets.ntfyUrl) {
      const { body, headers } = ntfyMessage(note);
      send('ntfy', targets.ntfyUrl, {
        body,
        headers: {
          ...headers,
          'content-type': 'text/plain; charset=utf-8',
          ...(targets.ntfyToken ? { authorization: `Bearer ${targets.ntfyToken}` } : {}),
        },
      });
    }
  };

  const unsubscribe = bus.subscribe(
    (event) => {
      if (event.type === 'removed') for (const id of event.ids) last.delete(id);
      if (event.type !== 'item') return;
      const { item } = event;
      const before = last.get(item.id);
      last.set(item.id, item.status);
      if (before === item.status) return;
      const note = toNotification(item, now());
      if (note) announce(note);
    },
    { internal: true },
  );

  return {
    get enabled(): boolean {
      return Boolean(targets.webhookUrl || targets.ntfyUrl);
    },
    /** Stops listening and abandons retries still waiting. */
    async close(): Promise<void> {
      unsubscribe();
      stop.abort();
      await Promise.allSettled([...pending]);
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
