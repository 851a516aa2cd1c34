import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../companion/config.js';

describe('list and notification settings', () => {
  it('defaults: hourly checks of the real sites, no notifications', () => {
    const config = loadConfig({});
    expect(config.lists).toEqual({
      checkIntervalMs: 3_600_000,
      goodreadsUrl: 'https://www.goodreads.com',
      openLibraryUrl: 'https://openlibrary.org',
      hardcoverApiUrl: 'https://api.hardcover.app/v1/graphql',
    });
    expect(config.notify).toEqual({ webhookUrl: undefined, ntfyUrl: undefined, ntfyToken: undefined, attempts: 5 });
  });

  it('reads LIST_CHECK_INTERVAL, the base URLs and the notification targets', () => {
    const config = loadConfig({
      LIST_CHECK_INTERVAL: '900',
      GOODREADS_BASE_URL: 'http://127.0.0.1:9000/',
      NOTIFY_WEBHOOK_URL: 'https://hooks.example/bookrelay',
      NTFY_URL: 'https://ntfy.sh/my-topic',
      NTFY_TOKEN: 'tk_secret',
      NOTIFY_ATTEMPTS: '3',
    });
    expect(config.lists.checkIntervalMs).toBe(900_000);
    expect(config.lists.goodreadsUrl).toBe('http://127.0.0.1:9000');
    expect(config.notify).toEqual({
      webhookUrl: 'https://hooks.example/bookrelay',
      ntfyUrl: 'https://ntfy.sh/my-topic',
      ntfyToken: 'tk_secret',
      attempts: 3,
    });
  });

  it('bad values name the variable and never echo a notification URL', () => {
    expect(() => loadConfig({ LIST_CHECK_INTERVAL: '0' })).toThrow(/LIST_CHECK_INTERVAL/);
    expect(() => loadConfig({ OPENLIBRARY_BASE_URL: 'ftp://x' })).toThrow(ConfigError);
    try {
      loadConfig({ NOTIFY_WEBHOOK_URL: 'not a url with secret-path' });
      expect.unreachable();
    } catch (err) {
      expect(String(err)).toContain('NOTIFY_WEBHOOK_URL');
      expect(String(err)).not.toContain('secret-path');
    }
  });
});
