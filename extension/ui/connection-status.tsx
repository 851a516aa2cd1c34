import { describeCompanionError } from '../lib/companion-error.js';
import type { ConnectionState } from '../lib/messages.js';

const HEADLINES: Record<ConnectionState['status'], string> = {
  online: 'Connected',
  offline: 'Not connected',
  unpaired: 'Not paired',
  unknown: 'Not checked yet',
};

function isLoopbackUrl(url: string): boolean {
  try {
    const { hostname } = new URL(url);
    return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
  } catch {
    return false;
  }
}

/**
 * The companion connection as the background last saw it: a headline, the exact failure and what to do about it
 * ({@link describeCompanionError}). Text only; shared by the options page and the popup.
 */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  const problem = state.error ? describeCompanionError(state.error) : null;
  // An http:// LAN companion that Firefox cannot reach is often HTTPS-Only mode at work (extension-notes.md §0.6).
  const httpsOnlyHint =
    import.meta.env.BROWSER === 'firefox' &&
    state.error?.reason === 'unreachable' &&
    state.url.startsWith('http:') &&
    !isLoopbackUrl(state.url);
  return (
    <div class={`connection-status connection-status--${state.status}`} role="status" aria-live="polite">
      {/* A problem's title already says what the headline would (and more exactly). */}
      {!problem && (
        <p class="connection-status__headline">
          <strong>{HEADLINES[state.status]}</strong>
          {state.status === 'online' && (
            <span>
              {' '}
              to Bookrelay {state.version ?? ''} at {state.url}
            </span>
          )}
        </p>
      )}
      {problem && (
        <>
          <p class="connection-status__problem">{problem.title}</p>
          {problem.action && <p class="connection-status__action">{problem.action}</p>}
          {/* The companion's own words say which side is newer. */}
          {state.error?.reason === 'protocol-mismatch' && (
            <p class="connection-status__detail">{state.error.message}</p>
          )}
        </>
      )}
      {httpsOnlyHint && (
        <p class="connection-status__action">
          If Firefox's HTTPS-Only mode is on, it upgrades this http:// address to https://: add an exception for this
          extension page (Settings → Privacy &amp; Security → HTTPS-Only Mode → Manage Exceptions).
        </p>
      )}
    </div>
  );
}
