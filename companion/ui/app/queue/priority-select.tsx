import type { QueueItemView } from '../../../../shared/download.js';
import { displayTitle } from '../../../../ui-kit/display-title.js';
import { PRIORITIES } from '../search/search-form.js';

/** A queued item's priority (lower runs sooner); a position set by reordering shows as its number. */
export function PrioritySelect({ item, onChange }: { item: QueueItemView; onChange: (priority: number) => void }) {
  const known = PRIORITIES.some(([value]) => value === item.priority);
  return (
    <select
      class="priority"
      aria-label={`Priority of ${displayTitle(item)}`}
      value={String(item.priority)}
      onChange={(event) => onChange(Number((event.currentTarget as HTMLSelectElement).value))}
    >
      {known ? null : <option value={String(item.priority)}>Position {item.priority}</option>}
      {PRIORITIES.map(([value, label]) => (
        <option key={value} value={String(value)}>
          {label}
        </option>
      ))}
    </select>
  );
}
