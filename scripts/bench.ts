// `npm run bench`: speed and memory figures, each against a baseline measured in the same run on this machine, printed
// as ONE table (figure, ours, baseline, ratio, goal, met/missed) and written to bench/results/latest.json.
//   - the built companion (dist/server.js, rebuilt first): start-up, RSS, /api/status throughput and p99 under
//     downloads, /api/status at 10,000 items, RSS while 3 downloads stream, a 1 GiB book through the whole path
//     (bench/companion-figures.ts; the world runs in its own process, bench/world-process.ts);
//   - AA search parsing of every real capture (bench/parse-figures.ts);
//   - the streaming md5-verifying downloader vs curl, and its RSS growth; queue ops; extension size; the browser
//     hand-off paths of issue 12 (scripts/bench-handoff.ts).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  benchRssWhileDownloading,
  benchStartup,
  benchStatusAt10k,
  benchStatusThroughput,
  benchStatusUnderDownloads,
  benchWholePathDownload,
} from '../bench/companion-figures.js';
import { benchHeadlessSolve } from '../bench/headless-figure.js';
import { benchSearchParse } from '../bench/parse-figures.js';
import { createTable, fmt, median } from '../bench/table.js';
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
const table = createTable();
// The figures kept from before the table had goals: context, no verdict.
const report = (figure: string, ours: string, baseline: string, ratio: string) =>
  table.add({ figure, ours, baseline, ratio, goal: '' });

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
  table.add({
    figure: 'extension: background + popup + one content script (minified)',
    ours: `${kb(size.perLoadBytes)} (${kb(size.perLoadGzipBytes)} gzip)`,
    baseline: '',
    ratio: `${fmt(size.perLoadBytes / EXTENSION_SIZE_GOAL_BYTES, 2)}× the goal`,
    goal: `≤ ${kb(EXTENSION_SIZE_GOAL_BYTES)}`,
    met: size.perLoadBytes <= EXTENSION_SIZE_GOAL_BYTES,
    values: { perLoadBytes: size.perLoadBytes, shippedBytes: size.shippedBytes },
  });
  report('  background', kb(size.backgroundBytes), '', '');
  report('  popup page', kb(size.popupBytes), '', '');
  report(`  largest content script (${size.largestContentScript.name})`, kb(size.largestContentScript.bytes), '', '');
  report(`  shipped in total (${size.contentScriptCount} content scripts, options)`, kb(size.shippedBytes), '', '');
}

const only = process.argv[2];
const parts: [string, () => unknown][] = [
  ['extension', benchExtensionSize],
  ['parse', () => benchSearchParse(table.add)],
  ['queue', benchQueue],
  ['status10k', () => benchStatusAt10k(table.add, work)],
  ['startup', () => benchStartup(table.add, work)],
  ['throughput', () => benchStatusThroughput(table.add, work)],
  ['p99', () => benchStatusUnderDownloads(table.add, work)],
  ['rss3', () => benchRssWhileDownloading(table.add, work)],
  ['download1g', () => benchWholePathDownload(table.add, work)],
  ['downloader', benchDownload],
  ['headless', () => benchHeadlessSolve(table.add)],
  ['handoff', () => benchHandoff(report)],
];
try {
  execFileSync('npm', ['run', '--silent', 'build:companion'], { stdio: 'inherit' });
  for (const [name, part] of parts) {
    if (only && only !== name) continue;
    try {
      await part();
    } catch (err) {
      // A part that cannot run is a missed figure, never a silently shorter table.
      table.add({
        figure: `${name}: could not run (${String(err).slice(0, 120)})`,
        ours: '–',
        baseline: '',
        ratio: '',
        goal: 'runs',
        met: false,
      });
    }
  }
  table.print();
  if (!only) table.save();
} finally {
  rmSync(work, { recursive: true, force: true });
}
