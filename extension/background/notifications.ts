import browser from 'webextension-polyfill';
import type { QueueItemView } from '../../shared/download.js';
import { connectionItem } from '../lib/settings.js';
import type { QueueChangeSource, QueueItems, QueueState } from './queue-state.js';

export interface Notice {
  /** `item:<md5>:<status>` opens the companion's UI on click; `site:<url>` opens that site. */
  id: string;
  title: string;
  message: string;
}

const inLibrary = (item: QueueItemView | undefined) => item?.status === 'available' || item?.status === 'done';

/**
 * The notices a queue change deserves (pure): a book that reached the library, and a download that failed.
 * Nothing on the first list after a browser start (`previous` null), so old history is not replayed.
 */
export function findQueueNotices(next: QueueItems, previous: QueueItems | null, source: QueueChangeSource): Notice[] {
  if (previous === null) return [];
  const notices: Notice[] = [];
  for (const item of next.values()) {
    const before = previous.get(item.id);
    // A finished item seen for the first time in a whole list is history; a live event is news.
    if (!before && source === 'list') continue;
    const byline = item.author ? `${item.title} — ${item.author}` : item.title;
    if (inLibrary(item) && !inLibrary(before)) {
      notices.push({ id: `item:${item.id}:in-library`, title: 'In your library', message: byline });
    } else if (item.status === 'error' && before?.status !== 'error') {
      notices.push({
        id: `item:${item.id}:failed`,
        title: 'Download failed',
        message: item.error ? `${byline}\n${item.error}` : byline,
      });
    }
  }
  return notices;
}

// A 1×1 transparent PNG: Chrome refuses a basic notification without an icon, and the build may ship none.
const FALLBACK_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** The largest icon the manifest lists (a basic notification needs one). */
export function readIconUrl(): string {
  let icons: Record<string, string>;
  try {
    icons = browser.runtime.getManifest().icons ?? {};
  } catch {
    return FALLBACK_ICON; // no manifest to read (WXT's fake browser in unit tests)
  }
  const largest = Object.keys(icons)
    .map(Number)
    .sort((a, b) => b - a)[0];
  return largest === undefined ? FALLBACK_ICON : browser.runtime.getURL(icons[largest] as '/');
}

/** Shows a notice; a browser without notifications (or a refused one) is not an error worth more than a skip. */
export async function showNotice({ id, title, message }: Notice): Promise<void> {
  if (!browser.notifications) return;
  await browser.notifications
    .create(id, { type: 'basic', iconUrl: readIconUrl(), title, message })
    .catch(() => undefined);
}

/** Called by the clearance hand-off when a site wants a browser check; clicking opens the site in a tab. */
export function notifyClearanceNeeded(site: string, url: string): Promise<void> {
  return showNotice({
    id: `site:${url}`,
    title: `${site} needs a browser check`,
    message: 'Open the site once and pass its check; Bookrelay then resumes the download.',
  });
}

/** Where a notice leads when clicked: the site for a clearance notice, else the companion's web UI. */
export async function resolveNoticeTarget(noticeId: string): Promise<string> {
  if (noticeId.startsWith('site:')) {
    const url = URL.canParse(noticeId.slice(5)) ? new URL(noticeId.slice(5)) : null;
    // Only web pages: a notice id must never become a javascript: or file: tab.
    if (url && (url.protocol === 'https:' || url.protocol === 'http:')) return url.href;
  }
  return `${(await connectionItem.getValue()).url.replace(/\/+$/, '')}/`;
}

/** Click → open the target in a tab and close the notice. Register once, at the background's top level. */
export function listenForNoticeClicks(): void {
  browser.notifications?.onClicked.addListener((noticeId) => {
    // Other features' notices (the clearance hand-off's "a check needs you") handle their own clicks.
    if (!noticeId.startsWith('item:') && !noticeId.startsWith('site:')) return;
    void (async () => {
      await browser.tabs.create({ url: await resolveNoticeTarget(noticeId) });
      await browser.notifications.clear(noticeId);
    })().catch(() => undefined);
  });
}

/** Shows a notice for every book that reaches the library or fails. */
export function notifyQueueChanges(queue: Pick<QueueState, 'subscribe'>, notify = showNotice): void {
  queue.subscribe((next, previous, source) => {
    for (const notice of findQueueNotices(next, previous, source)) void notify(notice);
  });
}
