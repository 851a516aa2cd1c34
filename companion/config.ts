import { isIP } from 'node:net';
import path from 'node:path';
import { BOOK_FORMATS } from '../shared/book-formats.js';
import { BOOK_LANGUAGES } from '../shared/book-languages.js';
import {
  ConfigError,
  type Env,
  readBool,
  readChoiceList,
  readInt,
  readList,
  readOptional,
  readProxyUrl,
  readString,
  readUrl,
  readUrlList,
} from './parse-env.js';
import { readCustomDns } from './read-custom-dns.js';
import { type CandidateSourceId, parseSourcePriority } from './sources/resolve-candidates.js';

export { ConfigError, type Env };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  server: {
    host: string;
    port: number;
    extensionOrigins: string[];
    /** ALLOWED_HOSTS: public names the companion answers to beyond IP literals, localhost and LAN names. */
    allowedHosts: string[];
    /** TRUST_PROXY: reverse proxies (IPs or CIDRs) whose X-Forwarded-For names the client. */
    trustProxy: string[];
  };
  paths: { dataDir: string; ingestDir: string; stagingDir: string; databaseFile: string };
  downloads: {
    maxConcurrent: number;
    maxRetry: number;
    defaultSleepMs: number;
    statusTimeoutMs: number;
    stallTimeoutMs: number;
    useBookTitle: boolean;
    supportedFormats: string[];
    bookLanguages: string[];
    customScript: string | undefined;
    customScriptTimeoutMs: number;
  };
  annasArchive: {
    baseUrl: 'auto' | string;
    mirrorUrls: string[];
    donatorKey: string | undefined;
    prioritizeWelib: boolean;
    allowWelib: boolean;
    useCfBypass: boolean;
    libgenMirrors: string[];
    zlibMirrors: string[];
    welibMirrors: string[];
    /** `SOURCE_PRIORITY`, already checked against the known source ids; undefined = CWA-BD's order. */
    sourcePriority: CandidateSourceId[] | undefined;
    countdownMaxWaitMs: number;
    /** `TRUSTED_ORIGINS`: loopback/private origins that fetched pages may link to (otherwise refused). */
    trustedOrigins?: string[];
  };
  net: {
    customDns: string | undefined;
    useDoh: boolean;
    httpProxy: string | undefined;
    httpsProxy: string | undefined;
    noProxy: string | undefined;
    socks5Proxy: string | undefined;
    usingTor: boolean;
  };
  bypass: {
    chromiumPath: string;
    browserIdleTimeoutMs: number;
    useExternal: boolean;
    externalUrl: string;
    externalPath: string;
    externalTimeoutMs: number;
    /** EXTENSION_CLEARANCE_TIMEOUT: how long to wait for the browser extension before our own bypass paths. */
    extensionTimeoutMs: number;
    /** CLEARANCE_REQUEST_TTL: how long a clearance request stays pending for the extension. */
    clearanceRequestTtlMs: number;
  };
  relay: {
    /** RELAY_SITES: hosts whose files are always fetched by the browser (the browser download relay). */
    sites: string[];
    /** RELAY_FALLBACK: files the server cannot get past a challenge go to the browser relay instead of failing. */
    fallback: boolean;
    /** RELAY_TIMEOUT: how long a job waits for the browser to upload its file before it fails. */
    timeoutMs: number;
  };
  auth: { cwaDbPath: string | undefined };
  /** Watched shelves (issue 18): how often the companion reads them, and where (tests point these at the world). */
  lists: { checkIntervalMs: number; goodreadsUrl: string; openLibraryUrl: string; hardcoverApiUrl: string };
  /** Notifications when a book is placed or fails (NOTIFY_WEBHOOK_URL, NTFY_URL, NTFY_TOKEN). */
  notify: {
    webhookUrl: string | undefined;
    ntfyUrl: string | undefined;
    ntfyToken: string | undefined;
    attempts: number;
  };
  log: { level: LogLevel; debug: boolean };
}

const DEFAULT_AA_MIRRORS = ['https://annas-archive.org', 'https://annas-archive.se', 'https://annas-archive.li'];
const DEFAULT_FORMATS = ['epub', 'mobi', 'azw3', 'fb2', 'djvu', 'cbz', 'cbr'];
const HTTP_PROXY_SCHEMES = ['http:', 'https:'];

