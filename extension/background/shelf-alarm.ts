import browser from 'webextension-polyfill';

export const SHELF_ALARM = 'bookrelay-shelves';
/** How often shelves the companion cannot read (StoryGraph) are read by opening their page. */
export const SHELF_ALARM_MINUTES = 60;
/** A background tab opened for a shelf is closed after this long even if its page never reported. */
const TAB_TIMEOUT_MS = 60_000;

/**
 * StoryGraph has no feed or API: on the alarm, each watched StoryGraph shelf is opened in an inactive background
 * tab, where the shelf content script reads it (the user's own session, the same reader as *Send all*) and posts
 * its entries (`shelf:visit`); the tab is closed once it has reported, or after a minute.
 */
export function createShelfPageOpener() {
  const opened = new Map<number, ReturnType<typeof setTimeout>>();
  const close = (tabId: number) => {
    clearTimeout(opened.get(tabId));
    opened.delete(tabId);
    browser.tabs.remove(tabId).catch(() => undefined);
  };
  return {
    async open(url: string): Promise<void> {
      const tab = await browser.tabs.create({ url, active: false });
      if (tab.id === undefined) return;
      const tabId = tab.id;
      opened.set(
        tabId,
        setTimeout(() => close(tabId), TAB_TIMEOUT_MS),
      );
    },
    /** The tab's page has reported: close it when the alarm opened it (a tab the user opened stays). */
    reported(tabId: number | undefined): void {
      if (tabId !== undefined && opened.has(tabId)) close(tabId);
    },
  };
}

/** Runs `check` on the shelf alarm (created once, so a waking worker does not push it back). */
export function startShelfAlarm(check: () => Promise<void>): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SHELF_ALARM) void check().catch(() => undefined);
  });
  void browser.alarms.get(SHELF_ALARM).then((existing) => {
    if (!existing) return browser.alarms.create(SHELF_ALARM, { periodInMinutes: SHELF_ALARM_MINUTES });
  });
}
