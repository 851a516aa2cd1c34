import { useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import type { Notify } from './settings-view.js';

/** "Get the extension": the builds this companion serves, how to install them, and a pairing code. */
export function ExtensionSection({ notify }: { notify: Notify }) {
  const [code, setCode] = useState<{ code: string; expiresAtMs: number } | null>(null);
  const pair = async () => {
    try {
      setCode(await api<{ code: string; expiresAtMs: number }>('/auth/pairing-codes', { method: 'POST', body: {} }));
    } catch (err) {
      notify(`No pairing code: ${errorText(err)}`, true);
    }
  };
  return (
    <section aria-labelledby="extension-title">
      <h2 id="extension-title">Get the extension</h2>
      <ul class="link-list">
        <li>
          <a class="button" href="/downloads/bookrelay-chrome.zip" download>
            Chrome / Chromium / Edge (zip)
          </a>
        </li>
        <li>
          <a class="button" href="/downloads/bookrelay-firefox.zip" download>
            Firefox (zip)
          </a>
        </li>
      </ul>
      <ol class="steps">
        <li>
          Chrome: unzip, open chrome://extensions, turn on Developer mode, choose “Load unpacked” and pick the folder.
        </li>
        <li>Firefox: open about:debugging → This Firefox → “Load Temporary Add-on…” and pick the zip.</li>
        <li>Open the extension’s options, enter this companion’s address and the pairing code below.</li>
      </ol>
      <p>
        <button type="button" onClick={pair}>
          Show a pairing code
        </button>{' '}
        {code ? (
          <span role="status">
            <strong class="code">{code.code}</strong> (valid until {new Date(code.expiresAtMs).toLocaleTimeString()})
          </span>
        ) : null}
      </p>
    </section>
  );
}