/** RELAY_SITES: comma-separated host names (no scheme, port or path), lower-cased. */
function readHostList(env: Env, name: string): string[] {
  const hosts = readList(env, name, []);
  for (const host of hosts) {
    if (!/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(host)) {
      throw new ConfigError(`Expected ${name} to list host names like annas-archive.org, got ${JSON.stringify(host)}`);
    }
  }
  return hosts;
}

/** A notification target: its path or user:password may be a secret, so a bad value is never echoed. */
function readOptionalUrl(env: Env, name: string): string | undefined {
  const value = readOptional(env, name);
  if (!value) return undefined;
  try {
    return readUrl(name, value);
  } catch {
    throw new ConfigError(`Expected ${name} to be an http(s) URL (value hidden)`);
  }
}

function readExtensionOrigins(env: Env): string[] {
  const value = readOptional(env, 'EXTENSION_ORIGINS');
  if (!value) return [];
  return value.split(',').map((entry) => {
    const origin = entry.trim().toLowerCase().replace(/\/+$/, '');
    if (!/^(chrome-extension|moz-extension|safari-web-extension):\/\/[a-z0-9-]{1,64}$/.test(origin)) {
      throw new ConfigError(
        `Expected EXTENSION_ORIGINS to list extension origins like chrome-extension://<id>, got ${JSON.stringify(entry.trim())}`,
      );
    }
    return origin;
  });
}

/** ALLOWED_HOSTS: host names (`books.example.com`), `.example.com` for subdomains, URLs (their host is taken) or `*`. */
function readAllowedHosts(env: Env): string[] {
  return readList(env, 'ALLOWED_HOSTS', []).map((entry) => {
    if (entry === '*') return entry;
    let host = entry;
    if (entry.includes('://')) {
      try {
        host = new URL(entry).hostname;
      } catch {
        host = '';
      }
    } else if (!entry.startsWith('[')) {
      host = entry.replace(/:\d+$/, '');
    } else {
      host = entry.replace(/\]:\d+$/, ']');
    }
    if (
      !/^\.?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(host) &&
      !(host.startsWith('[') && isIP(host.slice(1, -1)) === 6)
    ) {
      throw new ConfigError(
        `Expected ALLOWED_HOSTS to list host names like books.example.com or .example.com, got ${JSON.stringify(entry)}`,
      );
    }
    return host;
  });
}

/** TRUST_PROXY: addresses or CIDR ranges of reverse proxies (`127.0.0.1`, `172.16.0.0/12`, `::1`). */
function readTrustProxy(env: Env): string[] {
  return readList(env, 'TRUST_PROXY', []).map((entry) => {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
    if (family === 0 || !bitsOk || extra !== undefined) {
      throw new ConfigError(
        `Expected TRUST_PROXY to list proxy addresses or CIDR ranges like 172.16.0.0/12, got ${JSON.stringify(entry)}`,
      );
    }
    return entry;
  });
}

/** BOOK_LANGUAGE: AA language codes (or their ISO 639-2 spellings), or `all` for no default language filter. */
function readBookLanguages(env: Env): string[] {
  const aliases: Record<string, string> = { all: 'all' };
  for (const { code, aliases: others = [] } of BOOK_LANGUAGES) for (const alias of others) aliases[alias] = code;
  const byName = new Map(BOOK_LANGUAGES.map(({ code, name }) => [name.toLowerCase(), code]));
  const codes = BOOK_LANGUAGES.map(({ code }) => code);
  const languages = readChoiceList(env, 'BOOK_LANGUAGE', ['en'], codes, {
    aliases,
    hint: (entry) => (byName.has(entry) ? `${entry} is ${byName.get(entry)}` : undefined),
  });
  if (languages.includes('all') && languages.length > 1) {
    throw new ConfigError('Expected BOOK_LANGUAGE to be all on its own, or a list of language codes without all');
  }
  return languages;
}

function readSourcePriority(env: Env): CandidateSourceId[] | undefined {
  const value = readOptional(env, 'SOURCE_PRIORITY');
  if (!value) return undefined;
  const parsed = parseSourcePriority(value);
  if (!parsed.ok) throw new ConfigError(`SOURCE_PRIORITY: ${parsed.error}`);
  return parsed.value;
}

