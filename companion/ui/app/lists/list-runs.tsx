import type { ListRun, RunEntry, RunsResponse } from '../../../../shared/lists-api.js';
import { EMPTY_FORM, formToUrl } from '../search-params.js';
import type { Load } from '../use-load.js';

const when = (ms: number) => new Date(ms).toLocaleString();
const byline = (entry: RunEntry) => (entry.authors.length ? ` — ${entry.authors.join(', ')}` : '');
/** The web UI's search deep link (Shelfmark's `?q=`), relative so it also works under /request. */
const searchLink = (query: string) => `./${formToUrl({ ...EMPTY_FORM, q: query })}`;
const TRIGGERS: Record<ListRun['trigger'], string> = {
  poll: 'scheduled',
  manual: 'by hand',
  extension: 'by the extension',
};

function RunItem({ run }: { run: ListRun }) {
  const queued = run.entries.filter((entry) => entry.outcome === 'queued');
  const noMatch = run.entries.filter((entry) => entry.outcome === 'no-match');
  const skipped = run.entries.filter((entry) => entry.outcome === 'skipped').length;
  const existing = run.entries.filter((entry) => entry.outcome === 'existing').length;
  const notes = [
    queued.length === 0 && noMatch.length === 0 && skipped === 0 && existing === 0 ? 'nothing new' : '',
    skipped ? `${skipped} already in the library or queue` : '',
    existing ? `${existing} on the shelf when watching began, left alone` : '',
  ].filter(Boolean);
  return (
    <li class="run">
      <span class="muted">
        Checked {when(run.startedAtMs)} ({TRIGGERS[run.trigger]}){notes.length ? ` · ${notes.join(' · ')}` : ''}
      </span>
      {run.error ? <span class="error">{` Stopped early: ${run.error}`}</span> : null}
      {queued.length ? (
        <ul class="plain-list run-entries" aria-label="Queued">
          {queued.map((entry) => (
            <li key={entry.key} class="run-entry">
              <span>
                Queued: <span class="title">{entry.title}</span>
                {byline(entry)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {noMatch.length ? (
        <ul class="plain-list run-entries" aria-label="No good match">
          {noMatch.map((entry) => (
            <li key={entry.key} class="run-entry">
              <span>
                No good match: <span class="title">{entry.title}</span>
                {byline(entry)}
                {entry.detail ? <span class="muted">{` (${entry.detail})`}</span> : null}
              </span>
              {entry.searchQuery ? (
                <a
                  class="button secondary"
                  href={searchLink(entry.searchQuery)}
                  aria-label={`Search for ${entry.title}`}
                >
                  Search
                </a>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** A shelf's last checks: what each queued and what found no good match (each with a one-click search). */
export function ListRuns({ runs, title }: { runs: Load<RunsResponse>; title: string }) {
  if (runs.kind === 'loading') return <p class="muted">Loading checks…</p>;
  if (runs.kind === 'failed') return <p class="error">{runs.error}</p>;
  const last = runs.value.runs.slice(0, 5);
  if (last.length === 0) return <p class="empty">Not checked yet.</p>;
  return (
    <ul class="plain-list runs" aria-label={`Last checks of ${title}`}>
      {last.map((run) => (
        <RunItem key={run.id} run={run} />
      ))}
    </ul>
  );
}
