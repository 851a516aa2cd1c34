/** Raw environment, as `process.env` or a literal object in tests. */
export type Env = Record<string, string | undefined>;

/** A bad setting: one line that names the variable and never echoes a secret value. */
export class ConfigError extends Error {
  override name = 'ConfigError' as const;
}

// Values that may carry credentials (a proxy URL's user:password, the member key): never repeated in a message.
const SECRET_VARS = new Set(['AA_DONATOR_KEY', 'HTTP_PROXY', 'HTTPS_PROXY', 'SOCKS5_PROXY']);
// Any other value that looks like it carries a credential (`user:pass@`, `?key=`) is hidden as well.
const LOOKS_SECRET = /@|[?&;](key|token|secret|pass(word)?|auth)=/i;

/** How a value may appear in an error: quoted, or "(value hidden)" when it is or may be a secret. */
export function shown(name: string, value: string): string {
  return SECRET_VARS.has(name) || LOOKS_SECRET.test(value) ? '(value hidden)' : JSON.stringify(value);
}

/** The first of `names` that is set to something other than blanks, with its trimmed value. */
export function raw(env: Env, ...names: string[]): [string, string] | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return [name, value];
  }
  return undefined;
}

export function readString(env: Env, names: string | string[], fallback: string): string {
  return raw(env, ...[names].flat())?.[1] ?? fallback;
}

export function readOptional(env: Env, name: string): string | undefined {
  return raw(env, name)?.[1];
}

// CWA-BD reads booleans as true iff the value is one of these; anything else that is not clearly false is an error.
const TRUE_WORDS = new Set(['true', 'yes', '1', 'y', 'on']);
const FALSE_WORDS = new Set(['false', 'no', '0', 'n', 'off']);

export function readBool(env: Env, name: string, fallback: boolean): boolean {
  const found = raw(env, name);
  if (!found) return fallback;
  const word = found[1].toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new ConfigError(`Expected ${name} to be true or false, got ${shown(name, found[1])}`);
}

export function readInt(env: Env, names: string | string[], fallback: number, min: number, max: number): number {
  const found = raw(env, ...[names].flat());
  if (!found) return fallback;
  const [name, value] = found;
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(`Expected ${name} to be a whole number from ${min} to ${max}, got ${shown(name, value)}`);
  }
  return parsed;
}

/** A comma-separated list, trimmed and lower-cased; empty entries dropped. */
export function readList(env: Env, name: string, fallback: string[]): string[] {
  const value = readOptional(env, name);
  if (!value) return fallback;
  const items = value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
  return items.length > 0 ? items : fallback;
}

/** An absolute URL with one of `protocols` (`http:`, `https:` by default), as given (trailing slashes kept). */
export function parseUrl(name: string, value: string, protocols = ['http:', 'https:']): URL {
  const expected = `Expected ${name} to be a URL like ${protocols[0]}//host:port`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${expected}, got ${shown(name, value)}`);
  }
  if (!protocols.includes(url.protocol) || !url.hostname) {
    throw new ConfigError(`${expected}, got ${shown(name, value)}`);
  }
  return url;
}

/** An http(s) URL without trailing slashes (a base to append paths to). */
export function readUrl(name: string, value: string): string {
  parseUrl(name, value);
  return value.replace(/\/+$/, '');
}

export function readUrlList(env: Env, name: string): string[] {
  const value = readOptional(env, name);
  if (!value) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => readUrl(name, item));
}

/**
 * An optional proxy URL (HTTP_PROXY: http/https, SOCKS5_PROXY: socks5/socks5h); checked, never echoed. Without a
 * scheme the first protocol is assumed (`proxy.lan:3128` → `http://proxy.lan:3128`, as CWA-BD's requests does).
 */
export function readProxyUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const value = readOptional(env, name);
  if (!value) return undefined;
  const url = value.includes('://') ? value : `${protocols[0]}//${value}`;
  parseUrl(name, url, protocols);
  return url;
}

/**
 * A comma list whose entries must be among `valid` (case-insensitive; `aliases` map other spellings to an entry).
 * The error lists the valid values, so the fix is in the message.
 */
export function readChoiceList(
  env: Env,
  name: string,
  fallback: string[],
  valid: readonly string[],
  { aliases = {}, hint }: { aliases?: Record<string, string>; hint?: (entry: string) => string | undefined } = {},
): string[] {
  const known = new Map(valid.map((v) => [v.toLowerCase(), v.toLowerCase()]));
  for (const [alias, to] of Object.entries(aliases)) known.set(alias.toLowerCase(), to.toLowerCase());
  const entries = readList(env, name, fallback);
  const unknown = entries.filter((entry) => !known.has(entry));
  if (unknown.length > 0) {
    const hints = unknown.map((entry) => hint?.(entry)).filter(Boolean);
    throw new ConfigError(
      `Unknown value${unknown.length > 1 ? 's' : ''} in ${name}: ${unknown.map((e) => JSON.stringify(e)).join(', ')}` +
        `${hints.length > 0 ? ` (${hints.join('; ')})` : ''}; valid: ${valid.join(', ')}`,
    );
  }
  return [...new Set(entries.map((entry) => known.get(entry) as string))];
}
