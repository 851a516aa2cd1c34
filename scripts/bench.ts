// `npm run bench`: speed and memory figures, each against a baseline measured in the same run on this machine.
//   1. download throughput: the companion's streaming, md5-verifying downloader vs curl writing the same file;
//   2. memory while downloading: peak RSS growth during a 256 MiB transfer (it must not buffer the file);
//   3. companion start-up: spawn → first 200 on /api/health, vs a bare node:http server;
//   4. queue: enqueue + claim of 10,000 items vs raw inserts into the same SQLite;
//   5. extension bundle size against its goal (≤ 150 KB minified for background + popup + a content script);
//   6. browser hand-off (issue 12): queue → placed file with clearance handed over, and through the relay upload.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fetchToStaging } from '../companion/download/fetch-to-staging.js';
import { createHttpClient } from '../companion/net/create-http-client.js';
import { migrateQueue } from '../companion/queue/schema.js';
import { createQueueStore } from '../companion/queue/store.js';
import { openDatabase } from '../companion/store/open-database.js';
import { EXTENSION_SIZE_GOAL_BYTES, measureExtensionSize } from './bench-extension-size.js';
import { benchHandoff } from './bench-handoff.js';

const MiB = 1024 * 1024;
const FILE_MIB = 256;
const work = mkdtempSync(path.join(tmpdir(), 'bookrelay-bench-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const rows: string[][] = [];
const report = (what: string, ours: string, baseline: string, ratio: string) =>
  rows.push([what, ours, baseline, ratio]);

function runAsync(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function startBenchWorld(sizeBytes: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-world.ts', String(sizeBytes)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('\n')) resolve(buffered.split('\n')[0]);
    });
    child.on('exit', (code) => reject(new Error(`bench world exited with ${code}`)));
  });
  const { url, md5 } = JSON.parse(line) as { url: string; md5: string };
  return { url, book: { md5 }, close: () => child.kill('SIGTERM') };
}

async function benchDownload() {
  const world = await startBenchWorld(FILE_MIB * MiB);
  const { url, book } = world;
  const client = createHttpClient();
  const oursMs: number[] = [];
  const curlMs: number[] = [];
  const curlMd5Ms: number[] = [];
  let peakRssGrowth = 0;
  const curl = hasCurl();
  for (let run = 0; run < 3; run++) {
    const target = path.join(work, `ours-${run}.part`);
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const started = performance.now();
    await fetchToStaging({ client, url, stagingPath: target, expectedMd5: book.md5 });
    oursMs.push(performance.now() - started);
    clearInterval(sampler);
    peakRssGrowth = Math.max(peakRssGrowth, peak - rssBefore);
    rmSync(target, { force: true });
    if (curl) {
      const curlTarget = path.join(work, `curl-${run}.bin`);
      const t0 = performance.now();
      // Async: the world serves from this very process, so a blocking call would starve it.
      await runAsync('curl', ['-sS', '-o', curlTarget, url]);
      curlMs.push(performance.now() - t0);
      // Ours verifies the md5 as it goes: the like-for-like baseline is curl, then md5sum.
      await runAsync('md5sum', [curlTarget]);
      curlMd5Ms.push(performance.now() - t0);
      rmSync(curlTarget, { force: true });
    }
  }
  const oursMBs = FILE_MIB / (median(oursMs) / 1000);
  if (curl) {
    const curlMBs = FILE_MIB / (median(curlMs) / 1000);
    const curlMd5MBs = FILE_MIB / (median(curlMd5Ms) / 1000);
    report(
      `download + md5 check, ${FILE_MIB} MiB (MiB/s, median of 3)`,
      fmt(oursMBs),
      `${fmt(curlMd5MBs)} (curl -o file; md5sum file)`,
      `${fmt(oursMBs / curlMd5MBs, 2)}×`,
    );
    report(
      '  same, against a plain download',
      fmt(oursMBs),
      `${fmt(curlMBs)} (curl -o file, no check)`,
      `${fmt(oursMBs / curlMBs, 2)}×`,
    );
  } else report(`download ${FILE_MIB} MiB (MiB/s, median of 3)`, fmt(oursMBs), 'curl not installed', '–');
  report(
    `peak RSS growth while downloading ${FILE_MIB} MiB`,
    `${fmt(peakRssGrowth / MiB)} MiB`,
    `${FILE_MIB} MiB (buffering the file)`,
    `${fmt(peakRssGrowth / (FILE_MIB * MiB), 2)}×`,
  );
  await client.close();
  world.close();
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function timeToFirst200(args: string[], env: Record<string, string>, port: number) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const ms = performance.now() - started;
    await new Promise((r) => setTimeout(r, 200));
    const rssKb = Number(
      /VmRSS:\s+(\d+)/.exec(execFileSync('cat', [`/proc/${child.pid}/status`]).toString())?.[1] ?? 0,
    );
    return { ms, rssMiB: rssKb / 1024 };
  } finally {
    child.kill('SIGKILL');
  }
}

