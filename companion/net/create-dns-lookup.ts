import { promises as dns, lookup as systemLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { loadUndici } from './load-undici.js';

interface Preset {
  servers: string[];
  /** The DoH JSON API (`?name=&type=`); Google's lives at /resolve, not /dns-query (CWA-BD bug, fixed upstream). */
  dohUrl: string;
}

/** CWA-BD's presets (config.py), in shelfmark's `auto` rotation order. */
export const DNS_PRESETS: Record<string, Preset> = {
  cloudflare: { servers: ['1.1.1.1', '1.0.0.1'], dohUrl: 'https://cloudflare-dns.com/dns-query' },
  google: { servers: ['8.8.8.8', '8.8.4.4'], dohUrl: 'https://dns.google/resolve' },
  quad9: { servers: ['9.9.9.9', '149.112.112.112'], dohUrl: 'https://dns.quad9.net:5053/dns-query' },
  opendns: { servers: ['208.67.222.222', '208.67.220.220'], dohUrl: 'https://doh.opendns.com/dns-query' },
};

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** A resolver for undici's connector (`connect.lookup`); never patches the process-wide `dns.lookup`. */
export interface DnsResolver {
  lookup: LookupFunction;
  resolve(hostname: string): Promise<ResolvedAddress[]>;
  /** Moves `auto` mode to the next DoH provider (after mirror failures); returns its name. */
  rotate(): string;
  /** The provider in use: `system`, a preset name, `custom` or a DoH URL. */
  describe(): string;
  /** Closes the DoH connections (only those this resolver opened). */
  close(): Promise<void>;
}

export interface DnsOptions {
  /** CUSTOM_DNS: a preset name, `auto`, or a comma-separated list of resolver IPs. */
  customDns?: string | undefined;
  /** USE_DOH: query the preset's DoH JSON API instead of plain DNS. */
  useDoh?: boolean;
  /** Replaces the DoH endpoint(s): one URL, or the rotation list for `auto` (tests point this at a local server). */
  dohUrls?: string[];
  cacheTtlMs?: number;
  timeoutMs?: number;
  /** The dispatcher DoH queries go through (system DNS; never this resolver, or it would recurse). */
  dohDispatcher?: Dispatcher;
  now?: () => number;
  logger?: Logger;
}

type Strategy = (hostname: string) => Promise<ResolvedAddress[]>;

// Names that only the local system can answer: they never go to a public resolver.
function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return (
    isIP(name) !== 0 ||
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name.endsWith('.local') ||
    !name.includes('.')
  );
}

function resolveWithSystem(hostname: string): Promise<ResolvedAddress[]> {
  return new Promise((resolve, reject) => {
    systemLookup(hostname, { all: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 })));
    });
  });
}

function notFound(hostname: string, detail: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`DNS lookup failed for ${hostname} (${detail})`), { code: 'ENOTFOUND', hostname });
}

interface DohAnswer {
  type: number;
  data: string;
  TTL?: number;
}

/** One DoH JSON query (RFC 8484's JSON sibling as served by Google/Cloudflare): A or AAAA answers with the least TTL. */
async function queryDoh(
  dohUrl: string,
  hostname: string,
  type: 'A' | 'AAAA',
  dispatcher: Dispatcher | Promise<Dispatcher>,
  timeoutMs: number,
): Promise<{ addresses: ResolvedAddress[]; ttlMs: number }> {
  const { request } = await loadUndici();
  const url = new URL(dohUrl);
  url.searchParams.set('name', hostname);
  url.searchParams.set('type', type);
  const res = await request(url, {
    dispatcher: await dispatcher,
    headers: { accept: url.hostname === 'dns.google' ? 'application/json' : 'application/dns-json' },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw notFound(hostname, `DoH answered HTTP ${res.statusCode}`);
  }
  const json = (await res.body.json()) as { Status?: number; Answer?: DohAnswer[] };
  const wanted = type === 'A' ? 1 : 28;
  const answers = (json.Answer ?? []).filter((answer) => answer.type === wanted && isIP(answer.data) !== 0);
  const ttlMs = Math.min(...answers.map((answer) => (answer.TTL ?? 300) * 1000), Number.POSITIVE_INFINITY);
  return { addresses: answers.map((answer) => ({ address: answer.data, family: type === 'A' ? 4 : 6 })), ttlMs };
}

function parseServers(customDns: string): string[] {
  // Entries may carry a port (`9.9.9.9:5353`, `[::1]:53`), which node's Resolver accepts as is.
  return customDns
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => isIP(entry.replace(/^\[(.+)\](:\d+)?$/, '$1').replace(/^([\d.]+):\d+$/, '$1')) !== 0);
}

/**
 * Builds the resolver CUSTOM_DNS / USE_DOH ask for, or `undefined` for the system resolver. `auto` starts on
 * the system resolver and falls back to DoH providers (cloudflare → google → quad9 → opendns) on failure.
 * Answers are cached for `cacheTtlMs` (or the record's TTL, if shorter); local names always use the system.
 */
