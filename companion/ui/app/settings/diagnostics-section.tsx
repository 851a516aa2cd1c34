import type { DiskResponse, MirrorsResponse } from '../../../../shared/web-ui-api.js';
import { useLoad } from '../use-load.js';

interface SiteStatus {
  site: string;
  hasClearance: boolean;
  source?: string | null;
  expiresAtMs?: number | null;
  lastPath?: string | null;
  lastSuccessAtMs?: number | null;
  lastPurgeReason?: string | null;
}

const when = (ms: number | null | undefined) => (ms ? new Date(ms).toLocaleString() : 'never');

/** Bytes as people read them ("12.3 GB"). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function parkedText(until: number | string | null | undefined): string {
  if (until === null || until === undefined) return '';
  const date = new Date(until);
  return Number.isNaN(date.getTime()) ? ` until ${until}` : ` until ${date.toLocaleTimeString()}`;
}

/** Diagnostics: Anna's Archive mirrors, how each protected site was last passed, and disk space for new books. */
export function DiagnosticsSection() {
  const [mirrors] = useLoad<MirrorsResponse>('/diagnostics/mirrors');
  const [sites] = useLoad<{ sites: SiteStatus[] }>('/clearance');
  const [disk] = useLoad<DiskResponse>('/settings/disk');
  return (
    <section aria-labelledby="diagnostics-title">
      <h2 id="diagnostics-title">Diagnostics</h2>
      <h3>Anna’s Archive mirrors</h3>
      {mirrors.kind === 'loading' ? <p class="muted">Checking…</p> : null}
      {mirrors.kind === 'failed' ? <p class="muted">Mirror diagnostics are unavailable on this companion.</p> : null}
      {mirrors.kind === 'done' ? (
        <ul class="plain-list" aria-label="Mirrors">
          {mirrors.value.mirrors.map((mirror) => (
            <li key={mirror.url} class="setting-row">
              <div>
                <strong>{mirror.site}</strong>{' '}
                <span class={`state state-${mirror.state}`}>
                  {mirror.state}
                  {mirror.state === 'parked' ? parkedText(mirror.parkedUntil) : ''}
                </span>
                <span class="muted">
                  {mirror.searchPath ? ` · search via ${mirror.searchPath}` : ''}
                  {mirror.lastError ? ` · last error: ${mirror.lastError}` : ''}
                </span>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <h3>Protected sites</h3>
      {sites.kind === 'failed' ? <p class="muted">Unavailable: {sites.error}</p> : null}
      {sites.kind === 'done' && sites.value.sites.length === 0 ? (
        <p class="muted">No site has challenged the companion yet.</p>
      ) : null}
      {sites.kind === 'done' ? (
        <ul class="plain-list" aria-label="Protected sites">
          {sites.value.sites.map((site) => (
            <li key={site.site} class="setting-row">
              <div>
                <strong>{site.site}</strong>
                <span class="muted">
                  {' '}
                  · last passed by {site.lastPath ?? 'nothing yet'} ({when(site.lastSuccessAtMs)})
                  {site.hasClearance ? ` · clearance valid until ${when(site.expiresAtMs)}` : ' · no clearance now'}
                </span>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <h3>Ingest folder</h3>
      {disk.kind === 'done' ? (
        <p>
          <code>{disk.value.path}</code>:{' '}
          {disk.value.freeBytes === null
            ? (disk.value.error ?? 'unknown')
            : `${formatBytes(disk.value.freeBytes)} free of ${formatBytes(disk.value.totalBytes ?? 0)}`}
        </p>
      ) : disk.kind === 'failed' ? (
        <p class="muted">Unavailable: {disk.error}</p>
      ) : null}
    </section>
  );
}
