import { CompanionError } from './companion-error.js';

/**
 * The companion URL as stored: scheme, host, port and any path prefix (a reverse proxy's `/bookrelay`), without a
 * trailing slash, query or fragment. A bare `192.168.1.10:8084` gets `http://`. Throws `bad-request` otherwise.
 */
export function normalizeCompanionUrl(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CompanionError('bad-request', `Expected a companion URL like http://127.0.0.1:8084, got "${trimmed}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new CompanionError('bad-request', `Expected an http:// or https:// companion URL, got "${trimmed}"`);
  }
  if (url.username || url.password) {
    throw new CompanionError('bad-request', 'Expected a companion URL without a user name or password in it');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The host-permission pattern for a companion URL: match patterns carry no port (`http://192.168.1.10/*`). */
export function toOriginPattern(companionUrl: string): string {
  const url = new URL(companionUrl);
  return `${url.protocol}//${url.hostname}/*`;
}
