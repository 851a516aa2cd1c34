/**
 * A notification target as logs may show it: scheme, host and port only. Webhook paths and ntfy topics work like
 * passwords (whoever knows them can post or read), and user:password@ never leaves the config.
 */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/***`;
  } catch {
    return '(invalid URL)';
  }
}
