import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueItemsResponse } from '../../../shared/queue-api.js';
import { startTestCompanion, type TestCompanion, waitFor } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

describe('GET /api/queue/items', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
  });
  afterAll(async () => {
    await world.close();
  });

  it('lists the queue view with the shared schema, through a real download to available', async () => {
    const t: TestCompanion = await startTestCompanion(world);
    try {
      const list = async () => {
        const res = await t.companion.app.request('/api/queue/items');
        expect(res.status).toBe(200);
        return queueItemsResponse.parse(await res.json()).items;
      };
      expect(await list()).toEqual([]);
      const book = world.books[0];
      await t.companion.app.request(`/api/download?id=${book.md5}`);
      const queued = await list();
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({ id: book.md5, title: book.title });
      const done = await waitFor(async () => (await list()).find((i) => i.status === 'available'), 'available');
      expect(done).toMatchObject({ id: book.md5, progress: 100, error: null, waiting: null });
      // The CWA-BD prefix serves the same list.
      const compat = await t.companion.app.request('/request/api/queue/items');
      expect(queueItemsResponse.parse(await compat.json()).items.map((i) => i.id)).toEqual([book.md5]);
    } finally {
      await t.close();
    }
  });

  it('is behind auth: 401 with an error body and no token when auth is on', async () => {
    const t = await startTestCompanion(world, { env: { HOST: '0.0.0.0' }, start: false });
    try {
      const res = await t.companion.app.request('/api/queue/items');
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: expect.any(String) });
    } finally {
      await t.close();
    }
  });
});
