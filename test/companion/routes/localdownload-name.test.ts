import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

describe('GET /api/localdownload file names', () => {
  let world: World;
  let t: TestCompanion;
  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { start: false });
  });
  afterAll(async () => {
    await t.close();
    await world.close();
  });

  it('carries no right-to-left override, other bidi or control characters in filename or filename*', async () => {
    const id = 'a'.repeat(32);
    const title = 'Harmless\u202Ebup.exe\u2066 \u200Fname\u0007\u0000 résumé';
    t.companion.store.enqueue({ id, title, author: null, format: 'epub' });
    const claimed = t.companion.store.claimNext(60_000);
    if (!claimed?.leaseId) throw new Error('setup: nothing claimed');
    const file = path.join(t.ingestDir, `${id}.epub`);
    writeFileSync(file, 'book');
    expect(t.companion.store.complete(id, claimed.leaseId, file)).toBe(true);

    const res = await t.companion.app.request(`/api/localdownload?id=${id}`);
    expect(res.status).toBe(200);
    const disposition = res.headers.get('content-disposition') ?? '';
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? '';
    const decoded = decodeURIComponent(encoded);
    expect(decoded).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect(decoded).toBe('Harmless_bup.exe_ _name__ résumé.epub');
    expect(disposition).not.toMatch(/%E2%80%AE|%E2%81%A6|%E2%80%8F|%07|%00/i);
    expect(await res.text()).toBe('book');
  });
});
