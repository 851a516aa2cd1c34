import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BADGE_COLORS, computeBadge, showQueueBadge } from '../../../extension/background/badge.js';
import { createCompanionConnection } from '../../../extension/background/companion-connection.js';
import { createQueueState } from '../../../extension/background/queue-state.js';
import { makeItem, md5 } from './queue-item-fixture.js';

describe('computeBadge', () => {
  it('is empty when nothing is active', () => {
    expect(computeBadge([], 'online')).toMatchObject({ text: '' });
    expect(computeBadge([makeItem({ id: md5(1), status: 'available' })], 'online')).toMatchObject({ text: '' });
  });

  it('counts queued and downloading items only', () => {
    const items = [
      makeItem({ id: md5(1), status: 'queued' }),
      makeItem({ id: md5(2), status: 'downloading' }),
      makeItem({ id: md5(3), status: 'error' }),
      makeItem({ id: md5(4), status: 'done' }),
      makeItem({ id: md5(5), status: 'cancelled' }),
    ];
    expect(computeBadge(items, 'online')).toEqual({
      text: '2',
      color: BADGE_COLORS.active,
      title: 'Bookrelay: 2 downloads in progress',
    });
    expect(computeBadge(items.slice(0, 1), 'unknown')).toMatchObject({ text: '1' });
  });

  it('shows a distinct mark when an active item waits for a site check', () => {
    const items = [
      makeItem({ id: md5(1), status: 'downloading' }),
      makeItem({ id: md5(2), status: 'downloading', waiting: { kind: 'clearance', site: 'annas-archive.org' } }),
    ];
    expect(computeBadge(items, 'online')).toEqual({
      text: '!',
      color: BADGE_COLORS.clearance,
      title: 'Bookrelay: annas-archive.org needs a browser check',
    });
    // A rate-limit wait is not the user's to fix: it stays a count.
    const rateLimited = [makeItem({ id: md5(1), status: 'downloading', waiting: { kind: 'rate-limit', site: 'x' } })];
    expect(computeBadge(rateLimited, 'online')).toMatchObject({ text: '1' });
  });

  it('shows "off" when the companion is offline or the device is not paired, whatever the last queue said', () => {
    const items = [makeItem({ id: md5(1), status: 'downloading' })];
    expect(computeBadge(items, 'offline')).toEqual({
      text: 'off',
      color: BADGE_COLORS.offline,
      title: 'Bookrelay: the companion is unreachable',
    });
    expect(computeBadge([], 'unpaired')).toMatchObject({
      text: 'off',
      title: 'Bookrelay: not paired with a companion',
    });
  });
});

describe('showQueueBadge', () => {
  beforeEach(() => fakeBrowser.reset());

  it('follows the queue and the connection on the toolbar button', async () => {
    const queue = createQueueState();
    await queue.loaded;
    const connection = createCompanionConnection();
    showQueueBadge(queue, connection);
    const badge = async () => ({
      text: await fakeBrowser.action.getBadgeText({}),
      title: await fakeBrowser.action.getTitle({}),
    });
    await expect.poll(badge).toEqual({ text: '', title: 'Bookrelay' });
    queue.replace([makeItem({ id: md5(1) }), makeItem({ id: md5(2), status: 'downloading' })]);
    await expect.poll(badge).toMatchObject({ text: '2' });
    connection.report(Object.assign(new Error('down'), { name: 'CompanionError', reason: 'unreachable' }));
    await expect.poll(badge).toMatchObject({ text: 'off' });
    connection.report();
    queue.apply({ type: 'removed', ids: [md5(1), md5(2)] });
    await expect.poll(badge).toMatchObject({ text: '' });
  });
});
