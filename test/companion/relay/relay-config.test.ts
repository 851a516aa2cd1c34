import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../companion/config.js';

describe('browser hand-off configuration', () => {
  it('defaults: 30 s for the extension, requests pending 10 min, relay fallback on, jobs wait 1 h, no relay sites', () => {
    const config = loadConfig({}, '/srv/bookrelay');
    expect(config.bypass).toMatchObject({ extensionTimeoutMs: 30_000, clearanceRequestTtlMs: 600_000 });
    expect(config.relay).toEqual({ sites: [], fallback: true, timeoutMs: 3_600_000 });
  });

  it('reads EXTENSION_CLEARANCE_TIMEOUT, CLEARANCE_REQUEST_TTL, RELAY_SITES, RELAY_FALLBACK and RELAY_TIMEOUT', () => {
    const config = loadConfig({
      EXTENSION_CLEARANCE_TIMEOUT: '0',
      CLEARANCE_REQUEST_TTL: '120',
      RELAY_SITES: ' Annas-Archive.org , libgen.li ',
      RELAY_FALLBACK: 'false',
      RELAY_TIMEOUT: '900',
    });
    expect(config.bypass).toMatchObject({ extensionTimeoutMs: 0, clearanceRequestTtlMs: 120_000 });
    expect(config.relay).toEqual({ sites: ['annas-archive.org', 'libgen.li'], fallback: false, timeoutMs: 900_000 });
  });

  it.each([
    [{ RELAY_SITES: 'https://annas-archive.org' }, /RELAY_SITES.*host names.*"https:\/\/annas-archive.org"/],
    [{ RELAY_SITES: 'annas-archive.org/slow_download' }, /RELAY_SITES/],
    [{ RELAY_SITES: 'annas-archive.org:443' }, /RELAY_SITES/],
    [{ RELAY_TIMEOUT: '0' }, /RELAY_TIMEOUT to be a whole number from 1/],
    [{ RELAY_FALLBACK: 'sometimes' }, /RELAY_FALLBACK to be true or false/],
    [{ CLEARANCE_REQUEST_TTL: '5' }, /CLEARANCE_REQUEST_TTL to be a whole number from 10/],
    [{ EXTENSION_CLEARANCE_TIMEOUT: '-1' }, /EXTENSION_CLEARANCE_TIMEOUT/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
