import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deadlineSignal, withDeadline } from '../../../companion/deadline-signal.js';

const child = path.resolve('test/companion/gc/deadline-under-gc.child.ts');

describe('time limits survive garbage collection (AbortSignal.any lost them on Node 20)', () => {
  it('the clearance wait, the helper and a forwarded abort all settle while gc() runs', async () => {
    // A child process: --expose-gc and forced collections must not touch the test runner's own heap.
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', child], {
      timeout: 60_000,
    });
    const results = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { name: string; outcome: string })
        .map((r) => [r.name, r.outcome]),
    );
    expect(results).toEqual({
      'solve-challenge': 'rejected: ChallengeError',
      deadline: 'rejected: TimeoutError',
      'parent-abort': 'rejected: Error',
    });
  }, 90_000);

  it('clears its timer and listener when the work is done', async () => {
    const parent = new AbortController();
    let inner: AbortSignal | undefined;
    await withDeadline(50, parent.signal, async (signal) => {
      inner = signal;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(inner?.aborted).toBe(false);
    parent.abort();
    expect(inner?.aborted).toBe(false);
  });

  it('an already aborted parent aborts at once with its reason', () => {
    const parent = new AbortController();
    parent.abort('stop');
    const { signal } = deadlineSignal(60_000, parent.signal);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('stop');
  });
});
