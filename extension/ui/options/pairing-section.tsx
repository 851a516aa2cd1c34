import { useState } from 'preact/hooks';
import { isCompanionError } from '../../lib/companion-error.js';
import { readDeviceName } from '../../lib/device-name.js';
import { requestOriginAccess } from '../../lib/origin-access.js';
import { sendMessage } from '../../lib/send-message.js';
import { describeFailure } from './describe-failure.js';
import { FormMessages } from './form-messages.js';
import type { OptionsSectionProps } from './section-props.js';

/** Pairing with the one-time code from the companion's web UI, and Unpair (which revokes the device token). */
export function PairingSection({ state, onState, url }: OptionsSectionProps) {
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState(() => readDeviceName());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const paired = state.deviceName !== null;
  const refused = state.error?.reason === 'unauthorized';

  function pair(event: Event) {
    event.preventDefault();
    setNotice(null);
    let granted: Promise<boolean>;
    try {
      granted = requestOriginAccess(url);
    } catch (err) {
      setError(describeFailure(err));
      return;
    }
    setBusy(true);
    setError(null);
    void (async () => {
      try {
        if (!(await granted)) {
          setError('Access to that address was not allowed, so the extension cannot pair with the companion there.');
          return;
        }
        onState(await sendMessage({ type: 'pair', code, deviceName, url }));
        setCode('');
      } catch (err) {
        // A 401 from /api/pair is about the code, not this device's token.
        setError(
          isCompanionError(err) && err.reason === 'unauthorized'
            ? `The companion did not accept the code: ${err.message}. Codes work once and expire after 10 minutes.`
            : describeFailure(err),
        );
      } finally {
        setBusy(false);
      }
    })();
  }

  async function unpair() {
    const name = state.deviceName;
    setBusy(true);
    setError(null);
    try {
      const result = await sendMessage({ type: 'unpair' });
      onState(result.state);
      setNotice(
        result.revoked
          ? `Unpaired. The companion revoked the token of “${name}”.`
          : `Unpaired here. The companion could not be reached: revoke “${name}” in its web UI.`,
      );
    } catch (err) {
      setError(describeFailure(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="pairing-heading">
      <h2 id="pairing-heading">Pairing</h2>
      {paired && (
        <div class="paired">
          <p>
            Paired as <strong>{state.deviceName}</strong>
          </p>
          <button type="button" disabled={busy} onClick={() => void unpair()}>
            Unpair
          </button>
        </div>
      )}
      {(!paired || refused) && (
        <form onSubmit={pair}>
          <p class="hint">
            Open the companion's web UI{url ? ` (${url})` : ''}, sign in and press “Show a pairing code”. Type the code
            here; the companion gives this browser its own token, which you can revoke there at any time.
          </p>
          <label>
            Pairing code
            <input
              type="text"
              autoComplete="one-time-code"
              spellcheck={false}
              placeholder="ABCD-EFGH"
              maxLength={32}
              value={code}
              onInput={(event) => setCode(event.currentTarget.value)}
            />
          </label>
          <label>
            Device name
            <input
              type="text"
              maxLength={100}
              value={deviceName}
              onInput={(event) => setDeviceName(event.currentTarget.value)}
            />
          </label>
          <div class="actions">
            <button type="submit" disabled={busy || !code.trim() || !deviceName.trim()}>
              {refused ? 'Pair again' : 'Pair'}
            </button>
          </div>
        </form>
      )}
      <FormMessages error={error} notice={notice} />
    </section>
  );
}
