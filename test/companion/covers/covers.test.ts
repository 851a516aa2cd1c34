import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoverCache } from '../../../companion/covers/cover-cache.js';
import { createCoverRegistry } from '../../../companion/covers/cover-registry.js';
import { createCovers } from '../../../companion/covers/covers.js';
import { publicHostGuard } from '../../../companion/covers/public-host-guard.js';
import { silentLogger } from '../../../companion/logger.js';
import { createHttpClient } from '../../../companion/net/create-http-client.js';
import { createHostGuard } from '../../../companion/net/host-guard.js';
import { type LocalServer, startLocalServer } from '../../helpers/net-test-server.js';

const md5 = (n: number) => n.toString(16).padStart(32, 'c');
// The smallest PNG and JPEG headers the sniffer accepts, padded to a size.
const png = (size: number) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size - 8, 7)]);

describe('covers fetched through the host guard and cached on disk', () => {
  let server: LocalServer;
  let root: string;

  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      if (req.url?.startsWith('/cover.png')) {
        res.setHeader('content-type', 'image/png');
        return res.end(png(3000));
      }
      if (req.url === '/evil.svg') {
        res.setHeader('content-type', 'image/svg+xml');
        return res.end('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      }
      if (req.url === '/huge.png') return res.end(png(3 * 1024 * 1024));
      res.statusCode = 404;
      res.end();
    });
    root = mkdtempSync(path.join(tmpdir(), 'bookrelay-covers-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const make = (allowed: string[], dir: string, maxBytes = 1024 * 1024) => {
    const client = createHttpClient({
      hostGuard: publicHostGuard(createHostGuard(() => allowed)),
      logger: silentLogger,
    });
    const covers = createCovers({
      registry: createCoverRegistry(),
      cache: createCoverCache({ dir: path.join(root, dir), maxBytes }),
      client,
      logger: silentLogger,
    });
    return covers;
  };

  it('fetches a cover URL taken from results once, then serves it from disk', async () => {
    const covers = make([server.origin], 'once');
    try {
      covers.registry.remember([{ id: md5(1), preview: `${server.origin}/cover.png?n=1` }]);
      const first = await covers.get(md5(1));
      expect(first?.type).toBe('image/png');
      const second = await covers.get(md5(1));
      expect(Buffer.from(second?.body ?? []).equals(Buffer.from(first?.body ?? []))).toBe(true);
      expect(server.requests.filter((r) => r.url === '/cover.png?n=1')).toHaveLength(1);
    } finally {
      await covers.close();
    }
  });

  it('is no open proxy: only URLs from results, never internal hosts, never SVG or oversized bodies', async () => {
    const covers = make([], 'guarded');
    try {
      // Never remembered: nothing is fetched.
      expect(await covers.get(md5(2))).toBeUndefined();
      // 127.0.0.1 is not a configured origin: the guard refuses it even though a result named it.
      covers.registry.remember([{ id: md5(3), preview: `${server.origin}/cover.png?n=3` }]);
      expect(await covers.get(md5(3))).toBeUndefined();
      expect(server.requests.some((r) => r.url === '/cover.png?n=3')).toBe(false);
      // Only web URLs are remembered at all.
      covers.registry.remember([{ id: md5(4), preview: 'file:///etc/passwd' }]);
      expect(covers.registry.urlOf(md5(4))).toBeUndefined();
    } finally {
      await covers.close();
    }
    const allowed = make([server.origin], 'kinds');
    try {
      allowed.registry.remember([
        { id: md5(5), preview: `${server.origin}/evil.svg` },
        { id: md5(6), preview: `${server.origin}/huge.png` },
      ]);
      expect(await allowed.get(md5(5))).toBeUndefined();
      expect(await allowed.get(md5(6))).toBeUndefined();
      expect(readdirSync(path.join(root, 'kinds'))).toEqual([]);
    } finally {
      await allowed.close();
    }
  });

  it('keeps the disk cache under its cap, dropping the least recently used', async () => {
    const covers = make([server.origin], 'capped', 7000);
    try {
      for (const n of [10, 11, 12]) {
        covers.registry.remember([{ id: md5(n), preview: `${server.origin}/cover.png?n=${n}` }]);
        expect(await covers.get(md5(n))).toBeDefined();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const files = readdirSync(path.join(root, 'capped'));
      expect(files).toHaveLength(2);
      expect(files).not.toContain(md5(10));
    } finally {
      await covers.close();
    }
  });
});
