import type { ComponentChildren, HTMLAttributes } from 'preact';
import type { QueueItemView } from '../shared/download.js';
import { describeItemStatus } from './describe-item-status.js';
import { displayTitle } from './display-title.js';
import { describeAttempt, describeWaitingHint, type QueueItemWithAttempts } from './item-details.js';
import { Progress } from './progress.js';

export interface QueueRowProps {
  item: QueueItemView;
  onCancel: (item: QueueItemView) => void;
  onRetry: (item: QueueItemView) => void;
  /** Removes a finished or failed item from the list (the web UI; the popup has no room for it). */
  onRemove?: (item: QueueItemView) => void;
  /** Moves a queued item one place (keyboard-friendly reorder); absent at the ends of the queue. */
  onMoveUp?: (item: QueueItemView) => void;
  onMoveDown?: (item: QueueItemView) => void;
  /** Shows the attempt, source and what a waiting item needs from the user. */
  detailed?: boolean;
  /** More attributes for the row (the web UI's drag and drop). */
  rowProps?: HTMLAttributes<HTMLLIElement>;
  /** More controls, first among the row's actions (the web UI's priority). */
  children?: ComponentChildren;
}

/** One queue item: title, author, where it stands, live progress, and Cancel or Retry. Text only, never HTML. */
export function QueueRow({
  item,
  onCancel,
  onRetry,
  onRemove,
  onMoveUp,
  onMoveDown,
  detailed = false,
  rowProps = {},
  children,
}: QueueRowProps) {
  const status = describeItemStatus(item);
  const title = displayTitle(item);
  const active = item.status === 'queued' || item.status === 'downloading';
  const finished = item.status === 'error' || item.status === 'cancelled' || item.status === 'done';
  const attempt = detailed ? describeAttempt(item as QueueItemWithAttempts) : null;
  const hint = detailed ? describeWaitingHint(item) : null;
  return (
    <li {...rowProps} class={`queue-row tone-${status.tone} ${rowProps.class ?? ''}`.trim()} aria-label={title}>
      <div class="queue-text">
        <span class="title">{title}</span>
        {item.author ? <span class="author">{item.author}</span> : null}
        <span class="status" role="status">
          {status.text}
        </span>
        {attempt ? <span class="attempt">{attempt}</span> : null}
        {hint ? <span class="hint">{hint}</span> : null}
      </div>
      {item.status === 'downloading' && !item.waiting ? (
        <Progress value={item.progress} label={`Progress of ${title}`} />
      ) : null}
      <div class="row-actions">
        {children}
        {onMoveUp ? (
          <button type="button" class="secondary" aria-label={`Move ${title} up`} onClick={() => onMoveUp(item)}>
            ↑
          </button>
        ) : null}
        {onMoveDown ? (
          <button type="button" class="secondary" aria-label={`Move ${title} down`} onClick={() => onMoveDown(item)}>
            ↓
          </button>
        ) : null}
        {active ? (
          <button type="button" class="secondary" aria-label={`Cancel ${title}`} onClick={() => onCancel(item)}>
            Cancel
          </button>
        ) : null}
        {item.status === 'error' || item.status === 'cancelled' ? (
          <button type="button" class="secondary" aria-label={`Retry ${title}`} onClick={() => onRetry(item)}>
            Retry
          </button>
        ) : null}
        {finished && onRemove ? (
          <button type="button" class="secondary" aria-label={`Remove ${title}`} onClick={() => onRemove(item)}>
            Remove
          </button>
        ) : null}
      </div>
    </li>
  );
}
