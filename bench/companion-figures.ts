// Figures of the built companion process (dist/server.js), each against a baseline measured in the same run.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { migrateQueue } from '../companion/queue/schema.js';
import { createQueueStore } from '../companion/queue/store.js';
import { openDatabase } from '../companion/store/open-database.js';
import { cpuMs, rssMiB, startBare, startCompanion, startWorldProcess, type WorldInfo, worldEnv } from './processes.js';
import { type AddRow, fmt, median } from './table.js';

const MiB = 1024 * 1024;
const MB = 1_000_000;
const run = promisify(execFile);

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number; p50: number; average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Spawn → first 200 on /api/status, and RSS after start, against a bare node:http server started the same way. */
export async function benchStartup(add: AddRow, work: string, runs = 10): Promise<void> {
  const ours: { ms: number; rss: number }[] = [];
  const bare: { ms: number; rss: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const a = await startCompanion(work);
    await new Promise((r) => setTimeout(r, 200));
    ours.push({ ms: a.readyMs, rss: rssMiB(a.pid) });
    await a.stop();
    const b = await startBare();
    await new Promise((r) => setTimeout(r, 200));
    bare.push({ ms: b.readyMs, rss: rssMiB(b.pid) });
    await b.stop();
  }
  const o = median(ours.map((r) => r.ms));
  const b = median(bare.map((r) => r.ms));
  add({
    figure: `start → first 200 on /api/status (ms, median of ${runs} cold starts)`,
    ours: fmt(o, 0),
    baseline: `${fmt(b, 0)} (bare node:http)`,
    ratio: `${fmt(o / b, 2)}×`,
    goal: '≤ 1.25×',
    met: o / b <= 1.25,
    values: { oursMs: o, bareMs: b },
  });
  const orss = median(ours.map((r) => r.rss));
  const brss = median(bare.map((r) => r.rss));
  add({
    figure: 'RSS after start, no browser (MiB, median)',
    ours: `${fmt(orss)} MiB (${fmt((orss * MiB) / MB)} MB)`,
    baseline: `${fmt(brss)} MiB (bare node:http)`,
    ratio: `${fmt(orss / brss, 2)}×`,
    goal: '≤ 60 MB and ≤ 1.35×',
    met: (orss * MiB) / MB <= 60 && orss / brss <= 1.35,
    values: { oursMiB: orss, bareMiB: brss },
  });
}

async function load(url: string, extra: Record<string, unknown>) {
  return autocannon({ url, connections: 50, duration: 5, ...extra });
}

/** /api/status throughput (50 connections) against a bare server answering the same JSON. */
export async function benchStatusThroughput(add: AddRow, work: string): Promise<void> {
  const ours = await startCompanion(work);
  const body = await (await fetch(`${ours.base}/api/status`)).text();
  const o = await load(`${ours.base}/api/status`, {});
  await ours.stop();
  const bare = await startBare(body);
  const b = await load(`${bare.base}/api/status`, {});
  await bare.stop();
  add({
    figure: '/api/status throughput, empty queue, 50 connections (req/s, autocannon 5 s)',
    ours: fmt(o.requests.average, 0),
    baseline: `${fmt(b.requests.average, 0)} (bare node:http, same JSON)`,
    ratio: `${fmt(o.requests.average / b.requests.average, 2)}×`,
    goal: '≥ 0.6×',
    met: o.requests.average / b.requests.average >= 0.6 && o.non2xx === 0,
    values: { ours: o.requests.average, bare: b.requests.average, oursNon2xx: o.non2xx },
  });
}

