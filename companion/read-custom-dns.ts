import { isIP } from 'node:net';
import { ConfigError, type Env, raw, shown } from './parse-env.js';

/** CWA-BD's resolver presets (the same names as `DNS_PRESETS` in net/create-dns-lookup.ts). */
export const CUSTOM_DNS_PRESETS = ['google', 'quad9', 'cloudflare', 'opendns'] as const;
// `auto`: system DNS, then DoH providers on failure; `system`: the system resolver (CWA-BD's newer name for none).
const KEYWORDS = ['auto', 'system'];

const VALID_FORMS = `valid: ${[...CUSTOM_DNS_PRESETS, ...KEYWORDS].join(', ')}, or a comma-separated list of resolver IPs (e.g. 1.1.1.1,9.9.9.9:5353,[2606:4700:4700::1111]:53)`;

const isPort = (text: string): boolean => /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;

/** One resolver address as node's Resolver takes it: an IP, `v4:port` or `[v6]:port`. */
function isResolverAddress(entry: string): boolean {
  if (isIP(entry) !== 0) return true;
  const v6 = /^\[(.+)\]:(\d+)$/.exec(entry);
  if (v6) return isIP(v6[1] as string) === 6 && isPort(v6[2] as string);
  const v4 = /^([\d.]+):(\d+)$/.exec(entry);
  return v4 !== null && isIP(v4[1] as string) === 4 && isPort(v4[2] as string);
}

/**
 * CUSTOM_DNS: a preset name (case-insensitive), `auto`, `system`, or a comma-separated list of resolver IPs.
 * Anything else is a one-line {@link ConfigError} listing the valid forms; unset is `undefined` (system resolver).
 */
export function readCustomDns(env: Env): string | undefined {
  const found = raw(env, 'CUSTOM_DNS');
  if (!found) return undefined;
  const value = found[1];
  const lower = value.toLowerCase();
  if (lower === 'system') return undefined;
  if ((CUSTOM_DNS_PRESETS as readonly string[]).includes(lower) || KEYWORDS.includes(lower)) return lower;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.find((entry) => !isResolverAddress(entry));
  if (entries.length === 0 || bad !== undefined) {
    const what =
      bad !== undefined && entries.length > 1 ? `the entry ${shown('CUSTOM_DNS', bad)}` : shown('CUSTOM_DNS', value);
    throw new ConfigError(`CUSTOM_DNS cannot be ${what}; ${VALID_FORMS}`);
  }
  return entries.join(',');
}
