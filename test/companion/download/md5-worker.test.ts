import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMd5Hasher, takeSlab } from '../../../companion/download/md5-worker.js';

/** `bytes` copied into a shared slab (what fetchToStaging hands the worker), and their length. */
const own = (bytes: Buffer): [Buffer, number] => {
  const slab = takeSlab(bytes.length);
  bytes.copy(slab);
  return [slab, bytes.length];
};

describe('md5 on the worker thread', () => {
  it('gives the md5 of the bytes in order, for hashes interleaved on the one worker', async () => {
    const files = [randomBytes(3 * 1024 * 1024 + 17), randomBytes(5000), randomBytes(0), randomBytes(9 * 1024 * 1024)];
    const hashers = files.map(() => createMd5Hasher());
    const pieceSize = 700 * 1024;
    const longest = Math.max(...files.map((f) => f.length));
    // One piece of each file in turn, all through the same worker; the larger ones wait for it to catch up.
    for (let at = 0; at < longest; at += pieceSize) {
      await Promise.all(
        files.map((file, i) =>
          at < file.length ? hashers[i]?.update(...own(file.subarray(at, at + pieceSize))) : null,
        ),
      );
    }
    const digests = await Promise.all(hashers.map((h) => h.digest()));
    expect(digests).toEqual(files.map((f) => createHash('md5').update(f).digest('hex')));
  });

  it('hashes only the given length of a slab, and refuses bytes outside shared memory', async () => {
    const hasher = createMd5Hasher();
    await hasher.update(...own(Buffer.from('some book bytes')));
    await expect(hasher.update(Buffer.from('not shared'))).rejects.toThrow(/SharedArrayBuffer/);
    expect(await hasher.digest()).toBe(createHash('md5').update('some book bytes').digest('hex'));
  });

  it('forgets a dropped hash: a new hash starts from nothing', async () => {
    const dropped = createMd5Hasher();
    await dropped.update(...own(Buffer.from('half a file')));
    dropped.drop();
    const fresh = createMd5Hasher();
    await fresh.update(...own(Buffer.from('whole')));
    expect(await fresh.digest()).toBe(createHash('md5').update('whole').digest('hex'));
  });
});
