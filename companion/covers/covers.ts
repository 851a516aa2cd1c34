import type { Logger } from '../logger.js';
import type { HttpClient } from '../net/http-client.js';
import type { CoverCache } from './cover-cache.js';
import type { CoverRegistry } from './cover-registry.js';
import { sniffImageType } from './sniff-image.js';

/** Covers are small; anything bigger is not a cover. */
const MAX_COVER_BYTES = 2 * 1024 * 1024;
/** A cover host that failed is not asked again for this long (a page of results must not hang on it). */
const FAILURE_TTL_MS = 10 * 60_000;

export interface Covers {
  registry: CoverRegistry;
  /** The cover of a book seen in Anna's Archive results, from the disk cache or fetched once; undefined if none. */
  get(md5: string): Promise<{ body: Uint8Array; type: string } | undefined>;
  close(): Promise<void>;
}

export interface CoversDeps {
  now?: () => number;
  registry: CoverRegistry;
  cache: CoverCache;
  /** A client whose host guard admits public hosts (cover CDNs) and configured origins, never internal ones. */
  client: HttpClient;
  logger: Logger;
}

async function readCapped(body: AsyncIterable<Uint8Array>, max: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function createCovers({ registry, cache, client, logger, now = Date.now }: CoversDeps): Covers {
  const failedUntil = new Map<string, number>();
  const inFlight = new Map<string, Promise<{ body: Uint8Array; type: string } | undefined>>();
  const fetchCover = async (md5: string, url: string) => {
    try {
      const res = await client.request(url, { headersTimeoutMs: 8000, bodyTimeoutMs: 8000 });
      if (res.status !== 200) {
        await res.dump();
        return undefined;
      }
      const body = await readCapped(res.body, MAX_COVER_BYTES);
      const type = body && sniffImageType(body);
      if (!body || !type) return undefined;
      cache.write(md5, body);
      return { body, type };
    } catch (err) {
      // The host only, never the whole URL (it could carry a query someone cares about).
      logger.debug('Cover not fetched', { md5, host: new URL(url).host, error: (err as Error).message });
      return undefined;
    }
  };
  return {
    registry,
    close: () => client.close(),
    async get(md5) {
      const cached = cache.read(md5);
      if (cached) return cached;
      const url = registry.urlOf(md5);
      if (!url || (failedUntil.get(md5) ?? 0) > now()) return undefined;
      let pending = inFlight.get(md5);
      if (!pending) {
        pending = fetchCover(md5, url)
          .then((cover) => {
            if (cover) failedUntil.delete(md5);
            else failedUntil.set(md5, now() + FAILURE_TTL_MS);
            return cover;
          })
          .finally(() => inFlight.delete(md5));
        inFlight.set(md5, pending);
      }
      return pending;
    },
  };
}
