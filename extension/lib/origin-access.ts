import browser from 'webextension-polyfill';
import { normalizeCompanionUrl, toOriginPattern } from './companion-url.js';

/** Chrome grants the manifest's host permissions at install for good; Firefox lets the user withdraw them later. */
function isGrantedAtInstall(pattern: string): boolean {
  if (import.meta.env.BROWSER === 'firefox') return false;
  return browser.runtime.getManifest().host_permissions?.includes(pattern) ?? false;
}

/**
 * Asks the browser for host access to a companion URL's origin. Call it straight from a click handler (the prompt
 * needs the user's gesture); origins granted at install (loopback) resolve at once without a prompt. Resolves
 * false when the user declines; throws `bad-request` for a URL that is not one.
 */
export function requestOriginAccess(input: string): Promise<boolean> {
  const pattern = toOriginPattern(normalizeCompanionUrl(input));
  // Headless Chromium never answers a prompt, so the statically granted origins must not ask at all.
  if (isGrantedAtInstall(pattern)) return Promise.resolve(true);
  return browser.permissions.request({ origins: [pattern] });
}

/** Whether the extension may reach a companion URL now (the user can withdraw run-time access at any time). */
export async function hasOriginAccess(input: string): Promise<boolean> {
  const pattern = toOriginPattern(normalizeCompanionUrl(input));
  return isGrantedAtInstall(pattern) || browser.permissions.contains({ origins: [pattern] });
}
