import type { SettingsConfigResponse } from '../../../../shared/web-ui-api.js';
import { useLoad } from '../use-load.js';

/** The effective configuration, read-only; secrets arrive masked from the companion. */
export function ConfigSection() {
  const [config] = useLoad<SettingsConfigResponse>('/settings/config');
  return (
    <section aria-labelledby="config-title">
      <h2 id="config-title">Configuration</h2>
      <p class="muted">Read-only: set these with environment variables and restart. Secrets are masked.</p>
      {config.kind === 'failed' ? <p class="error">{config.error}</p> : null}
      {config.kind === 'done' ? (
        <div class="table-wrap">
          <table class="config-table" aria-labelledby="config-title">
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {config.value.entries.map((entry) => (
                <tr key={entry.key}>
                  <th scope="row">{entry.key}</th>
                  <td class={entry.secret ? 'secret' : undefined}>{entry.value ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
