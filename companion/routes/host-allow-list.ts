import { isIP } from 'node:net';
import { hostname as osHostname } from 'node:os';
import type { MiddlewareHandler } from 'hono';
import type { ApiError } from '../../shared/errors.js';
import type { Logger } from '../logger.js';

/**
 * Name suffixes no one on the internet can point at the companion: mDNS (`.local`, RFC 6762), the home-network zones
 * (`.home.arpa`, RFC 8375; `.internal`, reserved by ICANN for private use) and the undelegated names home routers
 * hand out (`.lan`, `.localdomain`). A DNS-rebinding page needs a name its author controls in public DNS.
 */
const PRIVATE_SUFFIXES = ['.localhost', '.local', '.lan', '.localdomain', '.home.arpa', '.internal'];

/**
 * Whether a request's host name (as `URL.hostname` gives it: lower case, IPv6 in brackets) may reach the companion.
 * Always allowed: IP literals (a browser that typed an address resolved no name, so nothing was rebound), `localhost`,
 * single-label LAN names (`nas`), the private suffixes above and this machine's own host name. Public names only
 * when listed in `allowedHosts` (ALLOWED_HOSTS: `books.example.com`, or `.example.com` for every subdomain; `*`
 * turns the check off).
 */
export function isAllowedHost(
  hostname: string,
  { allowedHosts = [], machineName = osHostname() }: { allowedHosts?: readonly string[]; machineName?: string } = {},
): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (!host) return false;
  if (allowedHosts.includes('*')) return true;
  if (host.startsWith('[') && host.endsWith(']')) return isIP(host.slice(1, -1)) === 6;
  if (isIP(host) === 4) return true;
  if (host === 'localhost' || !host.includes('.')) return true;
  if (PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix))) return true;
  const machine = machineName.toLowerCase();
  if (machine && host === machine) return true;
  return allowedHosts.some((entry) =>
    entry.startsWith('.') ? host.endsWith(entry) || host === entry.slice(1) : host === entry,
  );
}

/**
 * Refuses requests whose `Host` is not a name of this companion with 421 and a JSON error, before any route or CORS
 * rule runs. This is what stops DNS rebinding: a page on `evil.example` whose name was re-pointed at 127.0.0.1 is
 * same-origin with itself, so only the Host it sends (`evil.example`) tells it apart.
 */
export function createHostAllowList({
  allowedHosts = [],
  logger,
  machineName,
}: {
  allowedHosts?: readonly string[];
  logger?: Logger;
  machineName?: string;
}): MiddlewareHandler {
  const reported = new Set<string>();
  return async (c, next) => {
    let hostname = '';
    try {
      hostname = new URL(c.req.url).hostname;
    } catch {
      // An unparsable URL is refused below with the empty name.
    }
    if (isAllowedHost(hostname, { allowedHosts, ...(machineName !== undefined && { machineName }) })) return next();
    // One warning per refused name, so a scanner cannot flood the log.
    if (logger && reported.size < 100 && !reported.has(hostname)) {
      reported.add(hostname);
      logger.warn('Refused a request for an unknown host name; add it to ALLOWED_HOSTS if it is this companion', {
        host: hostname.slice(0, 253),
      });
    }
    return c.json(
      {
        error: `Host ${JSON.stringify(hostname.slice(0, 253))} is not a name of this companion (set ALLOWED_HOSTS to allow it)`,
        code: 'forbidden',
      } satisfies ApiError,
      421,
    );
  };
}