export function createDnsLookup({
  customDns,
  useDoh = false,
  dohUrls,
  cacheTtlMs = 300_000,
  timeoutMs = 5_000,
  dohDispatcher,
  now = Date.now,
  logger = silentLogger,
}: DnsOptions): DnsResolver | undefined {
  const setting = customDns?.trim().toLowerCase();
  if (!setting && !useDoh) return undefined;
  // Made on the first query, so undici loads then and not at start-up.
  let own: Promise<Dispatcher> | undefined;
  const dispatcher = () =>
    // biome-ignore lint/suspicious/noAssignInExpressions: memoised on first use
    dohDispatcher ?? (own ??= loadUndici().then(({ Agent }) => new Agent({ connect: { timeout: timeoutMs } })));
  const cache = new Map<string, { addresses: ResolvedAddress[]; expiresAtMs: number }>();

  const viaDoh =
    (dohUrl: string): Strategy =>
    async (hostname) => {
      const [a, aaaa] = await Promise.allSettled([
        queryDoh(dohUrl, hostname, 'A', dispatcher(), timeoutMs),
        queryDoh(dohUrl, hostname, 'AAAA', dispatcher(), timeoutMs),
      ]);
      // IPv4 first: home servers without IPv6 routes would otherwise stall on every AAAA answer.
      const found = [a, aaaa].flatMap((result) => (result.status === 'fulfilled' ? result.value.addresses : []));
      if (found.length === 0) {
        const failure = [a, aaaa].find((result) => result.status === 'rejected');
        throw failure?.status === 'rejected' ? failure.reason : notFound(hostname, 'no A or AAAA answer');
      }
      const ttls = [a, aaaa].flatMap((result) => (result.status === 'fulfilled' ? [result.value.ttlMs] : []));
      cache.set(hostname, { addresses: found, expiresAtMs: now() + Math.min(cacheTtlMs, ...ttls) });
      return found;
    };

  const viaServers = (servers: string[]): Strategy => {
    const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
    resolver.setServers(servers);
    return async (hostname) => {
      const [a, aaaa] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
      const found: ResolvedAddress[] = [
        ...(a.status === 'fulfilled' ? a.value.map((address) => ({ address, family: 4 as const })) : []),
        ...(aaaa.status === 'fulfilled' ? aaaa.value.map((address) => ({ address, family: 6 as const })) : []),
      ];
      if (found.length === 0) throw notFound(hostname, 'no A or AAAA answer');
      cache.set(hostname, { addresses: found, expiresAtMs: now() + cacheTtlMs });
      return found;
    };
  };

  let strategy: Strategy;
  let name: string;
  let rotate = () => name;
  const preset = setting ? DNS_PRESETS[setting] : undefined;
  if (setting === 'auto') {
    const rotation = dohUrls ?? Object.values(DNS_PRESETS).map((entry) => entry.dohUrl);
    const names = dohUrls ?? Object.keys(DNS_PRESETS);
    let index = 0;
    name = 'system';
    strategy = async (hostname) => {
      if (name === 'system') {
        try {
          return await resolveWithSystem(hostname);
        } catch (err) {
          logger.warn('System DNS failed; switching to DoH', { hostname, provider: names[index] });
          name = names[index] as string;
          if (!rotation[index]) throw err;
        }
      }
      return viaDoh(rotation[index] as string)(hostname);
    };
    rotate = () => {
      index = name === 'system' ? 0 : (index + 1) % rotation.length;
      name = names[index] as string;
      cache.clear();
      return name;
    };
  } else if (useDoh || dohUrls) {
    const url = dohUrls?.[0] ?? (preset ?? DNS_PRESETS.cloudflare)?.dohUrl;
    name = dohUrls?.[0] ?? setting ?? 'cloudflare';
    strategy = viaDoh(url as string);
  } else if (preset) {
    name = setting as string;
    strategy = viaServers(preset.servers);
  } else {
    const servers = parseServers(setting as string);
    if (servers.length === 0) return undefined;
    name = 'custom';
    strategy = viaServers(servers);
  }

  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    if (isLocalName(hostname)) return resolveWithSystem(hostname);
    const key = hostname.toLowerCase();
    const cached = cache.get(key);
    if (cached && cached.expiresAtMs > now()) return cached.addresses;
    return strategy(key);
  };

  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = family === 4 || family === 6 ? addresses.filter((entry) => entry.family === family) : addresses;
        const first = usable[0];
        if (!first) return callback(notFound(hostname, `no IPv${family} address`), '', 0);
        if (options.all) return (callback as unknown as (err: null, all: ResolvedAddress[]) => void)(null, usable);
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };

  return {
    lookup,
    resolve,
    rotate,
    describe: () => name,
    close: async () => {
      if (own) await (await own).close();
    },
  };
}
