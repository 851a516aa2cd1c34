import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCompanionConnection } from '../../../extension/background/companion-connection.js';
import { connectionItem } from '../../../extension/lib/settings.js';

// Nothing listens on port 1: a real connection refusal, as for a stopped companion.
const NOWHERE = 'http://127.0.0.1:1';

describe('companion connection test', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await connectionItem.setValue({ url: NOWHERE, token: null, deviceName: null, tokenId: null });
  });

  it('names a withdrawn host permission instead of "unreachable"', async () => {
    const connection = createCompanionConnection({ hasAccess: async () => false });
    const state = await connection.test();
    expect(state).toMatchObject({ status: 'offline', error: { reason: 'permission-missing' } });
  });

  it('says unreachable when the extension has access and nothing answers', async () => {
    const asked: string[] = [];
    const connection = createCompanionConnection({
      hasAccess: async (url) => {
        asked.push(url);
        return true;
      },
    });
    expect(await connection.test()).toMatchObject({ status: 'offline', error: { reason: 'unreachable' } });
    expect(asked).toEqual([NOWHERE]);
  });
});
