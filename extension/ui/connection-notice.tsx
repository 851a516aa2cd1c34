import { type CompanionErrorInfo, describeCompanionError } from '../lib/companion-error.js';
import type { ConnectionState } from '../lib/messages.js';

/** Whether the companion wants a (new) pairing rather than being unreachable. */
export function needsPairing(state: ConnectionState): boolean {
  return (
    state.status === 'unpaired' || state.error?.reason === 'unauthorized' || state.error?.reason === 'not-configured'
  );
}

/** The error to explain: a device that was never paired is "not paired", not "refused" (it sent no token). */
function explain(state: ConnectionState): CompanionErrorInfo | null {
  const error = state.error;
  if (error?.reason === 'unauthorized' && state.deviceName === null) {
    return { reason: 'not-configured', message: 'This companion needs pairing' };
  }
  return error;
}

export interface ConnectionNoticeProps {
  state: ConnectionState;
  onOpenOptions: () => void;
  onRetry: () => void;
}

/** The unpaired and offline states, each with its specific message and the one thing to do about it. */
export function ConnectionNotice({ state, onOpenOptions, onRetry }: ConnectionNoticeProps) {
  if (state.status === 'online') return null;
  if (state.status === 'unknown' && !state.error) {
    return (
      <p class="notice" role="status">
        Connecting to the companion…
      </p>
    );
  }
  const error = explain(state);
  const { title, action } = error ? describeCompanionError(error) : { title: 'Not connected', action: '' };
  return (
    <section class="notice notice-problem" role="alert" aria-label="Connection problem">
      <strong>{title}</strong>
      {action ? <p>{action}</p> : null}
      {needsPairing(state) ? (
        <button type="button" onClick={onOpenOptions}>
          Open options to pair
        </button>
      ) : (
        <button type="button" class="secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </section>
  );
}
