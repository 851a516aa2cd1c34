import { constants } from 'node:fs';
import { copyFile, link, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ensureRoomFor } from '../store/disk-space.js';

/** `name.ext` → `name (2).ext`, `name (3).ext`, … */
function withSuffix(fileName: string, n: number): string {
  const ext = path.extname(fileName);
  return `${fileName.slice(0, fileName.length - ext.length)} (${n})${ext}`;
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Claims `target` without overwriting anything: a hard link fails with EEXIST if the name is taken,
 * so two workers placing books with the same title never clobber each other.
 */
async function linkExclusive(from: string, target: string): Promise<boolean> {
  try {
    await link(from, target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Moves a verified staging file into the ingest folder under `fileName` (collision-safe: `name (2).ext`).
 * On the same filesystem the file appears atomically; across filesystems it is copied to a hidden temp name in
 * the ingest folder, fsynced, then linked into place, so CWA never sees a half-written book. Returns the final path.
 */
export async function placeInLibrary(stagingPath: string, ingestDir: string, fileName: string): Promise<string> {
  if (fileName.includes('/') || fileName.includes('\\') || fileName === '..' || fileName.startsWith('.')) {
    throw new Error(`Expected a plain file name, got ${JSON.stringify(fileName)}`);
  }
  let source = stagingPath;
  let temp: string | undefined;
  try {
    for (let n = 1; n < 1000; n++) {
      const target = path.join(ingestDir, n === 1 ? fileName : withSuffix(fileName, n));
      try {
        if (await linkExclusive(source, target)) {
          await rm(source, { force: true });
          return target;
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        // Another filesystem: copy beside the target first, then link atomically within the ingest folder.
        // A book that cannot fit there is refused before the copy half-fills that disk.
        ensureRoomFor(ingestDir, (await stat(stagingPath)).size, 'the ingest folder');
        temp = path.join(ingestDir, `.bookrelay-${path.basename(stagingPath)}.tmp`);
        await copyFile(stagingPath, temp, constants.COPYFILE_EXCL).catch(async (copyErr) => {
          if ((copyErr as NodeJS.ErrnoException).code !== 'EEXIST') throw copyErr;
          await rm(temp as string, { force: true });
          await copyFile(stagingPath, temp as string, constants.COPYFILE_EXCL);
        });
        await fsyncFile(temp);
        await rm(stagingPath, { force: true });
        source = temp;
        n--;
      }
    }
    throw new Error(`Too many files named like ${fileName} in the ingest folder`);
  } finally {
    if (temp) await rm(temp, { force: true });
  }
}
