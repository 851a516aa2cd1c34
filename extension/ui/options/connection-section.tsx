import { useEffect, useState } from 'preact/hooks';
import { hasOriginAccess, requestOriginAccess } from '../../lib/origin-access.js';
import { sendMessage } from '../../lib/send-message.js';
import { ConnectionStatus } from '../connection-status.js';
import { describeFailure } from './describe-failure.js';
import { FormMessages } from './form-messages.js';
import type { OptionsSectionProps } from './section-props.js';

/** The companion URL (host access asked for on save) and the connection panel that names the exact failure. */
export function ConnectionSection({ state, onState, url, onUrlChange }: OptionsSectionProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Run-time access to a LAN/HTTPS companion can be withdrawn in the browser's settings; say so, and offer it again.
  const [accessMissing, setAccessMissing] = useState(false);
  useEffect(() => {
    if (!state.url) return;
    hasOriginAccess(state.url).then(
      (granted) => setAccessMissing(!granted),
      () => setAccessMissing(false),
    );
  }, [state.url, state.checkedAtMs]);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(describeFailure(err));
    } finally {
      setBusy(false);
    }
  }

  function save(event: Event) {
    event.preventDefault();
    let granted: Promise<boolean>;
    try {
      // Synchronously inside the click: the permission prompt needs the user's gesture.
      granted = requestOriginAccess(url);
    } catch (err) {
      setError(describeFailure(err));
      return;
    }
    void run(async () => {
      if (!(await granted)) {
        setError('Access to that address was not allowed, so the extension cannot reach the companion there.');
        return;
      }
      onState(await sendMessage({ type: 'connection:set-url', url }));
    });
  }

  return (
    <section aria-labelledby="connection-heading">
      <h2 id="connection-heading">Companion</h2>
      <form onSubmit={save}>
        <label>
          Companion URL
          <input
            type="text"
            inputMode="url"
            spellcheck={false}
            autoComplete="off"
            placeholder="http://127.0.0.1:8084"
            value={url}
            onInput={(event) => onUrlChange(event.currentTarget.value)}
          />
        </label>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Save and test
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(async () => onState(await sendMessage({ type: 'connection:test' })))}
          >
            Test connection
          </button>
        </div>
      </form>
      <FormMessages error={error} />
      {accessMissing && (
        <p class="error" role="alert">
          Bookrelay has no access to {new URL(state.url).origin} (it was not allowed, or was withdrawn).{' '}
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              const granted = requestOriginAccess(state.url);
              void run(async () => {
                if (await granted) onState(await sendMessage({ type: 'connection:test' }));
              });
            }}
          >
            Allow access
          </button>
        </p>
      )}
      <ConnectionStatus state={state} />
    </section>
  );
}
