import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../companion/events.js';
import { migrateClearance } from '../../../companion/net/clearance-schema.js';
import { createClearanceStore } from '../../../companion/net/clearance-store.js';
import { createAskExtension } from '../../../companion/relay/ask-extension.js';
import { createClearanceRequests } from '../../../companion/relay/clearance-requests.js';
import { migrateRelay } from '../../../companion/relay/relay-schema.js';
import { openDatabase } from '../../../companion/store/open-database.js';
import type { CompanionEvent } from '../../../shared/events.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36';

function setup(hasOwnBypass: boolean) {
  const db = openDatabase(':memory:');
  migrateClearance(db);
  migrateRelay(db);
  const bus = createEventBus();
  const clearance = createClearanceStore({ db });
  const requests = createClearanceRequests({ db, ttlMs: 60_000 });
  const ask = createAskExtension({ bus, clearance, requests, hasOwnBypass });
  const hand = () =>
    clearance.put({
      site: 'annas-archive.org',
      cookies: [{ name: '__ddgid_', value: 'x' }],
      userAgent: UA,
      source: 'extension',
    });
  return { bus, clearance, requests, ask, hand };
}

describe('asking the browser extension for clearance', () => {
  it('waits for POST /api/clearance while an extension listens, and publishes the request', async () => {
    const { bus, requests, ask, hand } = setup(true);
    const events: CompanionEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const asked = ask(
      'annas-archive.org',
      'https://annas-archive.org/slow_download/x/0/1',
      new AbortController().signal,
      'ddos-guard-js',
    );
    expect(events).toMatchObject([
      { type: 'clearance-needed', site: 'annas-archive.org', request: { needsHuman: false } },
    ]);
    expect(requests.list()).toHaveLength(1);
    hand();
    await expect(asked).resolves.toMatchObject({ site: 'annas-archive.org', source: 'extension' });
  });

  it('with a server bypass and no extension in touch, records the request but does not wait', async () => {
    const { requests, ask, hand } = setup(true);
    await expect(ask('annas-archive.org', 'https://annas-archive.org/a', new AbortController().signal)).rejects.toThrow(
      /No browser extension is in touch/,
    );
    expect(requests.list().map((r) => r.site)).toEqual(['annas-archive.org']);
    // An extension that polls counts as in touch: the next ask waits for it.
    requests.notePoll();
    const asked = ask('annas-archive.org', 'https://annas-archive.org/a', new AbortController().signal);
    hand();
    await expect(asked).resolves.toMatchObject({ site: 'annas-archive.org' });
  });

  it('without a server bypass it waits even when nobody listens, until the caller gives up', async () => {
    const { ask } = setup(false);
    const controller = new AbortController();
    const asked = ask('annas-archive.org', 'https://annas-archive.org/a', controller.signal);
    controller.abort(new Error('gave up'));
    await expect(asked).rejects.toThrow('gave up');
  });

  it('does not ask again right after the site refused what the browser handed over', async () => {
    const { clearance, ask, hand } = setup(false);
    const asked = ask('annas-archive.org', 'https://annas-archive.org/a', new AbortController().signal);
    hand();
    await asked;
    // The replay was refused: the HTTP client purges the cookies it presented.
    clearance.purge('annas-archive.org', 'ddos-guard-js while presenting clearance');
    await expect(ask('annas-archive.org', 'https://annas-archive.org/a', new AbortController().signal)).rejects.toThrow(
      /refused the clearance the browser handed over/,
    );
  });
});
