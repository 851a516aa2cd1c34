// @vitest-environment node
/// <reference types="node" />
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCompanionConnection } from '../../../extension/background/companion-connection.js';
import { connectionItem } from '../../../extension/lib/settings.js';
import { CAPABILITIES } from '../../../shared/api.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

describe("the connection state keeps the ping's capabilities", () => {
  let world: World;
  let t: TestCompanion;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { start: false });
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

  it('a ping records what the companion announced (lists among them), for the popup', async () => {
    const connection = createCompanionConnection();
    expect(connection.state.capabilities).toBeUndefined();
    const state = await connection.test();
    expect(state.status).toBe('online');
    expect(state.capabilities).toEqual([...CAPABILITIES]);
    expect(state.capabilities).toContain('lists');
  });

  it('a later failed call keeps what the last ping said', async () => {
    const connection = createCompanionConnection();
    await connection.test();
    connection.report(new Error('boom'));
    expect(connection.state.capabilities).toContain('lists');
  });
});