async function waitForStatus(base: string, done: (status: Record<string, Record<string, unknown>>) => boolean) {
  for (;;) {
    const status = (await (await fetch(`${base}/api/status`)).json()) as Record<string, Record<string, unknown>>;
    if (done(status)) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** p99 of /api/status at a fixed 500 req/s while 10 downloads stream. */
export async function benchStatusUnderDownloads(add: AddRow, work: string): Promise<void> {
  const world = await startWorldProcess(Array.from({ length: 10 }, () => 128 * MiB));
  try {
    const ours = await startCompanion(work, worldEnv(world, { MAX_CONCURRENT_DOWNLOADS: '10' }));
    for (const book of world.books) await fetch(`${ours.base}/api/download?id=${book.md5}`);
    await waitForStatus(ours.base, (s) => Object.keys(s.downloading ?? {}).length >= 10);
    const r = await load(`${ours.base}/api/status`, { connections: 10, overallRate: 500, duration: 5 });
    const after = await waitForStatus(ours.base, () => true);
    const stillDownloading = Object.keys(after.downloading ?? {}).length;
    await ours.stop();
    // Baseline: the same fixed rate against a bare server while nothing else runs.
    const bare = await startBare('{}');
    const b = await load(`${bare.base}/api/status`, { connections: 10, overallRate: 500, duration: 5 });
    await bare.stop();
    add({
      figure: `/api/status p99 at 500 req/s while 10 downloads stream (ms; ${stillDownloading} still streaming at the end)`,
      ours: fmt(r.latency.p99, 1),
      baseline: `${fmt(b.latency.p99, 1)} (bare node:http, idle)`,
      ratio: `${fmt(r.latency.p99 / Math.max(b.latency.p99, 1), 2)}×`,
      goal: '≤ 5 ms',
      met: r.latency.p99 <= 5 && r.non2xx === 0,
      values: { p99: r.latency.p99, bareP99: b.latency.p99, stillDownloading },
    });
  } finally {
    world.close();
  }
}

/** CPU per /api/status call with 10,000 items in the queue, against a bare server sending the same bytes. */
export async function benchStatusAt10k(add: AddRow, work: string): Promise<void> {
  const n = 10_000;
  const root = mkdtempSync(path.join(work, 'queue10k-'));
  const ingest = path.join(root, 'ingest');
  mkdirSync(path.join(root, 'data'), { recursive: true });
  mkdirSync(ingest, { recursive: true });
  const db = openDatabase(path.join(root, 'data', 'bookrelay.sqlite'));
  migrateQueue(db);
  const store = createQueueStore({ db });
  const md5 = (i: number) => i.toString(16).padStart(32, '0');
  for (let i = 0; i < n; i++) {
    store.enqueue({ id: md5(i), title: `Book ${i}`, author: `Author ${i % 97}`, format: 'epub', size: '1.2MB' }, 0);
  }
  // 3,000 failed, 3,000 done, 100 available (their files in ingest), 3,900 cancelled: a long-lived queue.
  for (let i = 0; i < 6_100; i++) {
    const item = store.claimNext(60_000);
    if (!item?.leaseId) break;
    if (i < 3_000) store.fail(item.id, item.leaseId, 'No download source was found for this book');
    else {
      const file = path.join(ingest, `${item.id}.epub`);
      writeFileSync(file, 'x');
      store.complete(item.id, item.leaseId, file);
    }
  }
  const placed = store.list().filter((item) => item.status === 'available');
  for (const item of placed.slice(0, placed.length - 100)) rmSync(item.downloadPath as string);
  store.markDone(placed.slice(0, placed.length - 100).map((item) => item.id));
  for (const item of store.queueOrder()) store.cancel(item.id);
  db.close();

  const calls = 50;
  const ours = await startCompanion(work, { AA_BASE_URL: 'http://127.0.0.1:9' }, root);
  const body = await (await fetch(`${ours.base}/api/status`)).text();
  const timeCalls = async (base: string, pid: number) => {
    const cpu0 = cpuMs(pid);
    const walls: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await (await fetch(`${base}/api/status`)).arrayBuffer();
      walls.push(performance.now() - t0);
    }
    return { cpuPerCall: (cpuMs(pid) - cpu0) / calls, wall: median(walls) };
  };
  const o = await timeCalls(ours.base, ours.pid);
  await ours.stop();
  const bare = await startBare(body);
  const b = await timeCalls(bare.base, bare.pid);
  await bare.stop();
  add({
    figure: `/api/status with ${n.toLocaleString('en')} items, ${fmt(body.length / MB)} MB JSON (CPU ms per call, ${calls} calls)`,
    ours: `${fmt(o.cpuPerCall)} (wall ${fmt(o.wall)})`,
    baseline: `${fmt(b.cpuPerCall)} (bare node:http, same bytes; wall ${fmt(b.wall)})`,
    ratio: `${fmt(o.cpuPerCall / Math.max(b.cpuPerCall, 0.1), 2)}×`,
    goal: '≤ 5 ms per call',
    met: o.cpuPerCall <= 5,
    values: { oursCpuMs: o.cpuPerCall, bareCpuMs: b.cpuPerCall, oursWallMs: o.wall, bareWallMs: b.wall },
  });
}

async function hasCurl(): Promise<boolean> {
  return run('curl', ['--version']).then(
    () => true,
    () => false,
  );
}

async function downloadThroughCompanion(
  work: string,
  world: WorldInfo,
  md5s: string[],
  onTick?: (pid: number) => void,
) {
  const ours = await startCompanion(work, worldEnv(world, { MAX_CONCURRENT_DOWNLOADS: String(md5s.length) }));
  try {
    const t0 = performance.now();
    for (const md5 of md5s) await fetch(`${ours.base}/api/download?id=${md5}`);
    const ticker = onTick ? setInterval(() => onTick(ours.pid), 50) : undefined;
    const status = await waitForStatus(ours.base, (s) =>
      md5s.every((id) => s.available?.[id] || s.error?.[id] || s.done?.[id]),
    );
    clearInterval(ticker);
    const failed = md5s.filter((id) => !status.available?.[id]);
    if (failed.length > 0) throw new Error(`bench download failed: ${JSON.stringify(status.error)}`);
    return performance.now() - t0;
  } finally {
    await ours.stop();
    rmSync(ours.root, { recursive: true, force: true });
  }
}

/** A 1 GiB book through the whole path (queue → stream → md5 → placement) against `curl -o` of the same URL. */
export async function benchWholePathDownload(add: AddRow, work: string): Promise<void> {
  const size = 1024 * MiB;
  const world = await startWorldProcess([size]);
  try {
    const book = world.books[0] as WorldInfo['books'][number];
    const oursMs = await downloadThroughCompanion(work, world, [book.md5]);
    let curlMs = Number.NaN;
    if (await hasCurl()) {
      const target = path.join(work, 'curl-1g.bin');
      const t0 = performance.now();
      await run('curl', ['-sS', '-o', target, book.fileUrl]);
      curlMs = performance.now() - t0;
      rmSync(target, { force: true });
    }
    const ours = size / MiB / (oursMs / 1000);
    const curl = size / MiB / (curlMs / 1000);
    add({
      figure: '1 GiB book through the whole path: queue → stream → md5 → placed (MiB/s)',
      ours: fmt(ours),
      baseline: Number.isNaN(curl) ? 'curl not installed' : `${fmt(curl)} (curl -o, same URL)`,
      ratio: `${fmt(ours / curl, 2)}×`,
      goal: '≥ 0.8×',
      met: ours / curl >= 0.8,
      values: { oursMiBs: ours, curlMiBs: curl },
    });
  } finally {
    world.close();
  }
}

/** Peak RSS of the companion while 3 downloads stream. */
export async function benchRssWhileDownloading(add: AddRow, work: string): Promise<void> {
  const world = await startWorldProcess([256 * MiB, 256 * MiB, 256 * MiB]);
  try {
    let peak = 0;
    const ms = await downloadThroughCompanion(
      work,
      world,
      world.books.map((b) => b.md5),
      (pid) => {
        peak = Math.max(peak, rssMiB(pid));
      },
    );
    add({
      figure: `peak RSS while 3 downloads of 256 MiB stream (${fmt(ms / 1000)} s)`,
      ours: `${fmt(peak)} MiB (${fmt((peak * MiB) / MB)} MB)`,
      baseline: '',
      ratio: '',
      goal: '≤ 90 MB',
      met: (peak * MiB) / MB <= 90,
      values: { peakMiB: peak },
    });
  } finally {
    world.close();
  }
}
