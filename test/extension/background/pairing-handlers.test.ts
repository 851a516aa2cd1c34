import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCompanionConnection } from '../../../extension/background/companion-connection.js';
import { createMessageRouter } from '../../../extension/background/message-router.js';
import { isSentByExtensionPage, registerPairingHandlers } from '../../../extension/background/pairing-handlers.js';
import type { CompanionError } from '../../../extension/lib/companion-error.js';
import { sendMessage } from '../../../extension/lib/send-message.js';
import { connectionItem, preferencesItem, readEffectivePreferences } from '../../../extension/lib/settings.js';

// Nothing listens on port 1: connection refused at once, a real transport failure without a fake fetch.
const DEAD_COMPANION = 'http://127.0.0.1:1';
const TOKEN = `brt_${'a'.repeat(43)}`;

async function rejection(promise: Promise<unknown>): Promise<CompanionError> {
  return promise.then(
    () => {
      throw new Error('Expected the message to fail, got an answer');
    },
    (err: CompanionError) => err,
  );
}

describe('pairing handlers', () => {
  let granted: Set<string>;
  let fromExtensionPage: boolean;

  beforeEach(() => {
    fakeBrowser.reset();
    fromExtensionPage = true;
    granted = new Set(['http://127.0.0.1/*', 'http://localhost/*']);
    const router = createMessageRouter();
    // fakeBrowser has no permissions API: the check is injected, the way the handler takes it in production.
    registerPairingHandlers(router, createCompanionConnection(), {
      hasHostPermission: async (pattern) => granted.has(pattern),
      // fakeBrowser delivers messages with an empty sender; the real check has its own test below.
      isExtensionPage: (sender) => fromExtensionPage && sender !== undefined,
    });
    router.listen();
  });

  it('refuses a companion URL whose origin the extension may not reach, and stores nothing', async () => {
    const err = await rejection(sendMessage({ type: 'connection:set-url', url: '192.168.1.20:8084' }));
    expect(err.reason).toBe('permission-missing');
    expect(err.message).toContain('http://192.168.1.20:8084');
    expect((await connectionItem.getValue()).url).toBe('http://127.0.0.1:8084');
  });

  it('refuses what is not an http(s) URL with a bad-request reason', async () => {
    for (const url of ['ftp://127.0.0.1/', 'http://user:secret@127.0.0.1:8084', 'http://', '']) {
      const err = await rejection(sendMessage({ type: 'connection:set-url', url }));
      expect(err.reason).toBe('bad-request');
      expect(err.message).not.toContain('secret');
    }
  });

  it('stores a new origin without the old token and reports why it cannot connect', async () => {
    await connectionItem.setValue({ url: 'http://localhost:8084', token: TOKEN, deviceName: 'Chrome', tokenId: 4 });
    const state = await sendMessage({ type: 'connection:set-url', url: ` ${DEAD_COMPANION}/ ` });
    expect(await connectionItem.getValue()).toEqual({
      url: DEAD_COMPANION,
      token: null,
      deviceName: null,
      tokenId: null,
    });
    expect(state).toMatchObject({ status: 'offline', url: DEAD_COMPANION, deviceName: null });
    expect(state.error?.reason).toBe('unreachable');
  });

  it('keeps the token when only the path under the same origin changes (a reverse-proxy prefix)', async () => {
    await connectionItem.setValue({ url: DEAD_COMPANION, token: TOKEN, deviceName: 'Chrome', tokenId: 4 });
    await sendMessage({ type: 'connection:set-url', url: `${DEAD_COMPANION}/bookrelay/` });
    expect(await connectionItem.getValue()).toEqual({
      url: `${DEAD_COMPANION}/bookrelay`,
      token: TOKEN,
      deviceName: 'Chrome',
      tokenId: 4,
    });
  });

  it('asks for a code and a device name before pairing', async () => {
    expect((await rejection(sendMessage({ type: 'pair', code: ' ', deviceName: 'Chrome' }))).reason).toBe(
      'bad-request',
    );
    expect((await rejection(sendMessage({ type: 'pair', code: 'ABCD-EFGH', deviceName: '' }))).reason).toBe(
      'bad-request',
    );
  });

  it('a pairing attempt at an unreachable companion fails as unreachable and stores no token', async () => {
    const err = await rejection(
      sendMessage({ type: 'pair', code: 'ABCD-EFGH', deviceName: 'Chrome', url: DEAD_COMPANION }),
    );
    expect(err.reason).toBe('unreachable');
    expect(await connectionItem.getValue()).toMatchObject({ url: DEAD_COMPANION, token: null });
  });

  it('Unpair forgets the token even when the companion cannot be told, and says it was not revoked', async () => {
    await connectionItem.setValue({ url: DEAD_COMPANION, token: TOKEN, deviceName: 'Chrome on Linux', tokenId: 7 });
    const { state, revoked } = await sendMessage({ type: 'unpair' });
    expect(revoked).toBe(false);
    expect(state.deviceName).toBeNull();
    expect(await connectionItem.getValue()).toEqual({
      url: DEAD_COMPANION,
      token: null,
      deviceName: null,
      tokenId: null,
    });
  });

  it('preferences: companion defaults until set; lists are lower-cased and de-duplicated; empty means defaults', async () => {
    const initial = await sendMessage({ type: 'preferences:get' });
    expect(initial.preferences).toEqual({ formats: null, languages: null });
    expect(initial.defaults.formats).toContain('epub');

    const saved = await sendMessage({ type: 'preferences:set', formats: ['EPUB', ' pdf ', 'epub'], languages: [] });
    expect(saved.preferences).toEqual({ formats: ['epub', 'pdf'], languages: null });
    expect(await readEffectivePreferences()).toEqual({ formats: ['epub', 'pdf'], languages: ['en'] });
  });

  it('preferences: refuses anything but short codes, and keeps what was stored', async () => {
    await preferencesItem.setValue({ formats: ['epub'], languages: ['de'] });
    for (const formats of [['<img src=x>'], 'epub', Array.from({ length: 31 }, (_, i) => `f${i}`)]) {
      const err = await rejection(
        sendMessage({ type: 'preferences:set', formats: formats as string[], languages: null }),
      );
      expect(err.reason).toBe('bad-request');
    }
    expect(await preferencesItem.getValue()).toEqual({ formats: ['epub'], languages: ['de'] });
  });

  it('refuses pairing changes that do not come from an extension page', async () => {
    fromExtensionPage = false;
    await connectionItem.setValue({ url: DEAD_COMPANION, token: TOKEN, deviceName: 'Chrome', tokenId: 4 });
    const attempts = [
      sendMessage({ type: 'unpair' }),
      sendMessage({ type: 'connection:set-url', url: 'http://localhost:9999' }),
      sendMessage({ type: 'pair', code: 'ABCD-EFGH', deviceName: 'Evil', url: 'http://localhost:9999' }),
      sendMessage({ type: 'preferences:set', formats: ['pdf'], languages: null }),
    ];
    for (const attempt of attempts) expect((await rejection(attempt)).message).toContain('from the options page');
    expect((await connectionItem.getValue()).token).toBe(TOKEN);
    expect((await sendMessage({ type: 'preferences:get' })).preferences.formats).toBeNull();
  });
});

describe('isSentByExtensionPage', () => {
  it('accepts the extension’s own pages only', () => {
    const base = fakeBrowser.runtime.getURL('/');
    expect(isSentByExtensionPage({ url: `${base}options.html`, id: fakeBrowser.runtime.id })).toBe(true);
    expect(isSentByExtensionPage({ url: 'https://www.goodreads.com/book/show/1', id: fakeBrowser.runtime.id })).toBe(
      false,
    );
    expect(isSentByExtensionPage({ id: fakeBrowser.runtime.id })).toBe(false);
  });
});
