import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type ConnectionState, UNKNOWN_CONNECTION } from '../../lib/messages.js';
import { sendMessage } from '../../lib/send-message.js';
import { connectionItem } from '../../lib/settings.js';
import { ConnectionSection } from './connection-section.js';
import { PairingSection } from './pairing-section.js';
import { PreferencesSection } from './preferences-section.js';
import { RelayAccessSection } from './relay-access-section.js';
import type { OptionsSectionProps } from './section-props.js';

/** The options page, top to bottom; a new section is one more entry here. */
export const OPTIONS_SECTIONS: readonly FunctionComponent<OptionsSectionProps>[] = [
  ConnectionSection,
  PairingSection,
  PreferencesSection,
  RelayAccessSection,
];

/** Holds the connection state (from the background) and the URL being edited; the sections do the rest. */
export function OptionsApp() {
  const [state, setState] = useState<ConnectionState>(UNKNOWN_CONNECTION);
  const [url, setUrl] = useState('');

  useEffect(() => {
    void connectionItem.getValue().then((stored) => setUrl((typed) => typed || stored.url));
    void sendMessage({ type: 'connection:test' }).then(setState, () => {});
  }, []);

  return (
    <main>
      <header>
        <img src="/icon/48.png" alt="" width={48} height={48} />
        <h1>Bookrelay</h1>
      </header>
      {OPTIONS_SECTIONS.map((Section, index) => (
        <Section key={index} state={state} onState={setState} url={url} onUrlChange={setUrl} />
      ))}
    </main>
  );
}
