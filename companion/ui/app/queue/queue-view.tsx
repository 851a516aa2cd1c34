import { useState } from 'preact/hooks';
import type { QueueItemView } from '../../../../shared/download.js';
import { QueueRow } from '../../../../ui-kit/queue-row.js';
import { errorText } from '../api.js';
import { cancel, clearFinished, move, remove, reorder, retry, setPriority } from '../queue-actions.js';
import type { ViewProps } from '../views.js';
import { HistoryRow } from './history-row.js';
import { PrioritySelect } from './priority-select.js';

const isActive = (item: QueueItemView) => item.status === 'queued' || item.status === 'downloading';

/** The queue: live progress, cancel, reorder (drag, or the move buttons), and the history with retry and remove. */
export function QueueView({ queue, notify }: ViewProps) {
  const [dragId, setDragId] = useState<string | null>(null);
  const active = queue.items.filter(isActive);
  // "available" is placed in the ingest folder and waits for CWA: still the library's, shown in history as done.
  const history = queue.items.filter((item) => !isActive(item)).sort((a, b) => b.updatedAtMs - a.updatedAtMs);
  const queuedIds = active.filter((item) => item.status === 'queued').map((item) => item.id);

  const act = (what: string, action: () => Promise<unknown>) =>
    void action().catch((err) => notify(`${what} failed: ${errorText(err)}`, true));
  const moveBy = (item: QueueItemView, delta: number) => {
    const from = queuedIds.indexOf(item.id);
    act('Reorder', () => reorder(move(queuedIds, from, from + delta)));
  };
  const drop = (targetId: string, draggedId: string | undefined) => {
    const from = draggedId || dragId;
    if (from && from !== targetId && queuedIds.includes(from)) {
      act('Reorder', () => reorder(move(queuedIds, queuedIds.indexOf(from), queuedIds.indexOf(targetId))));
    }
    setDragId(null);
  };
  // Sites a download waits on for a browser check now (each row says it too); gone once they pass.
  const clearance = [
    ...new Set(active.flatMap((item) => (item.waiting?.kind === 'clearance' ? [item.waiting.site] : []))),
  ];

  return (
    <section aria-labelledby="queue-title">
      <h2 id="queue-title">Queue</h2>
      {!queue.connected ? <p class="notice">Connecting to the companion for live updates…</p> : null}
      {clearance.length > 0 ? (
        <p class="notice">
          Waiting for clearance on {clearance.join(', ')}: open the Bookrelay extension in a browser that can reach it
          (or the site itself) to pass the check; a headless solve runs meanwhile if it is enabled.
        </p>
      ) : null}
      {active.length === 0 ? <p class="empty">Nothing is queued.</p> : null}
      <ul class="queue" aria-label="Active downloads">
        {active.map((item) => {
          const index = queuedIds.indexOf(item.id);
          const queued = index >= 0;
          return (
            <QueueRow
              key={item.id}
              item={item}
              detailed
              onCancel={(it) => act('Cancel', () => cancel(it))}
              onRetry={(it) => act('Retry', () => retry(it))}
              {...(queued && index > 0 ? { onMoveUp: (it: QueueItemView) => moveBy(it, -1) } : {})}
              {...(queued && index < queuedIds.length - 1 ? { onMoveDown: (it: QueueItemView) => moveBy(it, 1) } : {})}
              rowProps={{
                class: dragId === item.id ? 'dragging' : '',
                draggable: queued,
                onDragStart: (event: DragEvent) => {
                  setDragId(item.id);
                  event.dataTransfer?.setData('text/plain', item.id);
                },
                onDragOver: (event: DragEvent) => {
                  if (queued) event.preventDefault();
                },
                onDrop: (event: DragEvent) => {
                  event.preventDefault();
                  if (queued) drop(item.id, event.dataTransfer?.getData('text/plain'));
                },
                onDragEnd: () => setDragId(null),
              }}
            >
              {queued ? (
                <PrioritySelect
                  item={item}
                  onChange={(priority) => act('Priority', () => setPriority(item, priority))}
                />
              ) : null}
            </QueueRow>
          );
        })}
      </ul>
      <div class="section-head">
        <h2 id="history-title">History</h2>
        {history.length > 0 ? (
          <button type="button" class="secondary" onClick={() => act('Clear', clearFinished)}>
            Clear finished
          </button>
        ) : null}
      </div>
      {history.length === 0 ? <p class="empty">No finished downloads yet.</p> : null}
      <ul class="history" aria-labelledby="history-title">
        {history.map((item) => (
          <HistoryRow
            key={item.id}
            item={item}
            onRetry={(it) => act('Retry', () => retry(it))}
            onRemove={(it) => act('Remove', () => remove(it))}
          />
        ))}
      </ul>
    </section>
  );
}
