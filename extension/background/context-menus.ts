import browser from 'webextension-polyfill';
import { MD5_PATTERN } from '../../shared/book.js';
import { describeCompanionError, toCompanionErrorInfo } from '../lib/companion-error.js';
import { pendingSearch } from '../lib/pending-search.js';
import type { CompanionConnection } from './companion-connection.js';
import type { Notice } from './notifications.js';

export const MENU_IDS = { search: 'bookrelay-search-selection', send: 'bookrelay-send-link' } as const;

/** Anna's Archive moves between domains, so any host's `/md5/<32 hex>` link counts (the path is its signature). */
export const MD5_LINK_PATTERNS = ['*://*/md5/*'];

/** The md5 of an Anna's Archive record link (`…/md5/<32 hex>[?#…]`), lower-cased; undefined for anything else. */
export function readMd5FromLink(link: string | undefined): string | undefined {
  if (!link || !URL.canParse(link)) return undefined;
  const url = new URL(link);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const match = /^\/md5\/([0-9a-fA-F]{32})\/?$/.exec(url.pathname);
  const md5 = match?.[1]?.toLowerCase();
  return md5 && MD5_PATTERN.test(md5) ? md5 : undefined;
}

/** The popup's search query from a selection: whitespace collapsed, cut to the companion's 500-character limit. */
export function toSearchQuery(selection: string | undefined): string {
  return (selection ?? '').replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** Registers the two menu entries; call from `runtime.onInstalled` (menus persist across worker restarts). */
export async function createContextMenus(menus = browser.contextMenus): Promise<void> {
  // Firefox for Android has no context menus (extension-notes.md §3).
  if (!menus) return;
  await menus.removeAll();
  menus.create({ id: MENU_IDS.search, title: 'Search Bookrelay for “%s”', contexts: ['selection'] });
  menus.create({
    id: MENU_IDS.send,
    title: 'Send to library',
    contexts: ['link'],
    targetUrlPatterns: MD5_LINK_PATTERNS,
  });
}

export interface ContextMenuDeps {
  connection: CompanionConnection;
  notify: (notice: Notice) => Promise<void>;
  /** Opens the popup UI with `query` already searched. */
  openSearch: (query: string) => Promise<void>;
  /** Called with the md5 once a link was queued (the background tracks it and opens its live stream). */
  onQueued?: (md5: string) => void;
}

/**
 * Handles a click on one of our entries: a selection opens the popup's search, an md5 link is queued and the
 * outcome is a notification (the user stays on the page). Exported so tests drive the same handler a click does.
 */
export function createContextMenuHandler({ connection, notify, openSearch, onQueued }: ContextMenuDeps) {
  return async (info: Pick<browser.Menus.OnClickData, 'menuItemId' | 'selectionText' | 'linkUrl'>): Promise<void> => {
    if (info.menuItemId === MENU_IDS.search) {
      const query = toSearchQuery(info.selectionText);
      if (query) await openSearch(query);
      return;
    }
    if (info.menuItemId !== MENU_IDS.send) return;
    const md5 = readMd5FromLink(info.linkUrl);
    if (!md5) return;
    try {
      await (await connection.getClient()).enqueue({ id: md5 });
      connection.report();
      onQueued?.(md5);
      await notify({
        id: `item:${md5}:queued`,
        title: 'Sent to your library',
        message: 'Queued; a notice follows when the book is in your library.',
      });
    } catch (err) {
      connection.report(err);
      const { title, action } = describeCompanionError(toCompanionErrorInfo(err));
      await notify({
        id: `item:${md5}:send-failed`,
        title: 'Could not send to library',
        message: `${title}. ${action}`,
      });
    }
  };
}

/** Opens the popup where the browser allows it from a menu click, else the same page in a tab. */
export async function openPopupSearch(query: string): Promise<void> {
  await pendingSearch.set(query);
  try {
    await browser.action.openPopup();
  } catch {
    await pendingSearch.clear();
    await browser.tabs.create({ url: browser.runtime.getURL(`/popup.html?q=${encodeURIComponent(query)}`) });
  }
}

export type ContextMenuHandler = ReturnType<typeof createContextMenuHandler>;

/** Creates the entries on install/update and routes clicks to the handler, which it returns. */
export function registerContextMenus(deps: ContextMenuDeps): ContextMenuHandler {
  const handle = createContextMenuHandler(deps);
  if (!browser.contextMenus) return handle;
  browser.runtime.onInstalled.addListener(() => void createContextMenus().catch(() => {}));
  browser.contextMenus.onClicked.addListener((info) => void handle(info).catch(() => {}));
  return handle;
}
