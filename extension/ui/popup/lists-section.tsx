import { useEffect, useState } from 'preact/hooks';
import type { ListRun, ListView, RunEntry } from '../../../shared/lists-api.js';
import { describeCompanionError, toCompanionErrorInfo } from '../../lib/companion-error.js';
import { sendMessage } from '../../lib/send-message.js';

const SITE_NAMES: Record<ListView['site'], string> = {
  goodreads: 'Goodreads',
  storygraph: 'StoryGraph',
  hardcover: 'Hardcover',
  openlibrary: 'Open Library',
};

const when = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toLocaleString());
const describe = (err: unknown) => describeCompanionError(toCompanionErrorInfo(err)).title;

/**
 * The popup's Lists view, shown only when the companion announces the `lists` capability in `GET /api/ping`
 * (`capabilities`, from the background's connection state): an older companion has no lists to show.
 */
export function ListsSection({
  onSearch,
  capabilities,
}: {
  onSearch: (query: string) => void;
  capabilities: readonly string[] | undefined;
}) {
  return capabilities?.includes('lists') ? <WatchedShelves onSearch={onSearch} /> : null;
}

/**
 * Watched shelves, their last check, what each check queued and what found no match (with a one-click search),
 * and pause/resume, check now and remove. Everything goes through the background.
 */
function WatchedShelves({ onSearch }: { onSearch: (query: string) => void }) {
  const [lists, setLists] = useState<ListView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    sendMessage({ type: 'lists:get' }).then(
      (all) => {
        setLists(all);
        setError(null);
      },
      (err) => setError(describe(err)),
    );
  useEffect(() => void load(), []);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      setError(describe(err));
    }
    await load();
  };

  return (
    <section class="lists" aria-labelledby="lists-heading">
      <h2 id="lists-heading">Watched shelves</h2>
      {error ? (
        <p class="failed" role="alert">
          {error}
        </p>
      ) : null}
      {lists?.length === 0 ? (
        <p class="empty">No shelf is watched. On a Want to Read page, choose “Watch this shelf”.</p>
      ) : null}
      <ul class="list-rows">
        {(lists ?? []).map((list) => (
          <ListRow
            key={list.id}
            list={list}
            onSearch={onSearch}
            onPause={() => act(() => sendMessage({ type: 'lists:update', id: list.id, paused: !list.paused }))}
            onCheck={() => act(() => sendMessage({ type: 'lists:check', id: list.id }))}
            onRemove={() => act(() => sendMessage({ type: 'lists:remove', id: list.id }))}
          />
        ))}
      </ul>
    </section>
  );
}

function ListRow({
  list,
  onSearch,
  onPause,
  onCheck,
  onRemove,
}: {
  list: ListView;
  onSearch: (query: string) => void;
  onPause: () => void;
  onCheck: () => void;
  onRemove: () => void;
}) {
  const [runs, setRuns] = useState<ListRun[] | null>(null);
  useEffect(() => {
    sendMessage({ type: 'lists:runs', id: list.id }).then(setRuns, () => setRuns([]));
  }, [list.id, list.lastCheckedAtMs]);
  const entries = (runs ?? []).flatMap((run) => run.entries);
  const queued = entries.filter((e) => e.outcome === 'queued');
  const missing = entries.filter((e) => e.outcome === 'no-match');
  const name = list.title || `${SITE_NAMES[list.site]} ${list.shelf}`;
  return (
    <li class="list-row" aria-label={name}>
      <div class="title">
        {name} <span class="details">({SITE_NAMES[list.site]})</span>
      </div>
      <div class="details">
        {list.paused ? 'Paused · ' : ''}Last check: {when(list.lastCheckedAtMs)}
        {list.mode === 'extension' ? ' · read by this browser' : ''}
      </div>
      {list.lastError ? <div class="failed">Last check failed: {list.lastError}</div> : null}
      {queued.length > 0 ? (
        <ul aria-label={`Queued from ${name}`}>
          {queued.map((e) => (
            <li key={e.key}>Queued: {e.title}</li>
          ))}
        </ul>
      ) : null}
      {missing.length > 0 ? (
        <ul aria-label={`No match on ${name}`}>
          {missing.map((e) => (
            <NoMatchRow key={e.key} entry={e} onSearch={onSearch} />
          ))}
        </ul>
      ) : null}
      <div class="list-actions">
        <button type="button" class="secondary" aria-label={`Check ${name} now`} onClick={onCheck}>
          Check now
        </button>
        <button
          type="button"
          class="secondary"
          aria-label={`${list.paused ? 'Resume' : 'Pause'} ${name}`}
          onClick={onPause}
        >
          {list.paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" class="secondary" aria-label={`Remove ${name}`} onClick={onRemove}>
          Remove
        </button>
      </div>
    </li>
  );
}

function NoMatchRow({ entry, onSearch }: { entry: RunEntry; onSearch: (query: string) => void }) {
  const query = entry.searchQuery ?? entry.title;
  return (
    <li>
      No match: {entry.title}{' '}
      <button type="button" class="secondary" aria-label={`Search for ${entry.title}`} onClick={() => onSearch(query)}>
        Search
      </button>
    </li>
  );
}