async function benchStartup() {
  if (!existsSync('dist/server.js')) execFileSync('npm', ['run', '--silent', 'build:companion'], { stdio: 'inherit' });
  const ours: { ms: number; rssMiB: number }[] = [];
  const bare: { ms: number; rssMiB: number }[] = [];
  for (let run = 0; run < 5; run++) {
    const dir = mkdtempSync(path.join(work, 'start-'));
    const port = await freePort();
    ours.push(
      await timeToFirst200(
        ['dist/server.js'],
        {
          PORT: String(port),
          DATA_DIR: path.join(dir, 'data'),
          INGEST_DIR: path.join(dir, 'ingest'),
          LOG_LEVEL: 'error',
        },
        port,
      ),
    );
    const port2 = await freePort();
    bare.push(
      await timeToFirst200(
        ['-e', `require('node:http').createServer((q,s)=>s.end('ok')).listen(${port2},'127.0.0.1')`],
        {},
        port2,
      ),
    );
  }
  const o = median(ours.map((r) => r.ms));
  const b = median(bare.map((r) => r.ms));
  report(
    'companion start → first 200 (ms, median of 5)',
    fmt(o, 0),
    `${fmt(b, 0)} (bare node:http)`,
    `${fmt(o / b, 2)}×`,
  );
  const orss = median(ours.map((r) => r.rssMiB));
  const brss = median(bare.map((r) => r.rssMiB));
  report(
    'companion RSS after start',
    `${fmt(orss)} MiB`,
    `${fmt(brss)} MiB (bare node:http)`,
    `${fmt(orss / brss, 2)}×`,
  );
}

function benchQueue() {
  const n = 10_000;
  const md5 = (i: number) => i.toString(16).padStart(32, '0');
  const db = openDatabase(path.join(work, 'queue.sqlite'));
  migrateQueue(db);
  const store = createQueueStore({ db });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) store.enqueue({ id: md5(i), title: `Book ${i}` }, i % 7);
  for (let i = 0; i < n; i++) store.claimNext(60_000);
  const ours = performance.now() - t0;

  const raw = openDatabase(path.join(work, 'raw.sqlite'));
  raw.exec('CREATE TABLE t (id TEXT PRIMARY KEY, priority INTEGER, book TEXT)');
  const insert = raw.prepare('INSERT INTO t VALUES (?, ?, ?)');
  const t1 = performance.now();
  for (let i = 0; i < n; i++) insert.run(md5(i), i % 7, JSON.stringify({ id: md5(i), title: `Book ${i}` }));
  const base = performance.now() - t1;
  report(
    `queue: enqueue + claim ${n} items (ops/s)`,
    fmt((2 * n) / (ours / 1000), 0),
    `${fmt(n / (base / 1000), 0)} (raw single-row inserts)`,
    `${fmt((2 * n) / (ours / 1000) / (n / (base / 1000)), 2)}×`,
  );
  db.close();
  raw.close();
}

function benchExtensionSize() {
  const size = measureExtensionSize();
  const kb = (bytes: number) => `${fmt(bytes / 1000)} KB`;
  const met = size.perLoadBytes <= EXTENSION_SIZE_GOAL_BYTES;
  report(
    'extension: background + popup + one content script (minified)',
    `${kb(size.perLoadBytes)} (${kb(size.perLoadGzipBytes)} gzip)`,
    `goal ≤ ${kb(EXTENSION_SIZE_GOAL_BYTES)}`,
    `${fmt(size.perLoadBytes / EXTENSION_SIZE_GOAL_BYTES, 2)}× ${met ? 'met' : 'MISSED'}`,
  );
  report('  background', kb(size.backgroundBytes), '', '');
  report('  popup page', kb(size.popupBytes), '', '');
  report(`  largest content script (${size.largestContentScript.name})`, kb(size.largestContentScript.bytes), '', '');
  report(`  shipped in total (${size.contentScriptCount} content scripts, options)`, kb(size.shippedBytes), '', '');
}

try {
  benchExtensionSize();
  await benchDownload();
  await benchStartup();
  benchQueue();
  await benchHandoff(report);
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...[['what', 'ours', 'baseline', 'ratio'], ...rows].map((r) => r[i].length)),
  );
  for (const row of [['what', 'ours', 'baseline', 'ratio'], ...rows]) {
    console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
