import type { ConfigEntry } from '../../shared/web-ui-api.js';

/** Keys whose whole value is a secret (passwords, tokens, donator key, proxy settings that may hold credentials). */
const SECRET_KEY = /(password|passwd|secret|token|key|cookie|credential)/i;
const PROXY_KEY = /proxy/i;
const MASK = '••••••';

/** A URL with its user name and password replaced (proxy credentials); anything else unchanged. */
function maskUrlCredentials(value: string): { value: string; masked: boolean } {
  if (!value.includes('@') || !URL.canParse(value)) return { value, masked: false };
  const url = new URL(value);
  if (!url.username && !url.password) return { value, masked: false };
  return { value: `${url.protocol}//${MASK}@${url.host}${url.pathname === '/' ? '' : url.pathname}`, masked: true };
}

function toText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}

function maskEntry(key: string, value: unknown): ConfigEntry {
  const text = toText(value);
  if (text === null || text === '') return { key, value: text, secret: SECRET_KEY.test(key) };
  if (SECRET_KEY.test(key.split('.').at(-1) ?? key)) return { key, value: MASK, secret: true };
  const parts = text.split(', ').map(maskUrlCredentials);
  const masked = parts.some((part) => part.masked);
  // A proxy URL that could not be parsed may still carry credentials: hide it whole.
  if (PROXY_KEY.test(key) && !masked && text.includes('@')) return { key, value: MASK, secret: true };
  return { key, value: parts.map((part) => part.value).join(', '), secret: masked };
}

/** The effective configuration flattened to `section.name` entries, every secret masked (never sent to the page). */
export function maskConfig(config: object, prefix = ''): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  for (const [name, value] of Object.entries(config)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (value && typeof value === 'object' && !Array.isArray(value)) entries.push(...maskConfig(value, key));
    else entries.push(maskEntry(key, value));
  }
  return entries;
}
