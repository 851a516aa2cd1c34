/** What `navigator.userAgentData` offers in Chromium browsers (not in Firefox or Safari). */
export interface UserAgentDataLike {
  brands?: readonly { brand: string }[];
  platform?: string;
}

const BRANDS: readonly [pattern: RegExp, name: string][] = [
  [/edge/i, 'Edge'],
  [/opera/i, 'Opera'],
  [/brave/i, 'Brave'],
  [/vivaldi/i, 'Vivaldi'],
  [/google chrome/i, 'Chrome'],
  [/chromium|chrome/i, 'Chromium'],
];

// Order matters: Edge and Opera UAs also say "Chrome", and Chrome's says "Safari".
const UA_BROWSERS: readonly [pattern: RegExp, name: string][] = [
  [/firefox\//i, 'Firefox'],
  [/edg(e|a|ios)?\//i, 'Edge'],
  [/opr\//i, 'Opera'],
  [/vivaldi\//i, 'Vivaldi'],
  [/(headless)?chrom(e|ium)\//i, 'Chrome'],
  [/safari\//i, 'Safari'],
];

const UA_SYSTEMS: readonly [pattern: RegExp, name: string][] = [
  [/android/i, 'Android'],
  [/iphone|ipad|ipod/i, 'iOS'],
  [/cros/i, 'ChromeOS'],
  [/windows/i, 'Windows'],
  [/mac os x|macintosh/i, 'macOS'],
  [/linux/i, 'Linux'],
];

const PLATFORMS: Record<string, string> = {
  windows: 'Windows',
  macos: 'macOS',
  linux: 'Linux',
  'chrome os': 'ChromeOS',
  chromeos: 'ChromeOS',
  android: 'Android',
  ios: 'iOS',
};

function match(table: readonly [RegExp, string][], text: string): string | undefined {
  return table.find(([pattern]) => pattern.test(text))?.[1];
}

/**
 * A default device name for pairing such as "Chrome on Linux" or "Firefox on Windows", from `userAgentData` where
 * the browser has it (it names the real brand) and the user-agent string otherwise. Never empty.
 */
export function describeDevice({
  userAgent,
  userAgentData,
}: {
  userAgent: string;
  userAgentData?: UserAgentDataLike | undefined;
}): string {
  const brands = (userAgentData?.brands ?? []).map((b) => b.brand).filter((b) => !/not.?a.?brand/i.test(b));
  const browser =
    (brands.length > 0 ? BRANDS.find(([pattern]) => brands.some((b) => pattern.test(b)))?.[1] : undefined) ??
    match(UA_BROWSERS, userAgent) ??
    'Browser';
  const platform = userAgentData?.platform ? PLATFORMS[userAgentData.platform.toLowerCase()] : undefined;
  const system = platform ?? match(UA_SYSTEMS, userAgent);
  return system ? `${browser} on ${system}` : browser;
}

/** {@link describeDevice} for the running browser. */
export function readDeviceName(nav: Pick<Navigator, 'userAgent'> = globalThis.navigator): string {
  const userAgentData = (nav as { userAgentData?: UserAgentDataLike }).userAgentData;
  return describeDevice({ userAgent: nav.userAgent, userAgentData });
}
