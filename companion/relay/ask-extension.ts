import type { AskExtension } from '../bypass/solve-challenge.js';
import type { EventBus } from '../events.js';
import type { ClearanceStore } from '../net/clearance-store.js';
import { siteOf } from '../net/site-of.js';
import type { ClearanceRequests } from './clearance-requests.js';

/** How long after a hand-over a purged clearance counts as "refused from this server" rather than just gone. */
const REFUSED_WINDOW_MS = 5 * 60_000;
/** An extension that polled `GET /api/clearance/requests` this recently counts as around (Chrome alarms: ≥ 30 s). */
const POLL_WINDOW_MS = 3 * 60_000;

/**
 * The solver's extension path: records a pending request for the site (listed at `GET /api/clearance/requests`,
 * published as SSE `clearance-needed`) and resolves when `POST /api/clearance` stores clearance for it. Clearance the
 * browser handed over that the site then refused (purged on replay, e.g. bound to the browser's address) is not
 * asked for again for a while: asking would only repeat the refusal, so the caller moves on (to the relay).
 * When the server has a bypass of its own and no extension is around (no SSE stream, no recent poll), the request
 * is still recorded for a late extension, but the caller does not wait for it.
 */
export function createAskExtension({
  bus,
  clearance,
  requests,
  hasOwnBypass,
  now = Date.now,
}: {
  bus: EventBus;
  clearance: ClearanceStore;
  requests: ClearanceRequests;
  /** Whether the server can get clearance without the browser (USE_CF_BYPASS); without it, waiting is the only path. */
  hasOwnBypass: boolean;
  now?: () => number;
}): AskExtension {
  const handedAtMs = new Map<string, number>();
  return async (site, url, signal, challenge) => {
    const key = siteOf(site);
    const handed = handedAtMs.get(key);
    if (handed !== undefined && now() - handed < REFUSED_WINDOW_MS && !clearance.get(key)) {
      throw new Error(
        `${key} refused the clearance the browser handed over (it may be bound to the browser's address)`,
      );
    }
    const request = requests.open({ site: key, url, challenge });
    bus.publish({ type: 'clearance-needed', site: request.site, url, request });
    if (hasOwnBypass && bus.size === 0 && !requests.polledWithin(POLL_WINDOW_MS)) {
      throw new Error('No browser extension is in touch; trying the server bypass (the request stays pending)');
    }
    const record = await clearance.waitForPut(key, signal);
    handedAtMs.set(record.site, now());
    return record;
  };
}
