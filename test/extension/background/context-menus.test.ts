// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCompanionConnection } from '../../../extension/background/companion-connection.js';
import {
  createContextMenuHandler,
  createContextMenus,
  MENU_IDS,
  openPopupSearch,
  readMd5FromLink,
  toSearchQuery,
} from '../../../extension/background/context-menus.js';
import type { Notice } from '../../../extension/background/notifications.js';
import { pendingSearch } from '../../../extension/lib/pending-search.js';
import { connectionItem } from '../../../extension/lib/settings.js';

const MD5 = '0123456789abcdef0123456789abcdef';

describe('readMd5FromLink', () => {
  it.each([
    [`https://annas-archive.org/md5/${MD5}`, MD5],
    [`https://annas-archive.li/md5/${MD5.toUpperCase()}`, MD5],
    [`http://127.0.0.1:8080/md5/${MD5}/?tab=downloads#x`, MD5],
  ])('%s → the md5', (link, md5) => {
    expect(readMd5FromLink(link)).toBe(md5);
  });

  it.each([
    undefined,
    '',
    'not a url',
    `https://annas-archive.org/md5/${MD5.slice(1)}`,
    `https://annas-archive.org/md5/${MD5}0`,
    `https://annas-archive.org/md5/${MD5.replace('a', 'g')}`,
    `https://annas-archive.org/slow_download/${MD5}/0/1`,
    `https://annas-archive.org/md5/${MD5}/extra`,
    `javascript:alert('/md5/${MD5}')`,
    `ftp://annas-archive.org/md5/${MD5}`,
  ])('%s → nothing', (link) => {
    expect(readMd5FromLink(link)).toBeUndefined();
  });
});

describe('toSearchQuery', () => {
  it('collapses whitespace and keeps within the companion’s limit', () => {
    expect(toSearchQuery('  The\n\tHobbit  ')).toBe('The Hobbit');
    expect(toSearchQuery(undefined)).toBe('');
    expect(toSearchQuery('x'.repeat(600))).toHaveLength(500);
  });
});

describe('context menu entries', () => {
  beforeEach(() => fakeBrowser.reset());

  it('creates a selection search and an md5-link send entry (contextMenus is not faked by WXT)', async () => {
    const created: unknown[] = [];
    const menus = { removeAll: vi.fn(async () => {}), create: vi.fn((props: unknown) => created.push(props)) };
    await createContextMenus(menus as never);
    expect(menus.removeAll).toHaveBeenCalledOnce();
    expect(created).toEqual([
      { id: MENU_IDS.search, title: 'Search Bookrelay for “%s”', contexts: ['selection'] },
      { id: MENU_IDS.send, title: 'Send to library', contexts: ['link'], targetUrlPatterns: ['*://*/md5/*'] },
    ]);
  });

  it('a selection opens the popup search with the cleaned query; other entries and empty selections do nothing', async () => {
    const openSearch = vi.fn(async (_query: string) => {});
    const notify = vi.fn(async (_notice: Notice) => {});
    const handle = createContextMenuHandler({ connection: createCompanionConnection(), notify, openSearch });
    await handle({ menuItemId: MENU_IDS.search, selectionText: ' Dune \n Frank Herbert ' });
    await handle({ menuItemId: MENU_IDS.search, selectionText: '   ' });
    await handle({ menuItemId: 'someone-else', selectionText: 'x' });
    await handle({ menuItemId: MENU_IDS.send, linkUrl: 'https://example.com/not-a-record' });
    expect(openSearch.mock.calls).toEqual([['Dune Frank Herbert']]);
    expect(notify).not.toHaveBeenCalled();
  });

  it('a failed send says why in a notification, without the token', async () => {
    // Port 1 on loopback refuses connections: a real transport failure, no fetch stub.
    await connectionItem.setValue({ url: 'http://127.0.0.1:1', token: 'secret-token', deviceName: 'x', tokenId: 1 });
    const notices: Notice[] = [];
    const connection = createCompanionConnection();
    const handle = createContextMenuHandler({
      connection,
      notify: async (notice) => {
        notices.push(notice);
      },
      openSearch: async () => {},
    });
    await handle({ menuItemId: MENU_IDS.send, linkUrl: `https://annas-archive.org/md5/${MD5}` });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ id: `item:${MD5}:send-failed`, title: 'Could not send to library' });
    expect(notices[0]?.message).toContain('The companion is unreachable');
    expect(JSON.stringify(notices)).not.toContain('secret-token');
    expect(connection.state.status).toBe('offline');
  });

  it('openPopupSearch hands the query to the popup, or opens popup.html?q= in a tab when openPopup fails', async () => {
    const openPopup = vi.spyOn(fakeBrowser.action, 'openPopup').mockResolvedValueOnce(undefined);
    await openPopupSearch('Dune');
    expect(await pendingSearch.take()).toBe('Dune');
    expect(await pendingSearch.take()).toBeNull();

    openPopup.mockRejectedValueOnce(new Error('No active window'));
    await openPopupSearch('Dune & Co');
    expect(await pendingSearch.take()).toBeNull();
    const tabs = await fakeBrowser.tabs.query({});
    expect(tabs.map((tab) => tab.url)).toContain(fakeBrowser.runtime.getURL('/popup.html?q=Dune%20%26%20Co'));
  });
});
