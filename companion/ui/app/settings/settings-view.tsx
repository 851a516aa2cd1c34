import type { ViewProps } from '../views.js';
import { AccountSection } from './account-section.js';
import { ConfigSection } from './config-section.js';
import { DiagnosticsSection } from './diagnostics-section.js';
import { ExtensionSection } from './extension-section.js';
import { TokensSection } from './tokens-section.js';
import { UsersSection } from './users-section.js';

/** Settings: the extension and pairing, tokens and devices, users, diagnostics, and the effective configuration. */
export function SettingsView({ isAdmin, authRequired, notify }: ViewProps) {
  return (
    <div class="settings">
      <ExtensionSection notify={notify} />
      <TokensSection notify={notify} />
      {isAdmin ? <UsersSection notify={notify} /> : null}
      {authRequired ? <AccountSection notify={notify} /> : null}
      <DiagnosticsSection />
      {isAdmin ? <ConfigSection /> : null}
    </div>
  );
}

export type Notify = ViewProps['notify'];
