import browser from 'webextension-polyfill';

/**
 * A search handed from the context menu to the next popup that opens. Session storage: it never outlives the
 * browser session and is not synced.
 */
export const pendingSearch = {
  set: (query: string) => browser.storage.session.set({ pendingSearch: query }),
  clear: () => browser.storage.session.remove('pendingSearch'),
  /** Reads and forgets it (the popup calls this once on open). */
  async take(): Promise<string | null> {
    const { pendingSearch: query } = await browser.storage.session.get('pendingSearch');
    if (typeof query !== 'string') return null;
    await browser.storage.session.remove('pendingSearch');
    return query;
  },
};
