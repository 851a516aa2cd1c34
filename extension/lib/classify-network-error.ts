import type { CompanionErrorReason } from './companion-error.js';

/** What the classifier knows about the browser it runs in. */
export interface NetworkErrorContext {
  browser: 'chrome' | 'firefox';
  /** Chrome's `local-network-access` permission state, where the probe exists. */
  localNetworkAccess?: PermissionState | undefined;
}

// Chrome's LNA/PNA console and error wording: "…to access the `loopback` address space", "local network access",
// "Private Network Access" (extension-notes.md §0.7).
const LNA_WORDING = /address space|local[ -]network|private[ -]network/i;
// Firefox's wording when an upgraded https:// request meets a plain-http server.
const TLS_WORDING = /ssl|tls|https|secure connection|upgrade/i;

/** Every message in an error and its `cause` chain (fetch's TypeError hides the reason in `cause`). */
function collectMessages(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error || (typeof current === 'object' && 'message' in current)) {
      parts.push(String((current as { message: unknown }).message));
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(' | ');
}

/** Loopback or private (RFC 1918, link-local, `.local`) hosts: the ones Local Network Access guards. */
export function isLocalNetworkHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host.endsWith('.local')) return true;
  if (/^(fc|fd)[0-9a-f]{2}:/.test(host) || host.startsWith('fe80:')) return true;
  const octets = host.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return false;
  const [a, b] = octets as [number, number, number, number];
  return (
    a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
  );
}

/**
 * Names why a `fetch` to the companion failed without an answer: Chrome's Local Network Access block (its error
 * wording, or the permission probe said `denied` for a local host), Firefox upgrading `http:` to `https:`
 * (HTTPS-Only; the TLS wording), else `unreachable`.
 */
export function classifyNetworkError(err: unknown, url: URL, context: NetworkErrorContext): CompanionErrorReason {
  const text = collectMessages(err);
  if (LNA_WORDING.test(text)) return 'local-network-blocked';
  if (context.localNetworkAccess === 'denied' && isLocalNetworkHost(url.hostname)) return 'local-network-blocked';
  if (context.browser === 'firefox' && url.protocol === 'http:' && TLS_WORDING.test(text)) return 'https-upgrade';
  return 'unreachable';
}

/** Asks for Chrome's LNA permission state; undefined where the permission name is unknown (Firefox, older Chrome). */
export async function queryLocalNetworkAccess(
  permissions: Pick<Permissions, 'query'> | undefined = globalThis.navigator?.permissions,
): Promise<PermissionState | undefined> {
  try {
    const status = await permissions?.query({ name: 'local-network-access' as PermissionName });
    return status?.state;
  } catch {
    return undefined;
  }
}

/**
 * The companion client's `classifyNetworkError` for this browser: synchronous (the client needs an answer at
 * once), so the LNA permission is probed ahead and again after each failure, and the last answer is used.
 */
export function createNetworkErrorClassifier({
  browser,
  probeLocalNetworkAccess = queryLocalNetworkAccess,
}: {
  browser: NetworkErrorContext['browser'];
  probeLocalNetworkAccess?: () => Promise<PermissionState | undefined>;
}): (err: unknown, url: URL) => CompanionErrorReason {
  let localNetworkAccess: PermissionState | undefined;
  const refresh = () =>
    probeLocalNetworkAccess().then(
      (state) => {
        localNetworkAccess = state;
      },
      () => {},
    );
  void refresh();
  return (err, url) => {
    const reason = classifyNetworkError(err, url, { browser, localNetworkAccess });
    void refresh();
    return reason;
  };
}
