import browser from 'webextension-polyfill';
import * as z from 'zod/mini';
import type { CompanionEvent } from '../../shared/events.js';
import { pendingClearanceList, RELAY_PATHS, type RelayJob, relayJobList } from '../../shared/relay-api.js';
import { isCompanionError } from '../lib/companion-error.js';
import type { ProtectedSite } from '../lib/messages.js';
import { connectionItem } from '../lib/settings.js';
import { type ClearanceAsk, createClearanceHandoff } from './clearance-handoff.js';
import { watchClearanceCookies } from './clearance-watch.js';
import type { CompanionConnection } from './companion-connection.js';
import type { CompanionEvents } from './companion-events.js';
import type { MessageRouter } from './message-router.js';
import { createRelayDownload } from './relay-download.js';

/** The alarm that wakes a sleeping service worker to look for requests it missed (30 s is Chrome's minimum). */
export const RELAY_POLL_ALARM = 'bookrelay:relay-poll';

const clearanceDiagnostics = z.object({
  sites: z.array(
    z.object({
      site: z.string(),
      hasClearance: z.boolean(),
      source: z.optional(z.string()),
      expiresAtMs: z.optional(z.number()),
      lastPath: z.optional(z.string()),
    }),
  ),
});

const log = (what: string, err: unknown) => console.warn(`Bookrelay: ${what}:`, (err as Error)?.message ?? err);

/**
 * The browser side of issue 12, wired once from the background: answers clearance requests and relays downloads,
 * learning about them from the background's one event stream while it is open and from an alarm poll of
 * `GET /api/clearance/requests` + `GET /api/jobs/relay` (on start-up and every 30 s) when it slept through them.
 */
export function startBrowserRelay(
  router: MessageRouter,
  connection: CompanionConnection,
  /** The background's one event stream (held while a popup listens or items are active, which is when asks come). */
  events: Pick<CompanionEvents, 'subscribe'>,
) {
  const handoff = createClearanceHandoff({ connection });
  const relay = createRelayDownload({
    connection,
    passChallenge: (site, url) => handoff.passInTab(site, url),
    keepAlive: () => browser.runtime.getPlatformInfo(),
  });

  const answer = (ask: ClearanceAsk) => {
    handoff.answer(ask).catch((err) => log(`clearance for ${ask.site} not handed over`, err));
  };
  const relayJob = (job: RelayJob) => {
    relay
      .relay(job)
      .then((outcome) => {
        if (outcome.status !== 'complete')
          console.warn(`Bookrelay: relay of ${job.id} ${outcome.status}: ${outcome.message}`);
      })
      .catch((err) => log(`relay of ${job.id} stopped`, err));
  };

  /** Asks the companion what waits on the browser; an older companion without these endpoints is skipped. */
  async function poll(): Promise<void> {
    let client: Awaited<ReturnType<CompanionConnection['getClient']>>;
    try {
      client = await connection.getClient();
    } catch (err) {
      return log('no companion to poll', err);
    }
    const [asks, jobs] = await Promise.allSettled([
      client.request(RELAY_PATHS.clearanceRequests, pendingClearanceList),
      client.request(RELAY_PATHS.relayJobs, relayJobList),
    ]);
    if (asks.status === 'fulfilled') for (const ask of asks.value.requests) answer(ask);
    else if (!(isCompanionError(asks.reason) && asks.reason.status === 404)) log('clearance poll failed', asks.reason);
    if (jobs.status === 'fulfilled') for (const job of jobs.value.jobs) relayJob(job);
    else if (!(isCompanionError(jobs.reason) && jobs.reason.status === 404)) log('relay poll failed', jobs.reason);
  }

  function onEvent(event: CompanionEvent): void {
    if (event.type === 'clearance-needed') answer({ ...event.request, site: event.site, url: event.url });
    else if (event.type === 'relay-needed') {
      if (event.job) relayJob(event.job);
      else void poll();
    }
  }

  watchClearanceCookies({ handoff, onError: (err) => log('clearance refresh failed', err) });
  browser.notifications.onClicked.addListener((id) => void handoff.focusFromNotification(id));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RELAY_POLL_ALARM) void poll();
  });
  // Created once: re-creating it on every worker start would push its next tick back each time.
  void browser.alarms.get(RELAY_POLL_ALARM).then((existing) => {
    if (!existing) return browser.alarms.create(RELAY_POLL_ALARM, { periodInMinutes: 0.5 });
  });
  connectionItem.watch(() => void poll());
  events.subscribe(onEvent);

  router.on('clearance:sites', async (): Promise<ProtectedSite[]> => {
    const client = await connection.getClient();
    const { sites } = await client.request(RELAY_PATHS.clearance, clearanceDiagnostics);
    return sites.map((s) => ({
      site: s.site,
      hasClearance: s.hasClearance,
      expiresAtMs: s.expiresAtMs ?? null,
      lastPath: s.lastPath ?? null,
    }));
  });

  void poll();
  return { handoff, relay, poll };
}
