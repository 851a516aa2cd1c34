import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../companion/config.js';
import { type Companion, createCompanion } from '../../../companion/create-companion.js';
import { silentLogger } from '../../../companion/logger.js';
import { openDatabase } from '../../../companion/store/open-database.js';

describe('GET /favicon.ico', () => {
  let root: string;
  let companion: Companion;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'bookrelay-favicon-'));
    const config = loadConfig({ DATA_DIR: path.join(root, 'data'), INGEST_DIR: path.join(root, 'ingest') });
    companion = await createCompanion({ config, logger: silentLogger, db: openDatabase(':memory:') });
  });
  afterAll(async () => {
    await companion.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves the extension's icon without credentials", async () => {
    const res = await companion.app.request('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync('extension/public/icon/32.png'));
  });
});
