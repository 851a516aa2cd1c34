import { storage } from 'wxt/utils/storage';

/**
 * Sites whose clearance the companion uses, each with the URL the browser last passed a check on (the URL to read
 * cookies for and to reopen). Kept in `storage.local` so a restarted service worker still watches them.
 */
export const clearanceSitesItem = storage.defineItem<Record<string, string>>('local:clearanceSites', {
  fallback: {},
  version: 1,
});
