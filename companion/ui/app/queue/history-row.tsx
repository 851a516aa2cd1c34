import type { QueueItemView } from '../../../../shared/download.js';
import { describeItemStatus } from '../../../../ui-kit/describe-item-status.js';
import { displayTitle } from '../../../../ui-kit/display-title.js';
import { API_BASE } from '../api.js';

/** One finished or failed item in the history: when, the outcome with its reason, the source and the file placed. */
export function HistoryRow({
  item,
  onRetry,
  onRemove,
}: {
  item: QueueItemView;
  onRetry: (item: QueueItemView) => void;
  onRemove: (item: QueueItemView) => void;
}) {
  const title = displayTitle(item);
  const status = describeItemStatus(item);
  const facts = [
    new Date(item.updatedAtMs).toLocaleString(),
    item.source ? `from ${item.source}` : null,
    item.fileName ? `placed as ${item.fileName}` : null,
  ].filter(Boolean);
  return (
    <li class={`history-row tone-${status.tone}`} aria-label={title}>
      <div class="queue-text">
        <span class="title">{title}</span>
        {item.author ? <span class="author">{item.author}</span> : null}
        <span class="status">{status.text}</span>
        <span class="attempt">{facts.join(' · ')}</span>
      </div>
      <div class="row-actions">
        {item.status === 'error' || item.status === 'cancelled' ? (
          <button type="button" class="secondary" aria-label={`Retry ${title}`} onClick={() => onRetry(item)}>
            Retry
          </button>
        ) : null}
        {item.status === 'available' ? (
          <a class="button secondary" href={`${API_BASE}/localdownload?id=${encodeURIComponent(item.id)}`}>
            Save a copy<span class="visually-hidden"> of {title}</span>
          </a>
        ) : (
          <button type="button" class="secondary" aria-label={`Remove ${title}`} onClick={() => onRemove(item)}>
            Remove
          </button>
        )}
      </div>
    </li>
  );
}
