/**
 * Why a call to the companion failed, in words the options page and popup can explain (see
 * {@link describeCompanionError}). One type for every failure, like ky's HTTPError family collapsed to a `reason`.
 */
export type CompanionErrorReason =
  /** No companion URL or no token stored yet. */
  | 'not-configured'
  /** The extension has no host permission for the companion's origin. */
  | 'permission-missing'
  /** Nothing answered: wrong host/port, companion stopped, DNS, refused connection. */
  | 'unreachable'
  /** Chrome's Local Network Access (or Firefox's local-network permission) blocked the request. */
  | 'local-network-blocked'
  /** Firefox HTTPS-Only mode upgraded http:// to https:// and the companion speaks plain http. */
  | 'https-upgrade'
  /** Something answered, but not a Bookrelay companion (no identity header). */
  | 'not-bookrelay'
  /** 401: the token is missing, wrong or revoked. */
  | 'unauthorized'
  /** 412: the companion speaks another protocol version. */
  | 'protocol-mismatch'
  | 'timeout'
  | 'bad-request'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  /** The companion could not reach Anna's Archive (503 upstream-unreachable). */
  | 'upstream-unreachable'
  | 'server-error'
  /** The answer did not have the shape the protocol promises. */
  | 'bad-response';

/** The one error the companion client throws; `message` is the companion's own text when it sent one. */
export class CompanionError extends Error {
  override readonly name = 'CompanionError' as const;
  constructor(
    readonly reason: CompanionErrorReason,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isCompanionError(value: unknown): value is CompanionError {
  return value instanceof Error && value.name === 'CompanionError' && 'reason' in value;
}

/** A plain, message-safe form (errors do not survive `runtime.sendMessage`). */
export interface CompanionErrorInfo {
  reason: CompanionErrorReason;
  message: string;
  status?: number;
}

export function toCompanionErrorInfo(err: unknown): CompanionErrorInfo {
  if (isCompanionError(err)) {
    return { reason: err.reason, message: err.message, ...(err.status === undefined ? {} : { status: err.status }) };
  }
  return { reason: 'server-error', message: err instanceof Error ? err.message : String(err) };
}

/** What to tell the user, and what to do about it, for each reason. */
export function describeCompanionError({ reason, message }: Pick<CompanionErrorInfo, 'reason' | 'message'>): {
  title: string;
  action: string;
} {
  switch (reason) {
    case 'not-configured':
      return { title: 'Not paired with a companion', action: 'Open the options page and pair with a code.' };
    case 'permission-missing':
      return {
        title: 'The extension may not talk to this companion yet',
        action: 'Save the companion URL again in the options page and allow access when asked.',
      };
    case 'unreachable':
      return {
        title: 'The companion is unreachable',
        action: 'Check that it is running and that the URL (host and port) is right.',
      };
    case 'local-network-blocked':
      return {
        title: 'The browser blocked access to your local network',
        action:
          'Allow "Local network access" for Bookrelay: chrome://settings/content/localNetworkAccess (Chrome), or the local network devices permission (Firefox).',
      };
    case 'https-upgrade':
      return {
        title: 'Firefox upgraded the connection to HTTPS',
        action:
          'HTTPS-Only mode is on: add an exception for this extension page (Settings → Privacy & Security → HTTPS-Only Mode → Manage Exceptions), or serve the companion over HTTPS.',
      };
    case 'not-bookrelay':
      return {
        title: 'Something answered, but it is not a Bookrelay companion',
        action: 'Check the URL: it should be the address of the companion (port 8084 by default).',
      };
    case 'unauthorized':
      return {
        title: 'The companion refused this device (401)',
        action: 'The device token is wrong or was revoked: pair again with a new code.',
      };
    case 'protocol-mismatch':
      return {
        title: 'The extension and the companion speak different protocol versions',
        action: 'Update one side so both are the same release.',
      };
    case 'timeout':
      return { title: 'The companion did not answer in time', action: 'Try again; check the companion’s load.' };
    case 'upstream-unreachable':
      return { title: 'The companion cannot reach Anna’s Archive', action: message };
    default:
      return { title: message || 'The companion answered with an error', action: '' };
  }
}
