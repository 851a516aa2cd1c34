import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ProtectedSitesSection } from '../protected-sites-section.js';
import type { OptionsSectionProps } from './section-props.js';

/** Partner servers and mirrors change host names all the time, so the relay needs access to any web origin. */
const ANY_WEB_ORIGIN = ['*://*/*'];

/**
 * Options: the sites behind a bot check (grant access per site), and access for the browser relay to download a
 * book from whichever file server the companion resolved. Both are optional permissions asked for from a click.
 */
export function RelayAccessSection({ state }: OptionsSectionProps) {
  const [granted, setGranted] = useState<boolean | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    void browser.permissions.contains({ origins: ANY_WEB_ORIGIN }).then(setGranted, () => setGranted(false));
  }, []);

  const allow = async () => {
    try {
      // Straight from the click: the prompt needs the user's gesture.
      const ok = await browser.permissions.request({ origins: ANY_WEB_ORIGIN });
      setGranted(ok);
      setMessage(ok ? null : 'Access was not granted; the companion keeps using its own paths.');
    } catch (err) {
      setMessage(`Could not ask for access: ${(err as Error).message}`);
    }
  };

  return (
    <>
      <ProtectedSitesSection reloadKey={`${state.status} ${state.url} ${state.deviceName ?? ''}`} />
      <section aria-labelledby="relay-access-title">
        <h2 id="relay-access-title">Downloads through this browser</h2>
        <p>
          When a site binds its check to your address, the companion cannot reuse the browser's pass. This browser then
          downloads the book itself and uploads it to the companion, which checks it like its own downloads.
        </p>
        {granted ? (
          <p>Browser downloads are allowed.</p>
        ) : (
          <button type="button" onClick={() => void allow()} disabled={granted === null}>
            Allow downloads from file servers
          </button>
        )}
        {message && <p role="alert">{message}</p>}
      </section>
    </>
  );
}
