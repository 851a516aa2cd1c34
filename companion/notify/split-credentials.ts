/**
 * `https://user:pass@host/path` → the URL without credentials plus a Basic `authorization` header, so the target
 * can be fetched through the host guard (which refuses URLs that carry credentials) and the secret never sits in a
 * URL that could reach a log.
 */
export function splitCredentials(url: string): { url: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url, headers: {} };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return {
    url: parsed.toString(),
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  };
}
