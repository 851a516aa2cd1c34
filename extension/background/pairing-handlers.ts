import browser from 'webextension-polyfill';
import { CompanionError } from '../lib/companion-error.js';
import { normalizeCompanionUrl, toOriginPattern } from '../lib/companion-url.js';
import type { PreferencesView } from '../lib/messages.js';
import { companionDefaultsItem, connectionItem, preferencesItem } from '../lib/settings.js';
import type { CompanionConnection } from './companion-connection.js';
import type { MessageRouter } from './message-router.js';

/** Where a device revokes its own token on Unpair (companion/routes/auth.ts). */
export const REVOKE_CURRENT_TOKEN_PATH = '/api/auth/tokens/current';

const LIST_ITEM = /^[a-z0-9][a-z0-9_-]{0,15}$/;
const MAX_LIST_LENGTH = 30;

export interface PairingHandlerDeps {
  /** Whether the extension holds host permission for a match pattern (`permissions.contains`; not in fakeBrowser). */
  hasHostPermission?: (originPattern: string) => Promise<boolean>;
  /** Whether a message comes from one of the extension's own pages (not a content script in a web page). */
  isExtensionPage?: (sender: browser.Runtime.MessageSender) => boolean;
}

const containsHostPermission = (originPattern: string) => browser.permissions.contains({ origins: [originPattern] });

/** Content scripts run inside web pages; only the extension's own pages (options, popup) may change the pairing. */
export function isSentByExtensionPage(sender: browser.Runtime.MessageSender): boolean {
  return typeof sender.url === 'string' && sender.url.startsWith(browser.runtime.getURL('/'));
}

/** Lower-cased, de-duplicated list of short codes (`epub`, `en`); `null` stays `null` (companion defaults). */
function readList(value: unknown, what: string): string[] | null {
  if (value === null) return null;
  if (!Array.isArray(value) || value.length > MAX_LIST_LENGTH) {
    throw new CompanionError('bad-request', `Expected ${what} to be a list of at most ${MAX_LIST_LENGTH} codes`);
  }
  const items: string[] = [];
  for (const raw of value) {
    const item = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    if (!LIST_ITEM.test(item)) {
      throw new CompanionError(
        'bad-request',
        `Expected ${what} to hold codes like "epub" or "en", got ${JSON.stringify(raw)}`,
      );
    }
    if (!items.includes(item)) items.push(item);
  }
  return items.length > 0 ? items : null;
}

async function readPreferencesView(): Promise<PreferencesView> {
  const [preferences, defaults] = await Promise.all([preferencesItem.getValue(), companionDefaultsItem.getValue()]);
  return { preferences, defaults };
}

/**
 * The options page's messages: set the companion URL (host permission checked; the page requests it on the user's
 * click), pair with a one-time code, unpair (revoking the token on the companion when it answers), preferences.
 */
export function registerPairingHandlers(
  router: MessageRouter,
  connection: CompanionConnection,
  { hasHostPermission = containsHostPermission, isExtensionPage = isSentByExtensionPage }: PairingHandlerDeps = {},
): void {
  const requireExtensionPage = (sender: browser.Runtime.MessageSender) => {
    if (!isExtensionPage(sender)) {
      throw new CompanionError('bad-request', 'Expected this message from the options page, got it from a web page');
    }
  };

  /** Stores `input` as the companion URL; a different origin drops the old companion's token. */
  async function storeUrl(input: string): Promise<void> {
    const url = normalizeCompanionUrl(input);
    const pattern = toOriginPattern(url);
    if (!(await hasHostPermission(pattern))) {
      throw new CompanionError(
        'permission-missing',
        `The extension may not reach ${new URL(url).origin} yet: allow access when the browser asks`,
      );
    }
    const current = await connectionItem.getValue();
    if (current.url === url) return;
    const sameOrigin = URL.canParse(current.url) && new URL(current.url).origin === new URL(url).origin;
    await connectionItem.setValue(
      sameOrigin ? { ...current, url } : { url, token: null, deviceName: null, tokenId: null },
    );
  }

  router.on('connection:set-url', async ({ url }, sender) => {
    requireExtensionPage(sender);
    await storeUrl(String(url ?? ''));
    return connection.test();
  });

  router.on('pair', async ({ code, deviceName, url }, sender) => {
    requireExtensionPage(sender);
    if (typeof code !== 'string' || !code.trim()) throw new CompanionError('bad-request', 'Expected a pairing code');
    if (typeof deviceName !== 'string' || !deviceName.trim()) {
      throw new CompanionError('bad-request', 'Expected a device name');
    }
    if (url !== undefined) await storeUrl(String(url));
    const client = await connection.getClient();
    const paired = await client.pair({ code: code.trim(), deviceName: deviceName.trim() });
    const current = await connectionItem.getValue();
    await connectionItem.setValue({
      url: current.url,
      token: paired.token,
      deviceName: paired.name,
      tokenId: paired.id,
    });
    return connection.test();
  });

  router.on('unpair', async (_request, sender) => {
    requireExtensionPage(sender);
    const current = await connectionItem.getValue();
    let revoked = false;
    if (current.token) {
      try {
        await (await connection.getClient()).send(REVOKE_CURRENT_TOKEN_PATH, { method: 'DELETE' });
        revoked = true;
      } catch {
        // Offline or already revoked: the token is forgotten here anyway; the UI says to revoke it on the companion.
      }
    }
    await connectionItem.setValue({ url: current.url, token: null, deviceName: null, tokenId: null });
    return { state: await connection.test(), revoked };
  });

  router.on('preferences:get', () => readPreferencesView());

  router.on('preferences:set', async ({ formats, languages }, sender) => {
    requireExtensionPage(sender);
    await preferencesItem.setValue({
      formats: readList(formats, 'formats'),
      languages: readList(languages, 'languages'),
    });
    return readPreferencesView();
  });
}
