// `npm run bench` part 5: the browser hand-off paths of issue 12 in the test world, timed from queue to placed file.
// The "browser" is the companion tests' browser-like client (its own address 127.0.0.2, one cookie jar, one UA), so
// the figures are the companion's share of each path; the e2e tests time the same paths with the real extension.
import { createBrowserLikeClient } from '../test/companion/relay/browser-like-client.js';
import { startRestartableCompanion, uploadRest } from '../test/companion/relay/relay-kit.js';
import { waitFor } from '../test/helpers/test-companion.js';
import { startWorld } from '../test/world/start-world.js';

type Report = (what: string, ours: string, baseline: string, ratio: string) => void;

const ENV = { USE_CF_BYPASS: 'false', SOURCE_PRIORITY: 'aa-slow-nowait', LOG_LEVEL: 'error' };
const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function benchHandoff(report: Report): Promise<void> {
  const world = await startWorld({ countdownSeconds: 0, gates: { challengeDelayMs: 50 } });
  const book = world.addBook({ title: 'Handoff Bench', format: 'epub', sizeBytes: 8 * 1024 * 1024 });
  const times: Record<'own' | 'clearance' | 'relay', number[]> = { own: [], clearance: [], relay: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const path of ['own', 'clearance', 'relay'] as const) {
        world.reset();
        world.gates.unprotect();
        world.gates.configure({ bindIp: path === 'relay', challengeDelayMs: 50 });
        if (path !== 'own') {
          world.gates.protect({ origin: 'partner', pathPrefix: '/file/', kind: 'ddos-guard' });
          world.gates.protect({ origin: 'aa', pathPrefix: '/ipfs_downloads/', kind: 'ddos-guard' });
        }
        const h = await startRestartableCompanion(world, ENV);
        const browser = createBrowserLikeClient({ localAddress: '127.0.0.2' });
        const request = (p: string, init?: RequestInit) => h.companion.app.request(p, init);
        try {
          const t0 = performance.now();
          await request(`/api/download?id=${book.md5}`);
          if (path !== 'own') {
            const asked = await waitFor(
              async () => {
                const { requests } = (await (await request('/api/clearance/requests')).json()) as {
                  requests: { url: string }[];
                };
                return requests[0];
              },
              'a clearance request',
              60_000,
            );
            await browser.passDdosGuard(asked.url);
            await request('/api/clearance', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ site: asked.url, cookies: browser.cookies(), userAgent: browser.userAgent }),
            });
          }
          if (path === 'relay') {
            const relay = await waitFor(() => h.companion.store.get(book.md5)?.relay, 'the relay', 60_000);
            const file = await browser.get(relay.candidates[0]?.url as string);
            await uploadRest(request, book.md5, file.body, 2 * 1024 * 1024);
          }
          await waitFor(() => h.companion.store.get(book.md5)?.status === 'available', 'the placed file', 60_000);
          times[path].push(performance.now() - t0);
        } finally {
          await browser.close();
          await h.close();
        }
      }
    }
  } finally {
    await world.close();
  }
  const own = median(times.own);
  const row = (what: string, ms: number) =>
    report(what, `${ms.toFixed(0)} ms`, `${own.toFixed(0)} ms (own download, no wall)`, `${(ms / own).toFixed(2)}×`);
  row('hand-off: queue → placed, clearance handed over (8 MiB, median of 3)', median(times.clearance));
  row('hand-off: queue → placed, browser relay upload (8 MiB, median of 3)', median(times.relay));
}
