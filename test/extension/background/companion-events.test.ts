// @vitest-environment node
/// <reference types="node" />
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCompanionConnection } from '../../../extension/background/companion-connection.js';
import {
  type CompanionEvents,
  createCompanionEvents,
  POLL_ALARM,
} from '../../../extension/background/companion-events.js';
import { createQueueState } from '../../../extension/background/queue-state.js';
import { POPUP_PORT_NAME, type PopupPortMessage } from '../../../extension/lib/popup-port.js';
import { connectionItem } from '../../../extension/lib/settings.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

describe('companion events', () => {
  let world: World;
  let t: TestCompanion;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world);
    server = serve({ fetch: t.companion.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await t.close();
    await world.close();
  });
  beforeEach(async () => {
    fakeBrowser.reset();
    await connectionItem.setValue({ url: base, token: null, deviceName: null, tokenId: null });
  });

  /** WXT's fake browser has no ports: a popup port is a name, postMessage and onDisconnect (small fake). */
  function openFakePort(events: CompanionEvents) {
    const messages: PopupPortMessage[] = [];
    const onDisconnect: (() => void)[] = [];
    const port = {
      name: POPUP_PORT_NAME,
      postMessage: (message: PopupPortMessage) => messages.push(message),
      onDisconnect: { addListener: (listener: () => void) => onDisconnect.push(listener) },
    } as unknown as Runtime.Port;
    events.attachPort(port);
    return {
      messages,
      lastQueue: () => messages.filter((m) => m.type === 'queue').at(-1)?.items ?? [],
      close: () => {
        for (const listener of onDisconnect) listener();
      },
    };
  }

  const setup = () => {
    const connection = createCompanionConnection();
    const queue = createQueueState();
    const events = createCompanionEvents({
      connection,
      queue,
      keepAlive: () => {},
      onConnect: { addListener: () => {} },
      retryDelayMs: 20,
    });
    running.push(events);
    return { connection, queue, events };
  };
  const running: CompanionEvents[] = [];
  afterEach(() => {
    for (const events of running.splice(0)) events.stop();
  });

  it('polls once at start, creates the 30 s alarm, marks the connection online and opens no stream when idle', async () => {
    const { connection, events } = setup();
    await events.start();
    expect(await fakeBrowser.alarms.get(POLL_ALARM)).toMatchObject({ name: POLL_ALARM, periodInMinutes: 0.5 });
    expect(connection.state.status).toBe('online');
    expect(events.streaming).toBe(false);
  });

  it('streams while a popup port is open: the popup sees the item go from queued to available', async () => {
    const { queue, events } = setup();
    await events.start();
    const popup = openFakePort(events);
    expect(events.streaming).toBe(true);
    expect(popup.messages.find((m) => m.type === 'connection')).toBeDefined();
    const book = world.books[0];
    await t.companion.app.request(`/api/download?id=${book.md5}`);
    await waitFor(() => popup.lastQueue().find((i) => i.id === book.md5), 'the queued item in the popup');
    await waitFor(() => popup.lastQueue().find((i) => i.id === book.md5 && i.status === 'available'), 'available');
    expect(queue.hasActive()).toBe(false);
    popup.close();
    // Nothing listens and nothing is active: the stream closes.
    expect(events.streaming).toBe(false);
  });

  it('an alarm poll finds a new active item and opens the stream until it is done', async () => {
    const { queue, events } = setup();
    await events.start();
    expect(events.streaming).toBe(false);
    const book = world.books[3];
    world.setThroughput('partner', 100_000);
    try {
      await t.companion.app.request(`/api/download?id=${book.md5}`);
      await fakeBrowser.alarms.onAlarm.trigger({
        name: POLL_ALARM,
        scheduledTime: Date.now(),
        persistAcrossSessions: false,
      });
      await waitFor(() => queue.list().find((i) => i.id === book.md5), 'the polled item');
      await waitFor(() => events.streaming, 'the stream to open for the active item');
      await waitFor(() => queue.list().find((i) => i.id === book.md5 && i.status === 'available'), 'available');
      await waitFor(() => !events.streaming, 'the stream to close once nothing is active');
    } finally {
      world.setThroughput('partner', undefined);
    }
  });

  it('reports an unreachable companion, then reconnects with back-off once it answers', async () => {
    const closed = `http://127.0.0.1:${await findClosedPort()}`;
    await connectionItem.setValue({ url: closed, token: null, deviceName: null, tokenId: null });
    const { connection, events } = setup();
    await events.start();
    expect(connection.state).toMatchObject({ status: 'offline', error: { reason: 'unreachable' } });
    const popup = openFakePort(events);
    await waitFor(() => popup.messages.some((m) => m.type === 'connection' && m.state.status === 'offline'), 'offline');
    await connectionItem.setValue({ url: base, token: null, deviceName: null, tokenId: null });
    await waitFor(() => connection.state.status === 'online', 'the retry to reach the companion');
    await waitFor(() => popup.messages.some((m) => m.type === 'connection' && m.state.status === 'online'), 'online');
    expect(events.streaming).toBe(true);
    popup.close();
  });
});

/** A port nothing listens on: bind one, note it, close it. */
async function findClosedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
