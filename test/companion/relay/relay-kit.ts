import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../companion/config.js';
import { type Companion, createCompanion } from '../../../companion/create-companion.js';
import { openDatabase } from '../../../companion/store/open-database.js';
import { formatContentRange } from '../../../shared/relay-api.js';
import { worldEnv } from '../../helpers/test-companion.js';
import type { World } from '../../world/start-world.js';

/** A companion whose data folder outlives it: `restart()` builds a new one on the same database and staging files. */
export interface RestartableCompanion {
  companion: Companion;
  root: string;
  ingestDir: string;
  stagingDir: string;
  restart(): Promise<Companion>;
  close(): Promise<void>;
}

export async function startRestartableCompanion(
  world: World,
  env: Record<string, string>,
): Promise<RestartableCompanion> {
  const root = mkdtempSync(path.join(tmpdir(), 'bookrelay-relay-'));
  const config = loadConfig(worldEnv(world, root, env));
  for (const dir of [config.paths.dataDir, config.paths.ingestDir, config.paths.stagingDir]) {
    mkdirSync(dir, { recursive: true });
  }
  const open = async () => {
    const companion = await createCompanion({
      config,
      logger: (await import('../../../companion/logger.js')).silentLogger,
      db: openDatabase(config.paths.databaseFile),
      tuning: { pollIntervalMs: 100, retryBaseMs: 200, backoffMs: 50, leaseMs: 3000 },
    });
    await companion.start();
    return companion;
  };
  const handle: RestartableCompanion = {
    companion: await open(),
    root,
    ingestDir: config.paths.ingestDir,
    stagingDir: config.paths.stagingDir,
    async restart() {
      await handle.companion.close();
      handle.companion = await open();
      return handle.companion;
    },
    async close() {
      await handle.companion.close();
      rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
  return handle;
}

type Fetcher = (path: string, init?: RequestInit) => Response | Promise<Response>;

/** PUTs `bytes[start, start+length)` as one chunk of a file of `total` bytes. */
export function putChunk(
  request: Fetcher,
  id: string,
  bytes: Buffer,
  start: number,
  length: number,
  { total = bytes.length, headers = {} }: { total?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  const body = new Uint8Array(bytes.subarray(start, start + length));
  return Promise.resolve(
    request(`/api/jobs/${id}/file`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': formatContentRange(start, body.length, total),
        ...headers,
      },
      body,
    }),
  );
}

/** Uploads the whole file from the companion's stored offset on, `chunkBytes` at a time; returns the last answer. */
export async function uploadRest(request: Fetcher, id: string, bytes: Buffer, chunkBytes: number): Promise<Response> {
  const answer = (await (await request(`/api/jobs/${id}/file`)).json()) as { offset: number };
  let offset = answer.offset;
  let last: Response | undefined;
  while (offset < bytes.length) {
    last = await putChunk(request, id, bytes, offset, Math.min(chunkBytes, bytes.length - offset));
    if (last.status !== 200) return last;
    offset = ((await last.clone().json()) as { offset: number }).offset;
  }
  if (!last) throw new Error('Nothing left to upload');
  return last;
}
