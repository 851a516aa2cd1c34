import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createMessageRouter } from '../../../extension/background/message-router.js';
import {
  applyCompanionEvent,
  createQueueState,
  type QueueItems,
  sortQueueItems,
} from '../../../extension/background/queue-state.js';
import { sendMessage } from '../../../extension/lib/send-message.js';
import { makeItem, md5 } from './queue-item-fixture.js';

const mapOf = (...items: ReturnType<typeof makeItem>[]): QueueItems => new Map(items.map((i) => [i.id, i]));

describe('applyCompanionEvent', () => {
  const a = makeItem({ id: md5(1) });
  const b = makeItem({ id: md5(2), status: 'downloading', progress: 10, bytesDone: 10, bytesTotal: 100 });

  it('a snapshot replaces everything', () => {
    const next = applyCompanionEvent(mapOf(a), { type: 'snapshot', items: [b] });
    expect([...next.keys()]).toEqual([b.id]);
  });

  it('an item event adds or replaces one item and leaves the input untouched', () => {
    const before = mapOf(a);
    const changed = makeItem({ id: a.id, status: 'available', progress: 100 });
    const next = applyCompanionEvent(before, { type: 'item', item: changed });
    expect(next.get(a.id)?.status).toBe('available');
    expect(before.get(a.id)?.status).toBe('queued');
    expect(applyCompanionEvent(before, { type: 'item', item: b }).size).toBe(2);
  });

  it('progress updates only the numbers of a known item; unknown ids change nothing', () => {
    const before = mapOf(b);
    const next = applyCompanionEvent(before, {
      type: 'progress',
      id: b.id,
      progress: 55.5,
      bytesDone: 555,
      bytesTotal: 1000,
    });
    expect(next.get(b.id)).toEqual({ ...b, progress: 55.5, bytesDone: 555, bytesTotal: 1000 });
    const unknown = { type: 'progress', id: md5(9), progress: 1, bytesDone: 1, bytesTotal: 2 } as const;
    expect(applyCompanionEvent(before, unknown)).toBe(before);
  });

  it('removed drops the ids; removing nothing known returns the same map', () => {
    const before = mapOf(a, b);
    expect([...applyCompanionEvent(before, { type: 'removed', ids: [a.id] }).keys()]).toEqual([b.id]);
    expect(applyCompanionEvent(before, { type: 'removed', ids: [md5(9)] })).toBe(before);
  });

  it('clearance and relay events are not queue state', () => {
    const before = mapOf(a);
    expect(applyCompanionEvent(before, { type: 'clearance-needed', site: 'aa', url: 'https://x/' })).toBe(before);
    expect(applyCompanionEvent(before, { type: 'relay-needed', id: a.id, url: 'https://x/' })).toBe(before);
  });
});

describe('sortQueueItems', () => {
  it('puts active items first, oldest first, then finished ones, newest first', () => {
    const items = [
      makeItem({ id: md5(1), status: 'available', updatedAtMs: 10 }),
      makeItem({ id: md5(2), status: 'queued', addedAtMs: 30 }),
      makeItem({ id: md5(3), status: 'error', updatedAtMs: 50 }),
      makeItem({ id: md5(4), status: 'downloading', addedAtMs: 20 }),
    ];
    expect(sortQueueItems(items).map((i) => i.id)).toEqual([md5(4), md5(2), md5(3), md5(1)]);
  });
});

describe('createQueueState', () => {
  beforeEach(() => fakeBrowser.reset());

  it('tells listeners the previous state (null before the first list) and where the change came from', async () => {
    const queue = createQueueState();
    await queue.loaded;
    const seen: [number, number | null, string][] = [];
    queue.subscribe((next, previous, source) => seen.push([next.size, previous?.size ?? null, source]));
    queue.replace([makeItem({ id: md5(1) })]);
    queue.apply({ type: 'item', item: makeItem({ id: md5(2) }) });
    queue.apply({ type: 'removed', ids: [md5(7)] });
    expect(seen).toEqual([
      [1, null, 'list'],
      [2, 1, 'event'],
    ]);
    expect(queue.hasActive()).toBe(true);
  });

  it('survives a worker restart through session storage', async () => {
    const first = createQueueState();
    await first.loaded;
    first.replace([makeItem({ id: md5(1), status: 'downloading' })]);
    await waitForSaved();
    const restarted = createQueueState();
    await restarted.loaded;
    expect(restarted.list().map((i) => i.id)).toEqual([md5(1)]);
    let previousSize: number | null | undefined;
    restarted.subscribe((_next, previous) => {
      previousSize = previous?.size ?? null;
    });
    restarted.replace([]);
    expect(previousSize).toBe(1);
  });

  it('answers queue:get through the message router', async () => {
    const queue = createQueueState();
    const router = createMessageRouter();
    queue.register(router);
    router.listen();
    await queue.loaded;
    queue.replace([makeItem({ id: md5(2), status: 'available' }), makeItem({ id: md5(1), status: 'queued' })]);
    const items = await sendMessage({ type: 'queue:get' } as Parameters<typeof sendMessage<'queue:get'>>[0]);
    expect(items.map((i) => i.id)).toEqual([md5(1), md5(2)]);
  });
});

async function waitForSaved(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const saved = await fakeBrowser.storage.session.get('queueItems');
    if (Array.isArray(saved.queueItems) && saved.queueItems.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('Timed out waiting for the queue to be saved');
}

describe('tracking a book queued from this browser', () => {
  beforeEach(() => fakeBrowser.reset());

  it('makes its outcome news even when the next list already shows it finished', async () => {
    const { findQueueNotices } = await import('../../../extension/background/notifications.js');
    const queue = createQueueState();
    await queue.loaded;
    queue.replace([]);
    const notices: string[] = [];
    queue.subscribe((next, previous, source) => {
      for (const notice of findQueueNotices(next, previous, source)) notices.push(notice.id);
    });
    queue.track(md5(5));
    expect(queue.hasActive()).toBe(true);
    queue.replace([makeItem({ id: md5(5), status: 'available', title: 'Emma' })]);
    expect(notices).toEqual([`item:${md5(5)}:in-library`]);
    // Tracking a known item changes nothing.
    queue.track(md5(5));
    expect(queue.list()[0]?.title).toBe('Emma');
  });
});
