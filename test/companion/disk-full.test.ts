import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { placeInLibrary } from '../../companion/download/place-in-library.js';
import { DiskFullError } from '../../companion/store/disk-space.js';
import { freePort, serverJs } from '../helpers/built-companion.js';
import { startTestCompanion, waitFor, worldEnv } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';

const MB = 1_000_000;

/** A real small filesystem: a tmpfs of `size`, which needs root (and a kernel that lets us mount). */
function mountTmpfs(dir: string, size: string): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function canMount(): boolean {
  const probe = mkdtempSync(path.join(tmpdir(), 'bookrelay-mount-probe-'));
  const ok = mountTmpfs(probe, '1m');
  if (ok) execFileSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return ok;
}

const freeBytes = (dir: string) => {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
};

describe.skipIf(!canMount())('a full data disk (DATA_DIR on a 24 MB tmpfs, the built companion)', () => {
  let world: World;
  let root: string;
  let dataDir: string;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    root = mkdtempSync(path.join(tmpdir(), 'bookrelay-diskfull-'));
    env = worldEnv(world, root, { MAX_CONCURRENT_DOWNLOADS: '1', LOG_LEVEL: 'info' });
    dataDir = env.DATA_DIR;
    mkdirSync(dataDir);
    if (!mountTmpfs(dataDir, '24m')) throw new Error('mount failed');
  });
  afterAll(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    execFileSync('umount', ['-l', dataDir]);
    rmSync(root, { recursive: true, force: true });
    await world.close();
  });
  afterEach(() => world.setThroughput('partner', undefined));

  async function start(): Promise<{ child: ChildProcess; base: string; output: () => string }> {
    const port = await freePort();
    const child = spawn(process.execPath, [serverJs], {
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      () =>
        child.exitCode !== null ||
        fetch(`${base}/api/health`).then(
          (r) => r.ok,
          () => false,
        ),
      'companion start',
    );
    if (child.exitCode !== null) throw new Error(`the companion exited (${child.exitCode}):\n${output}`);
    return { child, base, output: () => output };
  }

  const item = async (base: string, id: string) => {
    const all = (await (await fetch(`${base}/api/status`)).json()) as Record<
      string,
      Record<string, { progress: number | null; status_message?: string | null }>
    >;
    const entry = Object.entries(all).find(([, items]) => items[id]);
    return entry ? { status: entry[0], ...entry[1][id] } : undefined;
  };
  const health = async (base: string) =>
    (await (await fetch(`${base}/api/health`)).json()) as {
      status: string;
      problems?: { code: string; message: string }[];
    };

  it('the download that fills the disk fails with "disk full", the service stays up and says so; a restart comes up; freed space clears it', async () => {
    const first = await start();
    const book = world.addBook({ title: `Disk full ${Math.random()}`, format: 'epub', sizeBytes: 12 * MB });
    world.setThroughput('partner', 2 * MB);
    await fetch(`${first.base}/api/download?id=${book.md5}`);
    const partial = path.join(dataDir, 'staging', `${book.md5}.part`);
    await waitFor(() => existsSync(partial) && statSync(partial).size > 0, 'bytes on disk');
    // Something else fills the disk while the book is arriving.
    const filler = path.join(dataDir, 'filler');
    writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes(dataDir) - 8 * 1024)));

    const failed = await waitFor(async () => {
      const now = await item(first.base, book.md5);
      return now?.status === 'error' ? now : undefined;
    }, 'the item fails');
    expect(failed.status_message).toMatch(/disk full/i);
    expect(first.child.exitCode).toBeNull();
    expect(existsSync(partial)).toBe(false);
    const degraded = await health(first.base);
    expect(degraded.status).toBe('degraded');
    expect(degraded.problems?.[0]).toMatchObject({ code: 'disk-full', message: expect.stringMatching(/^Disk full: /) });

    // A second book is not even started while the disk is full.
    const waiting = world.addBook({ title: `Waits ${Math.random()}`, format: 'epub', sizeBytes: 2 * MB });
    await fetch(`${first.base}/api/download?id=${waiting.md5}`);

    // Killed while full, it starts again (no crash loop) and still says the disk is full.
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const second = await start();
    expect((await health(second.base)).status).toBe('degraded');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(second.child.exitCode).toBeNull();

    // Space is freed: health clears and the waiting book is downloaded.
    rmSync(filler);
    world.setThroughput('partner', undefined);
    await waitFor(async () => (await health(second.base)).status === 'ok', 'health ok');
    await waitFor(async () => (await item(second.base, waiting.md5))?.status === 'available', 'the waiting book');
    expect((await item(second.base, book.md5))?.status).toBe('error');
  }, 120_000);

  it('killed mid-download and restarted on a disk filled to the last byte, it comes up, then resumes once space is freed', async () => {
    const first = await start();
    const book = world.addBook({ title: `Resume ${Math.random()}`, format: 'epub', sizeBytes: 6 * MB });
    world.setThroughput('partner', 1 * MB);
    await fetch(`${first.base}/api/download?id=${book.md5}`);
    const partial = path.join(dataDir, 'staging', `${book.md5}.part`);
    await waitFor(() => existsSync(partial) && statSync(partial).size > 0, 'bytes on disk');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const filler = path.join(dataDir, 'filler');
    writeFileSync(filler, Buffer.alloc(freeBytes(dataDir)));

    const second = await start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(second.child.exitCode).toBeNull();
    expect((await health(second.base)).status).toBe('degraded');

    rmSync(filler);
    world.setThroughput('partner', undefined);
    await waitFor(
      async () => (await item(second.base, book.md5))?.status === 'available',
      'resumed to the end',
      30_000,
    );
    expect(second.child.exitCode).toBeNull();
  }, 90_000);

  it('a book larger than the free space is refused before any byte is written', async () => {
    const server = await start();
    const book = world.addBook({ title: `Too big ${Math.random()}`, format: 'epub', sizeBytes: 30 * MB });
    await fetch(`${server.base}/api/download?id=${book.md5}`);
    const failed = await waitFor(async () => {
      const now = await item(server.base, book.md5);
      return now?.status === 'error' ? now : undefined;
    }, 'the item is refused');
    expect(failed.status_message).toMatch(
      /^Disk full: the book needs 30\.0 MB, the staging folder has [\d.]+ MB free$/,
    );
    expect(existsSync(path.join(dataDir, 'staging', `${book.md5}.part`))).toBe(false);
    expect(server.child.exitCode).toBeNull();
  }, 60_000);
});

