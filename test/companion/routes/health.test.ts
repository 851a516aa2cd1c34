import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../companion/config.js';
import { type Companion, createCompanion } from '../../../companion/create-companion.js';
import { silentLogger } from '../../../companion/logger.js';
import { DiskFullError, ensureRoomFor } from '../../../companion/store/disk-space.js';
import { openDatabase } from '../../../companion/store/open-database.js';
import { healthResponse } from '../../../shared/api.js';

describe('GET /api/health and the disk', () => {
  let root: string;
  let companion: Companion | undefined;

  afterEach(async () => {
    await companion?.close();
    companion = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  async function build(minFreeBytes?: number, db = openDatabase(':memory:')) {
    root = mkdtempSync(path.join(tmpdir(), 'bookrelay-health-'));
    const config = loadConfig({ DATA_DIR: path.join(root, 'data'), INGEST_DIR: path.join(root, 'ingest') });
    for (const dir of [config.paths.dataDir, config.paths.ingestDir]) mkdirSync(dir, { recursive: true });
    companion = await createCompanion({
      config,
      logger: silentLogger,
      db,
      tuning: minFreeBytes === undefined ? {} : { minFreeBytes },
    });
    return companion;
  }

  it('is ok with room on the disk', async () => {
    const c = await build();
    expect(healthResponse.parse(await (await c.app.request('/api/health')).json())).toMatchObject({ status: 'ok' });
  });

  it('says "degraded" with the disk-full problem (still 200) when a folder has less than the free space it needs', async () => {
    // Needing more than any disk has: the folders are "full" from the start.
    const c = await build(Number.MAX_SAFE_INTEGER);
    const res = await c.app.request('/api/health');
    expect(res.status).toBe(200);
    const body = healthResponse.parse(await res.json());
    expect(body.status).toBe('degraded');
    expect(body.problems).toEqual([
      { code: 'disk-full', message: expect.stringMatching(/^Disk full: DATA_DIR has [\d.]+ [KMGT]?B free/) },
    ]);
    expect(body.problems?.[0].message).not.toContain(root);
  });

  it('a request whose write finds the database full is a 507 "disk-full", and the service keeps answering', async () => {
    const db = openDatabase(':memory:');
    const c = await build(undefined, db);
    // A real full database: capped at its current size, so the first write that needs a new page fails.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let res: Response | undefined;
    for (let i = 0; i < 2000; i++) {
      res = await c.app.request('/api/auth/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `token ${i} ${'x'.repeat(80)}` }),
      });
      if (res.status !== 201) break;
    }
    expect(res?.status).toBe(507);
    expect(await res?.json()).toEqual({
      error: 'The companion cannot store anything: its disk is full',
      code: 'disk-full',
    });
    expect((await c.app.request('/api/health')).status).toBe(200);
  });

  it('a 507 on a write switches health to "degraded" with the disk-full problem, as a download that fills the disk does', async () => {
    const db = openDatabase(':memory:');
    const c = await build(undefined, db);
    expect(healthResponse.parse(await (await c.app.request('/api/health')).json()).status).toBe('ok');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let res: Response | undefined;
    for (let i = 0; i < 2000; i++) {
      res = await c.app.request('/api/auth/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `token ${i} ${'x'.repeat(80)}` }),
      });
      if (res.status !== 201) break;
    }
    expect(res?.status).toBe(507);
    // Asked at once (the state re-reads the folders' free space at most once a second).
    const health = healthResponse.parse(await (await c.app.request('/api/health')).json());
    expect(health.status).toBe('degraded');
    expect(health.problems).toEqual([
      {
        code: 'disk-full',
        message: 'Disk full: a write failed for lack of space; downloads are paused until 16.8 MB are free',
      },
    ]);
    expect(c.disk.isFull()).toBe(true);
  });

  it('a download that cannot fit is refused up front with what it needs and what is free', () => {
    root = mkdtempSync(path.join(tmpdir(), 'bookrelay-health-'));
    expect(() => ensureRoomFor(root, Number.MAX_SAFE_INTEGER)).toThrow(DiskFullError);
    expect(() => ensureRoomFor(root, Number.MAX_SAFE_INTEGER)).toThrow(
      /^Disk full: the book needs [\d.]+ TB, the staging folder has [\d.]+ [KMGT]?B free$/,
    );
    expect(() => ensureRoomFor(root, 1000)).not.toThrow();
  });
});
