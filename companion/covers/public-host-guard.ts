import type { HostGuard } from '../net/host-guard.js';

/**
 * The companion's host guard as cover fetches need it: covers live on CDNs no source is configured for, so the
 * first URL is held to the redirect rule (configured origins, or public hosts on default ports; never loopback,
 * private or link-local addresses).
 */
export function publicHostGuard(guard: HostGuard): HostGuard {
  return {
    check: (url) => guard.checkRedirect(url),
    isAllowed: (url) => {
      try {
        guard.checkRedirect(url);
        return true;
      } catch {
        return false;
      }
    },
    checkRedirect: (url) => guard.checkRedirect(url),
  };
}