describe.skipIf(!canMount())('a first start on a disk that is already full (no database yet)', () => {
  it('ends with one line naming DATA_DIR and "disk full", exit code non-zero, no SqliteError stack', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'bookrelay-fullstart-'));
    const dataDir = path.join(root, 'data');
    mkdirSync(dataDir);
    if (!mountTmpfs(dataDir, '1m')) throw new Error('mount failed');
    try {
      // The folder check's empty probe files still fit; the database's first page does not.
      mkdirSync(path.join(dataDir, 'staging'));
      writeFileSync(path.join(dataDir, 'filler'), Buffer.alloc(freeBytes(dataDir)));
      const clean = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !/PROXY|^DATA_DIR$|^INGEST_DIR$|^TMP_DIR$/i.test(name)),
      );
      const child = spawn(process.execPath, [serverJs], {
        env: { ...clean, PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir, INGEST_DIR: path.join(root, 'ingest') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk) => {
        stderr += chunk;
      });
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(null);
        }, 20_000);
        child.once('exit', (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/disk full/i);
      expect(lines[0]).toContain(`DATA_DIR=${dataDir}`);
      expect(stderr).not.toMatch(/SqliteError|\n\s+at /);
    } finally {
      execFileSync('umount', ['-l', dataDir]);
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);
});

describe.skipIf(!canMount())('an ingest folder on another, smaller filesystem (a 4 MB tmpfs)', () => {
  let world: World;
  let root: string;
  let ingestDir: string;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    root = mkdtempSync(path.join(tmpdir(), 'bookrelay-ingestfull-'));
    ingestDir = path.join(root, 'ingest');
    mkdirSync(ingestDir);
    if (!mountTmpfs(ingestDir, '4m')) throw new Error('mount failed');
  });
  afterAll(async () => {
    execFileSync('umount', ['-l', ingestDir]);
    rmSync(root, { recursive: true, force: true });
    await world.close();
  });

  it('a book larger than the ingest folder has free is refused before any byte is fetched', async () => {
    // The queue pauses while a folder has less than minFreeBytes: the 4 MB disk is not "full" for that rule.
    const t = await startTestCompanion(world, { env: { INGEST_DIR: ingestDir }, tuning: { minFreeBytes: 1024 } });
    try {
      const book = world.addBook({ title: `Too big to place ${Math.random()}`, format: 'epub', sizeBytes: 8 * MB });
      await t.companion.app.request(`/api/download?id=${book.md5}`);
      const failed = await waitFor(async () => {
        const all = (await (await t.companion.app.request('/api/status')).json()) as Record<
          string,
          Record<string, { status_message?: string | null }>
        >;
        return all.error?.[book.md5];
      }, 'the item is refused');
      expect(failed.status_message).toMatch(
        /^Disk full: the book needs 8\.0 MB, the ingest folder has [\d.]+ (MB|KB) free$/,
      );
      expect(existsSync(path.join(t.dataDir, 'staging', `${book.md5}.part`))).toBe(false);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('placement across filesystems refuses a book that cannot fit before copying (no temp file left)', async () => {
    const staging = mkdtempSync(path.join(tmpdir(), 'bookrelay-place-'));
    try {
      const file = path.join(staging, 'book.part');
      writeFileSync(file, Buffer.alloc(6 * MB, 1));
      const placing = placeInLibrary(file, ingestDir, 'Book.epub');
      await expect(placing).rejects.toThrow(DiskFullError);
      await expect(placeInLibrary(file, ingestDir, 'Book.epub')).rejects.toThrow(
        /^Disk full: the book needs 6\.0 MB, the ingest folder has [\d.]+ (MB|KB) free$/,
      );
      expect(existsSync(file)).toBe(true);
      expect(readdirSync(ingestDir)).toEqual([]);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  });
});
