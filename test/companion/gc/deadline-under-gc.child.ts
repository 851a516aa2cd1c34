// Run by deadline-under-gc.test.ts as `node --expose-gc --import tsx <this file>`: each case must settle although
// garbage collection runs while it waits. Prints one JSON line per case; a case that hangs prints "hung".
import Database from 'better-sqlite3';
import { createChallengeSolver } from '../../../companion/bypass/solve-challenge.js';
import { deadlineSignal } from '../../../companion/deadline-signal.js';
import { migrateClearance } from '../../../companion/net/clearance-schema.js';
import { createClearanceStore } from '../../../companion/net/clearance-store.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

/** Collects garbage a few times while `work` waits, then reports how it settled (or that it never did). */
async function run(name: string, work: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  const collector = setInterval(() => gc?.(), 20);
  const hung = new Promise<string>((resolve) => setTimeout(() => resolve('hung'), 5_000).unref());
  const outcome = await Promise.race([
    work().then(
      () => 'resolved',
      (err: unknown) => `rejected: ${err instanceof Error ? err.name : String(err)}`,
    ),
    hung,
  ]);
  clearInterval(collector);
  process.stdout.write(`${JSON.stringify({ name, outcome, ms: Date.now() - started })}\n`);
}

// The clearance wait of /api/download: an extension that never answers, a 300 ms limit.
const db = new Database(':memory:');
migrateClearance(db);
const store = createClearanceStore({ db });
const solver = createChallengeSolver({
  store,
  askExtension: (site, _url, signal) => store.waitForPut(site, signal),
  config: { useCfBypass: false, extensionTimeoutMs: 300 },
});
// The job's own signal (cancel, shutdown) is passed in, as the runner does.
const job = new AbortController();
await run('solve-challenge', () => solver.solve('https://gated.example', 'https://gated.example/md5/x', job.signal));

// The helper itself: the timer fires (with a parent that never aborts), and a parent's abort is forwarded.
await run('deadline', () => {
  const { signal } = deadlineSignal(300, job.signal);
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
});
const parent = new AbortController();
await run('parent-abort', () => {
  const { signal } = deadlineSignal(60_000, parent.signal);
  setTimeout(() => parent.abort(new Error('cancelled')), 300);
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
});
db.close();
