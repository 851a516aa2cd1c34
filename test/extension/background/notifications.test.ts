import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  findQueueNotices,
  listenForNoticeClicks,
  notifyClearanceNeeded,
  resolveNoticeTarget,
} from '../../../extension/background/notifications.js';
import type { QueueItems } from '../../../extension/background/queue-state.js';
import { connectionItem } from '../../../extension/lib/settings.js';
import { makeItem, md5 } from './queue-item-fixture.js';

const mapOf = (...items: ReturnType<typeof makeItem>[]): QueueItems => new Map(items.map((i) => [i.id, i]));

describe('findQueueNotices', () => {
  const id = md5(1);

  it('announces a book reaching the library, and a failure with its reason', () => {
    const before = mapOf(makeItem({ id, status: 'downloading', title: 'Emma', author: 'Jane Austen' }));
    expect(
      findQueueNotices(
        mapOf(makeItem({ id, status: 'available', title: 'Emma', author: 'Jane Austen' })),
        before,
        'event',
      ),
    ).toEqual([{ id: `item:${id}:in-library`, title: 'In your library', message: 'Emma — Jane Austen' }]);
    expect(
      findQueueNotices(mapOf(makeItem({ id, status: 'error', title: 'Emma', error: 'md5 mismatch' })), before, 'event'),
    ).toEqual([{ id: `item:${id}:failed`, title: 'Download failed', message: 'Emma\nmd5 mismatch' }]);
  });

  it('stays quiet for the first list after a start, for repeats, and for available → done', () => {
    const available = mapOf(makeItem({ id, status: 'available' }));
    expect(findQueueNotices(available, null, 'list')).toEqual([]);
    expect(findQueueNotices(available, available, 'event')).toEqual([]);
    expect(findQueueNotices(mapOf(makeItem({ id, status: 'done' })), available, 'list')).toEqual([]);
    const failed = mapOf(makeItem({ id, status: 'error' }));
    expect(findQueueNotices(failed, failed, 'list')).toEqual([]);
  });

  it('treats an unseen finished item as news from a live event but as history in a list', () => {
    const next = mapOf(makeItem({ id, status: 'available' }));
    expect(findQueueNotices(next, new Map(), 'event')).toHaveLength(1);
    expect(findQueueNotices(next, new Map(), 'list')).toEqual([]);
  });
});

describe('notices in the browser', () => {
  beforeEach(() => fakeBrowser.reset());

  it('notifyClearanceNeeded shows a notice whose click opens the site', async () => {
    // WXT's fake browser has no getManifest: the built manifest's icon is what the notice uses.
    vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({
      manifest_version: 3,
      name: 'Bookrelay',
      version: '0.1.0',
      icons: { 16: 'icon/16.png', 128: 'icon/128.png' },
    });
    // getAll answers ids only (`{ id: true }`, as Chrome does): the options are read from the create call.
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    await notifyClearanceNeeded('annas-archive.org', 'https://annas-archive.org/md5/abc');
    expect(await fakeBrowser.notifications.getAll()).toEqual({ 'site:https://annas-archive.org/md5/abc': true });
    expect(create).toHaveBeenCalledWith(
      'site:https://annas-archive.org/md5/abc',
      expect.objectContaining({
        type: 'basic',
        title: 'annas-archive.org needs a browser check',
        iconUrl: fakeBrowser.runtime.getURL('/icon/128.png'),
      }),
    );
    expect(await resolveNoticeTarget('site:https://annas-archive.org/md5/abc')).toBe(
      'https://annas-archive.org/md5/abc',
    );
  });

  it('sends other clicks, and any non-web site URL, to the companion’s web UI', async () => {
    await connectionItem.setValue({ url: 'http://192.168.1.5:8084', token: null, deviceName: null, tokenId: null });
    expect(await resolveNoticeTarget(`item:${md5(1)}:in-library`)).toBe('http://192.168.1.5:8084/');
    expect(await resolveNoticeTarget('site:javascript:alert(1)')).toBe('http://192.168.1.5:8084/');
    expect(await resolveNoticeTarget('site:file:///etc/passwd')).toBe('http://192.168.1.5:8084/');
  });

  it('a click opens the target in a tab and clears the notice', async () => {
    await connectionItem.setValue({ url: 'http://127.0.0.1:8084', token: null, deviceName: null, tokenId: null });
    listenForNoticeClicks();
    await fakeBrowser.notifications.create(`item:${md5(1)}:in-library`, {
      type: 'basic',
      iconUrl: 'icon.png',
      title: 'In your library',
      message: 'Emma',
    });
    await fakeBrowser.notifications.onClicked.trigger(`item:${md5(1)}:in-library`);
    await expect
      .poll(async () => (await fakeBrowser.tabs.query({})).map((tab) => tab.url))
      .toContain('http://127.0.0.1:8084/');
    await expect.poll(() => fakeBrowser.notifications.getAll()).toEqual({});
  });
});
