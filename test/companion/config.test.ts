import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../companion/config.js';
import { DNS_PRESETS } from '../../companion/net/create-dns-lookup.js';
import { CUSTOM_DNS_PRESETS } from '../../companion/read-custom-dns.js';

describe('loadConfig', () => {
  it('runs on embedded defaults: loopback, port 8084, ./data and ./ingest', () => {
    const config = loadConfig({}, '/srv/bookrelay');
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 8084,
      extensionOrigins: [],
      allowedHosts: [],
      trustProxy: [],
    });
    expect(config.paths).toMatchObject({
      dataDir: '/srv/bookrelay/data',
      ingestDir: '/srv/bookrelay/ingest',
      stagingDir: path.join('/srv/bookrelay/data', 'staging'),
    });
    expect(config.downloads).toMatchObject({ maxConcurrent: 3, statusTimeoutMs: 3_600_000, useBookTitle: false });
    expect(config.downloads.supportedFormats).toEqual(['epub', 'mobi', 'azw3', 'fb2', 'djvu', 'cbz', 'cbr']);
    expect(config.annasArchive.baseUrl).toBe('auto');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("accepts CWA-BD's names unchanged", () => {
    const config = loadConfig({
      FLASK_HOST: '0.0.0.0',
      FLASK_PORT: '9000',
      INGEST_DIR: '/cwa-book-ingest',
      TMP_DIR: '/tmp/cwa',
      MAX_CONCURRENT_DOWNLOADS: '5',
      USE_BOOK_TITLE: 'yes',
      SUPPORTED_FORMATS: 'EPUB, pdf',
      BOOK_LANGUAGE: 'en,de',
      AA_ADDITIONAL_URLS: 'https://aa.example/,https://aa2.example',
      DEBUG: 'true',
    });
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 9000 });
    expect(config.paths.ingestDir).toBe('/cwa-book-ingest');
    expect(config.paths.stagingDir).toBe('/tmp/cwa');
    expect(config.downloads).toMatchObject({ maxConcurrent: 5, useBookTitle: true, supportedFormats: ['epub', 'pdf'] });
    expect(config.downloads.bookLanguages).toEqual(['en', 'de']);
    expect(config.annasArchive.mirrorUrls).toEqual(
      expect.arrayContaining(['https://aa.example', 'https://aa2.example']),
    );
    expect(config.log.level).toBe('debug');
  });

  it('HOST and PORT win over the FLASK_ aliases', () => {
    expect(loadConfig({ HOST: '::1', FLASK_HOST: '0.0.0.0', PORT: '1', FLASK_PORT: '2' }).server).toMatchObject({
      host: '::1',
      port: 1,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ MAX_CONCURRENT_DOWNLOADS: '0' }, /MAX_CONCURRENT_DOWNLOADS/],
    [{ USE_BOOK_TITLE: 'maybe' }, /USE_BOOK_TITLE/],
    [{ AA_BASE_URL: 'ftp://x' }, /AA_BASE_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ SOURCE_PRIORITY: 'aa-fast,telegram' }, /SOURCE_PRIORITY.*telegram/],
    [{ EXT_BYPASSER_PATH: 'v1' }, /EXT_BYPASSER_PATH/],
  ])('names the variable in the error for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats a secret value in an error', () => {
    const secret = 'http://user:hunter2@proxy';
    expect(() => loadConfig({ AA_ADDITIONAL_URLS: 'nota url' })).toThrow(/AA_ADDITIONAL_URLS/);
    let message = '';
    try {
      loadConfig({ AA_DONATOR_KEY: 'k', PORT: '-1', HTTP_PROXY: secret });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/PORT/);
    expect(message).not.toContain('hunter2');
  });

  it.each([
    ['HTTP_PROXY', 'http://user:s3cret@'],
    ['HTTP_PROXY', 'ftp://proxy.lan:3128'],
    ['HTTPS_PROXY', 'http://user:s3cret@[bad'],
    ['SOCKS5_PROXY', 'http://user:s3cret@proxy:1080'],
    ['AA_ADDITIONAL_URLS', 'https://user:s3cret@'],
    ['EXT_BYPASSER_URL', 'http://admin:s3cret@'],
  ])('a malformed %s is one line naming it, without the value', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain('s3cret');
    expect(message).not.toContain('\n');
  });

  it('takes well-formed proxy URLs as given (http:// assumed without a scheme, as CWA-BD)', () => {
    const config = loadConfig({
      HTTP_PROXY: 'http://user:pw@proxy.lan:3128',
      HTTPS_PROXY: 'https://proxy.lan:3129/',
      SOCKS5_PROXY: 'socks5h://127.0.0.1:9050',
    });
    expect(loadConfig({ HTTP_PROXY: 'proxy.lan:3128' }).net.httpProxy).toBe('http://proxy.lan:3128');
    expect(config.net).toMatchObject({
      httpProxy: 'http://user:pw@proxy.lan:3128',
      httpsProxy: 'https://proxy.lan:3129/',
      socks5Proxy: 'socks5h://127.0.0.1:9050',
    });
  });

  it('rejects unknown languages and formats and lists the valid ones', () => {
    expect(() => loadConfig({ BOOK_LANGUAGE: 'english' })).toThrow(
      /Unknown value in BOOK_LANGUAGE: "english" \(english is en\); valid: en, zh, ru, .*, de, /,
    );
    expect(() => loadConfig({ SUPPORTED_FORMATS: 'pdf,xyz' })).toThrow(
      /Unknown value in SUPPORTED_FORMATS: "xyz"; valid: epub, mobi, azw3, fb2, djvu, cbz, cbr, pdf, /,
    );
    expect(() => loadConfig({ BOOK_LANGUAGE: 'all,en' })).toThrow(/BOOK_LANGUAGE/);
  });

  it("accepts CWA-BD's language codes (any case, ISO 639-2 spellings), comma lists and all", () => {
    expect(loadConfig({ BOOK_LANGUAGE: 'en, DE,fre,pt-BR,zh-Hant' }).downloads.bookLanguages).toEqual([
      'en',
      'de',
      'fr',
      'pt-br',
      'zh-hant',
    ]);
    expect(loadConfig({ BOOK_LANGUAGE: 'all' }).downloads.bookLanguages).toEqual(['all']);
    expect(loadConfig({ SUPPORTED_FORMATS: 'EPUB,pdf,fb2.zip' }).downloads.supportedFormats).toEqual([
      'epub',
      'pdf',
      'fb2.zip',
    ]);
  });

  it('USING_TOR routes through the local SOCKS port and drops DNS and HTTP proxies', () => {
    const config = loadConfig({ USING_TOR: 'true', CUSTOM_DNS: 'google', USE_DOH: 'true', HTTP_PROXY: 'http://p:1' });
    expect(config.net).toMatchObject({ usingTor: true, useDoh: false, socks5Proxy: 'socks5://127.0.0.1:9050' });
    expect(config.net.customDns).toBeUndefined();
    expect(config.net.httpProxy).toBeUndefined();
  });

  describe('CUSTOM_DNS', () => {
    it.each([
      ['google', 'google'],
      ['Quad9', 'quad9'],
      ['CLOUDFLARE', 'cloudflare'],
      ['opendns', 'opendns'],
      ['auto', 'auto'],
      ['system', undefined],
      ['1.1.1.1', '1.1.1.1'],
      [' 8.8.8.8, 8.8.4.4 ', '8.8.8.8,8.8.4.4'],
      ['9.9.9.9:5353,2620:fe::fe,[2620:fe::9]:53', '9.9.9.9:5353,2620:fe::fe,[2620:fe::9]:53'],
    ])("accepts CWA-BD's form %j", (value, expected) => {
      expect(loadConfig({ CUSTOM_DNS: value }).net.customDns).toBe(expected);
    });

    it('knows the same presets as the resolver', () => {
      expect([...CUSTOM_DNS_PRESETS].sort()).toEqual(Object.keys(DNS_PRESETS).sort());
    });

    it.each([
      [
        'gogle',
        /^CUSTOM_DNS cannot be "gogle"; valid: google, quad9, cloudflare, opendns, auto, system, or a comma-separated list of resolver IPs/,
      ],
      ['1.1.1.1,dns.example', /^CUSTOM_DNS cannot be the entry "dns.example"; valid: google, /],
      ['1.1.1', /^CUSTOM_DNS cannot be "1.1.1"; valid: /],
      ['9.9.9.9:99999', /^CUSTOM_DNS cannot be "9.9.9.9:99999"; valid: /],
      ['https://dns.google/dns-query', /^CUSTOM_DNS cannot be "https:\/\/dns.google\/dns-query"; valid: /],
      [',,', /^CUSTOM_DNS cannot be ",,"; valid: /],
    ])('refuses %j with one line naming the variable and the valid forms', (value, message) => {
      let error: unknown;
      try {
        loadConfig({ CUSTOM_DNS: value });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    });
  });
});
