import { withDeadline } from '../deadline-signal.js';
import { ChallengeError, redactUrl } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { ClearanceRecord, ClearanceSource, ClearanceStore } from '../net/clearance-store.js';
import { siteOf } from '../net/site-of.js';
import type { ClearanceSolver } from './solved-clearance.js';

/**
 * Asks connected extensions for clearance; resolves once `POST /api/clearance` has stored it for that site
 * (e.g. `(site, url, signal) => store.waitForPut(site, signal)` after notifying the extension).
 */
export type AskExtension = (site: string, url: string, signal: AbortSignal, challenge?: string) => Promise<unknown>;

export interface ChallengeSolverDeps {
  store: ClearanceStore;
  headless?: ClearanceSolver | undefined;
  external?: ClearanceSolver | undefined;
  askExtension?: AskExtension | undefined;
  config: {
    /** USE_CF_BYPASS: false keeps only stored and extension clearance (no browser of ours, no FlareSolverr). */
    useCfBypass: boolean;
    /** How long to wait for an extension to hand clearance over. */
    extensionTimeoutMs?: number;
  };
  logger?: Logger;
}

export interface ChallengeSolver {
  /** Clearance for `site`, earned by the first path that works; {@link ChallengeError} `unsolved` when none does. */
  solve(site: string, url: string, signal?: AbortSignal, challenge?: string): Promise<ClearanceRecord>;
}

/**
 * Orders the bypass paths: (1) fresh stored clearance, (2) a connected extension, (3) our headless Chromium,
 * (4) the external FlareSolverr/Byparr; stores what a path earns and records which path succeeded. Concurrent
 * calls for one site share one solve.
 */
export function createChallengeSolver({
  store,
  headless,
  external,
  askExtension,
  config,
  logger = silentLogger,
}: ChallengeSolverDeps): ChallengeSolver {
  const inFlight = new Map<string, Promise<ClearanceRecord>>();
  const extensionTimeoutMs = config.extensionTimeoutMs ?? 30_000;

  const run = async (
    site: string,
    url: string,
    signal: AbortSignal | undefined,
    challenge: string | undefined,
  ): Promise<ClearanceRecord> => {
    const stored = store.get(site);
    if (stored) {
      store.recordSuccess(site, 'stored');
      return stored;
    }
    if (askExtension && extensionTimeoutMs > 0) {
      try {
        await withDeadline(extensionTimeoutMs, signal, (inner) => askExtension(site, url, inner, challenge));
        const handed = store.get(site);
        if (handed) {
          store.recordSuccess(site, 'extension');
          return handed;
        }
      } catch (err) {
        signal?.throwIfAborted();
        logger.info('No clearance from an extension', { site, error: err });
      }
    }
    const solvers: [ClearanceSource, ClearanceSolver | undefined][] = config.useCfBypass
      ? [
          ['headless', headless],
          ['external', external],
        ]
      : [];
    for (const [source, solver] of solvers) {
      if (!solver) continue;
      try {
        const solved = await solver.solve(url, signal);
        const record = store.put({ site, ...solved, source });
        store.recordSuccess(site, source);
        return record;
      } catch (err) {
        signal?.throwIfAborted();
        logger.warn('Bypass path failed', { site, path: source, url: redactUrl(url), error: err });
      }
    }
    throw new ChallengeError(site, url, 'unsolved');
  };

  return {
    solve(siteOrUrl, url, signal, challenge) {
      const site = siteOf(siteOrUrl);
      const pending = inFlight.get(site);
      if (pending) return pending;
      const solving = run(site, url, signal, challenge).finally(() => inFlight.delete(site));
      inFlight.set(site, solving);
      return solving;
    },
  };
}
