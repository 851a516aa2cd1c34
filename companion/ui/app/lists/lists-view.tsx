import { useEffect } from 'preact/hooks';
import type { ListsResponse } from '../../../../shared/lists-api.js';
import { useLoad } from '../use-load.js';
import type { ViewProps } from '../views.js';
import { ListRow } from './list-row.js';
import { WatchForm } from './watch-form.js';

/** Lists: watched shelves, their last checks (queued / no good match, with a search), pause, remove, and watch a new one. */
export function ListsView({ notify }: ViewProps) {
  const [lists, reload] = useLoad<ListsResponse>('/lists');
  // A shelf just watched gets its first check in the background: look again until it has one.
  const waiting =
    lists.kind === 'done' &&
    lists.value.lists.some((list) => list.mode === 'companion' && !list.paused && list.lastCheckedAtMs === null);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(reload, 2000);
    return () => clearTimeout(timer);
  }, [waiting, lists, reload]);
  return (
    <div class="lists">
      <section aria-labelledby="lists-title">
        <div class="section-head">
          <h2 id="lists-title">Watched shelves</h2>
          <button type="button" class="secondary" onClick={reload}>
            Refresh
          </button>
        </div>
        {lists.kind === 'loading' ? <p class="muted">Loading…</p> : null}
        {lists.kind === 'failed' ? <p class="error">{lists.error}</p> : null}
        {lists.kind === 'done' && lists.value.lists.length === 0 ? <p class="empty">No shelf is watched yet.</p> : null}
        {lists.kind === 'done' ? (
          <ul class="plain-list" aria-label="Watched shelves">
            {lists.value.lists.map((list) => (
              <ListRow key={list.id} list={list} notify={notify} onChanged={reload} />
            ))}
          </ul>
        ) : null}
      </section>
      <WatchForm notify={notify} onWatched={reload} />
    </div>
  );
}