function readLogLevel(env: Env, debug: boolean): LogLevel {
  if (debug) return 'debug';
  const value = readString(env, 'LOG_LEVEL', 'info').toLowerCase();
  const mapped: Record<string, LogLevel> = {
    debug: 'debug',
    info: 'info',
    warn: 'warn',
    warning: 'warn',
    error: 'error',
    critical: 'error',
  };
  const level = mapped[value];
  if (!level)
    throw new ConfigError(`Expected LOG_LEVEL to be debug, info, warning or error, got ${JSON.stringify(value)}`);
  return level;
}

/**
 * Reads and validates the whole configuration once. Accepts CWA-BD's variable names (FLASK_PORT, FLASK_HOST, …)
 * as aliases. Throws {@link ConfigError} naming the variable on a bad value.
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): Readonly<Config> {
  const dataDir = path.resolve(cwd, readString(env, 'DATA_DIR', './data'));
  const ingestDir = path.resolve(cwd, readString(env, 'INGEST_DIR', './ingest'));
  const stagingDir = path.resolve(cwd, readString(env, 'TMP_DIR', path.join(dataDir, 'staging')));
  const debug = readBool(env, 'DEBUG', false);
  const usingTor = readBool(env, 'USING_TOR', false);
  const baseUrlRaw = readString(env, 'AA_BASE_URL', 'auto');
  const baseUrl = baseUrlRaw.toLowerCase() === 'auto' ? 'auto' : readUrl('AA_BASE_URL', baseUrlRaw);
  const additional = readUrlList(env, 'AA_ADDITIONAL_URLS');
  const mirrorUrls = [...new Set([...(baseUrl === 'auto' ? [] : [baseUrl]), ...DEFAULT_AA_MIRRORS, ...additional])];
  const externalUrl = readUrl('EXT_BYPASSER_URL', readString(env, 'EXT_BYPASSER_URL', 'http://flaresolverr:8191'));
  const externalPath = readString(env, 'EXT_BYPASSER_PATH', '/v1');
  if (!externalPath.startsWith('/')) {
    throw new ConfigError(`Expected EXT_BYPASSER_PATH to start with /, got ${JSON.stringify(externalPath)}`);
  }
  const customScript = readOptional(env, 'CUSTOM_SCRIPT');

  const config: Config = {
    server: {
      host: readString(env, ['HOST', 'FLASK_HOST'], '127.0.0.1'),
      port: readInt(env, ['PORT', 'FLASK_PORT'], 8084, 0, 65535),
      extensionOrigins: readExtensionOrigins(env),
      allowedHosts: readAllowedHosts(env),
      trustProxy: readTrustProxy(env),
    },
    paths: { dataDir, ingestDir, stagingDir, databaseFile: path.join(dataDir, 'bookrelay.sqlite') },
    downloads: {
      maxConcurrent: readInt(env, 'MAX_CONCURRENT_DOWNLOADS', 3, 1, 32),
      maxRetry: readInt(env, 'MAX_RETRY', 10, 0, 100),
      defaultSleepMs: readInt(env, 'DEFAULT_SLEEP', 5, 0, 3600) * 1000,
      statusTimeoutMs: readInt(env, 'STATUS_TIMEOUT', 3600, 1, 31_536_000) * 1000,
      stallTimeoutMs: readInt(env, 'STALL_TIMEOUT', 300, 5, 86_400) * 1000,
      useBookTitle: readBool(env, 'USE_BOOK_TITLE', false),
      supportedFormats: readChoiceList(env, 'SUPPORTED_FORMATS', DEFAULT_FORMATS, BOOK_FORMATS),
      bookLanguages: readBookLanguages(env),
      customScript: customScript ? path.resolve(cwd, customScript) : undefined,
      customScriptTimeoutMs: readInt(env, 'CUSTOM_SCRIPT_TIMEOUT', 300, 1, 86_400) * 1000,
    },
    annasArchive: {
      baseUrl,
      mirrorUrls,
      donatorKey: readOptional(env, 'AA_DONATOR_KEY'),
      prioritizeWelib: readBool(env, 'PRIORITIZE_WELIB', false),
      allowWelib: readBool(env, 'ALLOW_USE_WELIB', true),
      useCfBypass: readBool(env, 'USE_CF_BYPASS', true),
      libgenMirrors: readUrlList(env, 'LIBGEN_MIRROR_URLS'),
      zlibMirrors: readUrlList(env, 'ZLIB_MIRROR_URLS'),
      welibMirrors: readUrlList(env, 'WELIB_MIRROR_URLS'),
      sourcePriority: readSourcePriority(env),
      countdownMaxWaitMs: readInt(env, 'AA_COUNTDOWN_MAX_WAIT', 600, 0, 3600) * 1000,
      trustedOrigins: readUrlList(env, 'TRUSTED_ORIGINS'),
    },
    net: {
      // USING_TOR forces DNS and proxies off, as CWA-BD's tor image does.
      customDns: usingTor ? undefined : readCustomDns(env),
      useDoh: usingTor ? false : readBool(env, 'USE_DOH', false),
      httpProxy: usingTor ? undefined : readProxyUrl(env, 'HTTP_PROXY', HTTP_PROXY_SCHEMES),
      httpsProxy: usingTor ? undefined : readProxyUrl(env, 'HTTPS_PROXY', HTTP_PROXY_SCHEMES),
      noProxy: readOptional(env, 'NO_PROXY'),
      socks5Proxy:
        readProxyUrl(env, 'SOCKS5_PROXY', ['socks5:', 'socks5h:']) ??
        (usingTor ? 'socks5://127.0.0.1:9050' : undefined),
      usingTor,
    },
    bypass: {
      chromiumPath: readString(env, 'CHROMIUM_PATH', '/usr/bin/chromium'),
      browserIdleTimeoutMs:
        readInt(
          env,
          'BYPASS_BROWSER_IDLE_TIMEOUT',
          readInt(env, 'BYPASS_RELEASE_INACTIVE_MIN', 5, 0, 1440) * 60,
          0,
          86_400,
        ) * 1000,
      useExternal: readBool(env, 'USING_EXTERNAL_BYPASSER', false),
      externalUrl,
      externalPath,
      externalTimeoutMs: readInt(env, 'EXT_BYPASSER_TIMEOUT', 60_000, 1000, 600_000),
      extensionTimeoutMs: readInt(env, 'EXTENSION_CLEARANCE_TIMEOUT', 30, 0, 3600) * 1000,
      clearanceRequestTtlMs: readInt(env, 'CLEARANCE_REQUEST_TTL', 600, 10, 86_400) * 1000,
    },
    relay: {
      sites: readHostList(env, 'RELAY_SITES'),
      fallback: readBool(env, 'RELAY_FALLBACK', true),
      timeoutMs: readInt(env, 'RELAY_TIMEOUT', 3600, 1, 604_800) * 1000,
    },
    auth: { cwaDbPath: readOptional(env, 'CWA_DB_PATH') },
    lists: {
      checkIntervalMs: readInt(env, 'LIST_CHECK_INTERVAL', 3600, 1, 604_800) * 1000,
      goodreadsUrl: readUrl('GOODREADS_BASE_URL', readString(env, 'GOODREADS_BASE_URL', 'https://www.goodreads.com')),
      openLibraryUrl: readUrl(
        'OPENLIBRARY_BASE_URL',
        readString(env, 'OPENLIBRARY_BASE_URL', 'https://openlibrary.org'),
      ),
      hardcoverApiUrl: readUrl(
        'HARDCOVER_API_URL',
        readString(env, 'HARDCOVER_API_URL', 'https://api.hardcover.app/v1/graphql'),
      ),
    },
    notify: {
      webhookUrl: readOptionalUrl(env, 'NOTIFY_WEBHOOK_URL'),
      ntfyUrl: readOptionalUrl(env, 'NTFY_URL'),
      ntfyToken: readOptional(env, 'NTFY_TOKEN'),
      attempts: readInt(env, 'NOTIFY_ATTEMPTS', 5, 1, 20),
    },
    log: { level: readLogLevel(env, debug), debug },
  };
  return Object.freeze(config);
}
