// Headless solve of a JS challenge in the test world: cold (Chromium launched for it), warm (already running), and
// Chromium gone after the idle timeout. The world's challenge page itself waits `CHALLENGE_DELAY_MS` before it
// sets the clearance cookie, which is printed as the floor.
import { execFileSync } from 'node:child_process';
import { createHeadlessSolver } from '../companion/bypass/headless.js';
import { chromiumPath } from '../test/helpers/launch-chromium.js';
import { startWorld } from '../test/world/start-world.js';
import { type AddRow, fmt } from './table.js';

const CHALLENGE_DELAY_MS = 300;
const IDLE_TIMEOUT_MS = 2_000;

function chromiumChildren(): number {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid)])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean).length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

export async function benchHeadlessSolve(add: AddRow): Promise<void> {
  const world = await startWorld({ gates: { challengeDelayMs: CHALLENGE_DELAY_MS } });
  const solver = createHeadlessSolver({
    chromiumPath,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    solveTimeoutMs: 30_000,
    hostResolverRules: 'MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
  });
  try {
    world.gates.protect({ origin: 'gated', kind: 'cloudflare' });
    const before = chromiumChildren();
    let t0 = performance.now();
    await solver.solve(`${world.origins.gated}/protected`);
    const cold = performance.now() - t0;
    t0 = performance.now();
    await solver.solve(`${world.origins.gated}/`);
    const warm = performance.now() - t0;
    await new Promise((r) => setTimeout(r, IDLE_TIMEOUT_MS + 3_000));
    const gone = !solver.running && chromiumChildren() <= before;
    const floor = `${CHALLENGE_DELAY_MS} ms (the page's own wait)`;
    add({
      figure: 'headless solve of a Cloudflare JS challenge, cold (ms)',
      ours: fmt(cold, 0),
      baseline: floor,
      ratio: `${fmt(cold / CHALLENGE_DELAY_MS, 2)}×`,
      goal: '≤ 4000 ms',
      met: cold <= 4_000,
      values: { coldMs: cold },
    });
    add({
      figure: 'headless solve, warm (Chromium running) (ms)',
      ours: fmt(warm, 0),
      baseline: floor,
      ratio: `${fmt(warm / CHALLENGE_DELAY_MS, 2)}×`,
      goal: '≤ 1500 ms',
      met: warm <= 1_500,
      values: { warmMs: warm },
    });
    add({
      figure: `Chromium gone ${IDLE_TIMEOUT_MS / 1000} s after the idle timeout`,
      ours: gone ? 'gone' : 'still running',
      baseline: '',
      ratio: '',
      goal: 'gone',
      met: gone,
    });
  } finally {
    await solver.close();
    await world.close();
  }
}
