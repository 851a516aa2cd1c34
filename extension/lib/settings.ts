import { storage } from 'wxt/utils/storage';
import { toEffectivePreferences } from './effective-preferences.js';

/** Where the companion listens unless the user says otherwise (its embedded default). */
export const DEFAULT_COMPANION_URL = 'http://127.0.0.1:8084';

/** The paired companion: its origin, the device token and the name it was paired under (token never leaves here). */
export interface Connection {
  url: string;
  token: string | null;
  deviceName: string | null;
  /** Token id on the companion, shown so the user can find it in the web UI's device list. */
  tokenId: number | null;
}

export const connectionItem = storage.defineItem<Connection>('local:connection', {
  fallback: { url: DEFAULT_COMPANION_URL, token: null, deviceName: null, tokenId: null },
  version: 1,
});

/** Preferred formats and languages, most wanted first; `null` means "the companion's defaults". */
export interface Preferences {
  formats: string[] | null;
  languages: string[] | null;
}

export const preferencesItem = storage.defineItem<Preferences>('local:preferences', {
  fallback: { formats: null, languages: null },
  version: 1,
});

/** The companion's own defaults, as its last ping said (used where preferences are `null`). */
export const companionDefaultsItem = storage.defineItem<{ formats: string[]; languages: string[] }>(
  'local:companionDefaults',
  { fallback: { formats: ['epub', 'mobi', 'azw3', 'fb2', 'djvu', 'cbz', 'cbr'], languages: ['en'] }, version: 1 },
);

/** Effective preferences: the user's choice, else the companion's defaults. */
export async function readEffectivePreferences(): Promise<{ formats: string[]; languages: string[] }> {
  const [prefs, defaults] = await Promise.all([preferencesItem.getValue(), companionDefaultsItem.getValue()]);
  return toEffectivePreferences(prefs, defaults);
}
