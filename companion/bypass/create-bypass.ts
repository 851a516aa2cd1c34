import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { ClearanceStore } from '../net/clearance-store.js';
import type { DnsResolver } from '../net/create-dns-lookup.js';
import { createExternalSolver } from './external.js';
import { createHeadlessSolver } from './headless.js';
import { type AskExtension, type ChallengeSolver, createChallengeSolver } from './solve-challenge.js';
import type { ClearanceSolver } from './solved-clearance.js';

/** Chromium's `--proxy-server` for the configured proxy; credentials are dropped (Chromium takes none on the command line). */
export function toChromiumProxyServer(net: Config['net']): string | undefined {
  const raw = net.socks5Proxy?.replace(/^socks5h:/i, 'socks5:') ?? net.httpsProxy ?? net.httpProxy;
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}`;
  } catch {
    return undefined;
  }
}

/**
 * Builds the challenge solver from config, as CWA-BD's images do: USING_EXTERNAL_BYPASSER picks FlareSolverr or
 * Byparr instead of our Chromium (the external image ships no browser); USE_CF_BYPASS=false keeps only stored and
 * extension clearance. `close()` stops Chromium and the bypasser connections.
 */
export function createBypass({
  config,
  store,
  askExtension,
  dns,
  logger = silentLogger,
}: {
  config: Pick<Config, 'bypass' | 'net' | 'annasArchive'>;
  store: ClearanceStore;
  askExtension?: AskExtension;
  /** The resolver our HTTP client uses (CUSTOM_DNS / DoH), so Chromium reaches the same addresses. */
  dns?: DnsResolver | undefined;
  logger?: Logger;
}): ChallengeSolver & { close(): Promise<void> } {
  const { bypass } = config;
  const solvers: { headless?: ClearanceSolver; external?: ClearanceSolver } = bypass.useExternal
    ? {
        external: createExternalSolver({
          url: bypass.externalUrl,
          path: bypass.externalPath,
          timeoutMs: bypass.externalTimeoutMs,
          logger,
        }),
      }
    : {
        headless: createHeadlessSolver({
          chromiumPath: bypass.chromiumPath,
          idleTimeoutMs: bypass.browserIdleTimeoutMs,
          proxyServer: toChromiumProxyServer(config.net),
          // Behind a proxy the proxy resolves names; pinning our own answers would bypass it.
          ...(dns && !toChromiumProxyServer(config.net)
            ? { resolveHost: async (hostname: string) => (await dns.resolve(hostname))[0]?.address }
            : {}),
          logger,
        }),
      };
  const solver = createChallengeSolver({
    store,
    ...solvers,
    ...(askExtension ? { askExtension } : {}),
    config: {
      useCfBypass: config.annasArchive.useCfBypass,
      // Without a bypass of our own the browser is the only path: wait as long as the request stays pending.
      extensionTimeoutMs: config.annasArchive.useCfBypass ? bypass.extensionTimeoutMs : bypass.clearanceRequestTtlMs,
    },
    logger,
  });
  return {
    solve: solver.solve,
    async close() {
      await Promise.all([solvers.headless?.close(), solvers.external?.close()]);
    },
  };
}
