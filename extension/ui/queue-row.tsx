import type { QueueItemView } from '../../shared/download.js';
import { describeItemStatus } from './describe-item-status.js';
import { Progress } from './progress.js';

export interface QueueRowProps {
  item: QueueItemView;
  onCancel: (item: QueueItemView) => void;
  onRetry: (item: QueueItemView) => void;
}

/** One queue item: title, author, where it stands, live progress, and Cancel or Retry. Text only, never HTML. */
export function QueueRow({ item, onCancel, onRetry }: QueueRowProps) {
  const status = describeItemStatus(item);
  const active = item.status === 'queued' || item.status === 'downloading';
  return (
    <li class={`queue-row tone-${status.tone}`} aria-label={item.title}>
      <div class="queue-text">
        <span class="title">{item.title}</span>
        {item.author ? <span class="author">{item.author}</span> : null}
        <span class="status" role="status">
          {status.text}
        </span>
      </div>
      {item.status === 'downloading' && !item.waiting ? (
        <Progress value={item.progress} label={`Progress of ${item.title}`} />
      ) : null}
      {active ? (
        <button type="button" class="secondary" aria-label={`Cancel ${item.title}`} onClick={() => onCancel(item)}>
          Cancel
        </button>
      ) : null}
      {item.status === 'error' || item.status === 'cancelled' ? (
        <button type="button" class="secondary" aria-label={`Retry ${item.title}`} onClick={() => onRetry(item)}>
          Retry
        </button>
      ) : null}
    </li>
  );
}
