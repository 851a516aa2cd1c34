import { HostNotAllowedError } from '../errors.js';

/** Decides whether the companion may fetch a URL on behalf of API input (SSRF guard). */
export interface HostGuard {
  /** Throws {@link HostNotAllowedError} unless the URL's scheme, host and port belong to a configured source. */
  check(url: string | URL): URL;
  isAllowed(url: string | URL): boolean;
  /**
   * For a redirect hop away from an allowed URL: configured origins, or any public host on a default port (file
   * servers hand off to CDNs, e.g. libgen's get.php); never loopback, private, link-local or `localhost`.
   */
  checkRedirect(url: string | URL): URL;
}

interface AllowedOrigin {
  protocol: string;
  hostname: string;
  port: string;
}

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

function normaliseHost(hostname: string): string {
  // WHATWG URL already folds case, decimal/hex/octal IPv4 (http://2130706433 → 127.0.0.1) and IDN; a trailing
  // dot names the same host in DNS, so it must not create a second spelling of an allowed one.
  return hostname.toLowerCase().replace(/\.$/, '');
}

function parseAllowed(entry: string): AllowedOrigin | undefined {
  try {
    const url = new URL(entry.includes('://') ? entry : `https://${entry}`);
    if (!(url.protocol in DEFAULT_PORT)) return undefined;
    return {
      protocol: url.protocol,
      hostname: normaliseHost(url.hostname),
      port: url.port || DEFAULT_PORT[url.protocol],
    };
  } catch {
    return undefined;
  }
}

const PRIVATE_IPV4 = [
  /^0\./,
  /^10\./,
  /^127\./,
  /^169\.254\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^192\.168\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
  /^(22[4-9]|2[3-5]\d)\./,
];

/** Whether a redirect target is an address only this machine or its network can reach (SSRF targets). */
export function isInternalHost(hostname: string): boolean {
  const host = normaliseHost(hostname).replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) {
    return true;
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return PRIVATE_IPV4.some((range) => range.test(host));
  if (host.includes(':')) {
    // IPv6: loopback, unspecified, unique-local, link-local, and IPv4-mapped addresses.
    return (
      host === '::1' || host === '::' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:')
    );
  }
  return !host.includes('.');
}

/**
 * Whether a URL found on a fetched page (a partner server, a libgen/z-lib host) may join the allowed origins: any
 * public host over http(s) without userinfo, but a loopback, private, link-local or `localhost` host only when that
 * exact origin is trusted (`TRUSTED_ORIGINS`: a LAN mirror, the test world). A hostile mirror page must not make the
 * companion GET the LAN or itself; this is the rule {@link HostGuard.checkRedirect} applies to redirect hops.
 */
export function mayDiscover(input: string | URL, trusted: readonly string[] = []): boolean {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return false;
  }
  if (!(url.protocol in DEFAULT_PORT) || url.username || url.password) return false;
  const hostname = normaliseHost(url.hostname);
  if (!hostname) return false;
  if (!isInternalHost(hostname)) return true;
  const port = url.port || DEFAULT_PORT[url.protocol];
  return trusted
    .map(parseAllowed)
    .some((origin) => origin?.protocol === url.protocol && origin.hostname === hostname && origin.port === port);
}

function describe(url: string | URL): string {
  try {
    const parsed = new URL(url);
    return parsed.host || parsed.protocol;
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * Builds a guard over the origins `allowed()` returns (source and mirror base URLs, read on every call so
 * mirror changes apply at once). IP literals, localhost, other ports, userinfo and non-http schemes pass only
 * when that exact origin is configured; https is accepted for a configured http origin, never the reverse.
 */
export function createHostGuard(allowed: () => string[]): HostGuard {
  const isAllowed = (input: string | URL): boolean => {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return false;
    }
    if (!(url.protocol in DEFAULT_PORT)) return false;
    // `http://annas-archive.org@evil.test/` is a request to evil.test; refuse any userinfo outright.
    if (url.username || url.password) return false;
    const hostname = normaliseHost(url.hostname);
    if (!hostname) return false;
    const port = url.port || DEFAULT_PORT[url.protocol];
    const upgradedDefault = url.protocol === 'https:' && port === DEFAULT_PORT['https:'];
    return allowed()
      .map(parseAllowed)
      .some((origin) => {
        if (origin === undefined || origin.hostname !== hostname) return false;
        if (origin.protocol === url.protocol) return origin.port === port;
        return origin.protocol === 'http:' && origin.port === DEFAULT_PORT['http:'] && upgradedDefault;
      });
  };
  const isAllowedRedirect = (input: string | URL): boolean => {
    if (isAllowed(input)) return true;
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return false;
    }
    if (!(url.protocol in DEFAULT_PORT) || url.username || url.password) return false;
    if (url.port && url.port !== DEFAULT_PORT[url.protocol]) return false;
    return !isInternalHost(url.hostname);
  };
  return {
    isAllowed,
    check(input) {
      if (!isAllowed(input)) throw new HostNotAllowedError(describe(input));
      return new URL(input);
    },
    checkRedirect(input) {
      if (!isAllowedRedirect(input)) throw new HostNotAllowedError(describe(input));
      return new URL(input);
    },
  };
}
