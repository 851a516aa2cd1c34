import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sniffImageType } from './sniff-image.js';

/** Covers on disk, one file per md5, the least recently used removed when the folder grows past `maxBytes`. */
export interface CoverCache {
  read(md5: string): { body: Uint8Array; type: string } | undefined;
  write(md5: string, body: Uint8Array): void;
  sizeBytes(): number;
}

export function createCoverCache({ dir, maxBytes }: { dir: string; maxBytes: number }): CoverCache {
  mkdirSync(dir, { recursive: true });
  const fileOf = (md5: string) => path.join(dir, md5);
  const listing = () =>
    readdirSync(dir).map((name) => {
      const stats = statSync(path.join(dir, name));
      return { name, size: stats.size, usedAtMs: stats.mtimeMs };
    });
  const evict = () => {
    const files = listing().sort((a, b) => a.usedAtMs - b.usedAtMs);
    let total = files.reduce((sum, file) => sum + file.size, 0);
    for (const file of files) {
      if (total <= maxBytes) break;
      rmSync(path.join(dir, file.name), { force: true });
      total -= file.size;
    }
  };
  return {
    read(md5) {
      let body: Uint8Array;
      try {
        body = readFileSync(fileOf(md5));
      } catch {
        return undefined;
      }
      const type = sniffImageType(body);
      if (!type) return undefined;
      // Touched on use: eviction drops the least recently shown first.
      const now = new Date();
      utimesSync(fileOf(md5), now, now);
      return { body, type };
    },
    write(md5, body) {
      const temp = `${fileOf(md5)}.${process.pid}.tmp`;
      writeFileSync(temp, body);
      // Rename is atomic: a reader never sees half a file.
      renameSync(temp, fileOf(md5));
      evict();
    },
    sizeBytes: () => listing().reduce((sum, file) => sum + file.size, 0),
  };
}
