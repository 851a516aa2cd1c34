import { createHash } from 'node:crypto';
import { createLogger } from '../../../../companion/logger.js';
import type { ClearanceStore } from '../../../../companion/net/clearance-store.js';
import { assertOk, createHttpClient } from '../../../../companion/net/create-http-client.js';
import { createHostGuard } from '../../../../companion/net/host-guard.js';
import type { HttpClient } from '../../../../companion/net/http-client.js';
import {
  type AnnasArchiveSource,
  type AnnasArchiveSourceOptions,
  createAnnasArchiveSource,
} from '../../../../companion/sources/annas-archive/create-annas-archive-source.js';
import type { DownloadCandidate } from '../../../../companion/sources/source.js';
import type { BookInfo } from '../../../../shared/book.js';
import type { World } from '../../../world/index.js';

/** Every origin of the world, for TRUSTED_ORIGINS. */
export function worldOrigins(world: World): string[] {
  const { aa, aaMirrors, partner, libgen, gated, zlib, welib } = world.origins;
  return [aa, ...aaMirrors, partner, libgen, gated, zlib, welib];
}

export const FORMATS = ['epub', 'mobi', 'azw3', 'fb2', 'djvu', 'cbz', 'cbr', 'pdf'];

/** A source wired as the companion wires it: the real HTTP client, guarded by the source's own allowed origins. */
export interface Harness {
  source: AnnasArchiveSource;
  client: HttpClient;
  /** Every log line the source wrote. */
  logs: string[];
  close(): Promise<void>;
}

export function createHarness(
  world: World,
  overrides: Partial<AnnasArchiveSourceOptions> = {},
  { clearance }: { clearance?: ClearanceStore } = {},
): Harness {
  const logs: string[] = [];
  let source: AnnasArchiveSource | undefined;
  const client = createHttpClient({
    hostGuard: createHostGuard(() => source?.allowedOrigins() ?? []),
    connectTimeoutMs: 2000,
    ...(clearance ? { clearance } : {}),
  });
  source = createAnnasArchiveSource({
    client,
    baseUrl: world.origins.aa,
    mirrorUrls: [world.origins.aa],
    formats: FORMATS,
    languages: ['en'],
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    probeTimeoutMs: 2000,
    // The world runs on 127.0.0.1: its origins are trusted as a LAN mirror would be (TRUSTED_ORIGINS).
    trustedOrigins: worldOrigins(world),
    ...overrides,
  });
  return { source, client, logs, close: () => client.close() };
}

/** What a consumer saw: candidates taken (the iteration stops after `take`), status messages, the error thrown. */
export interface Walk {
  candidates: DownloadCandidate[];
  statuses: string[];
  error?: unknown;
}

export async function walkCandidates(
  source: AnnasArchiveSource,
  book: BookInfo,
  take = 1,
  signal: AbortSignal = new AbortController().signal,
): Promise<Walk> {
  const walk: Walk = { candidates: [], statuses: [] };
  try {
    for await (const candidate of source.candidates(book, { signal, onStatus: (m) => walk.statuses.push(m) })) {
      walk.candidates.push(candidate);
      if (walk.candidates.length >= take) break;
    }
  } catch (err) {
    walk.error = err;
  }
  return walk;
}

/** Streams a candidate through the same client and returns the md5 of the bytes. */
export async function md5OfCandidate(client: HttpClient, candidate: DownloadCandidate): Promise<string> {
  const res = await assertOk(await client.request(candidate.url, { headers: candidate.headers ?? {} }));
  const hash = createHash('md5');
  for await (const chunk of res.body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('Expected the promise to reject');
}
