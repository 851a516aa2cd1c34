import browser from 'webextension-polyfill';
import type { QueueItemView } from '../../shared/download.js';
import type { ConnectionState } from '../lib/messages.js';
import type { CompanionConnection } from './companion-connection.js';
import { isActive, type QueueState } from './queue-state.js';

export interface Badge {
  text: string;
  color: string;
  /** Tooltip on the toolbar button, so the mark is explained without opening the popup. */
  title: string;
}

export const BADGE_COLORS = { active: '#2563eb', clearance: '#d97706', offline: '#6b7280' } as const;

/**
 * What the toolbar badge shows (pure): the number of queued + downloading items; `!` when a site needs clearance
 * (the user has to act); `off` when the companion is unreachable or this device is not paired; nothing when idle.
 */
export function computeBadge(items: readonly QueueItemView[], connection: ConnectionState['status']): Badge {
  if (connection === 'offline' || connection === 'unpaired') {
    const title =
      connection === 'offline' ? 'Bookrelay: the companion is unreachable' : 'Bookrelay: not paired with a companion';
    return { text: 'off', color: BADGE_COLORS.offline, title };
  }
  const clearance = items.find((item) => isActive(item) && item.waiting?.kind === 'clearance');
  if (clearance) {
    return {
      text: '!',
      color: BADGE_COLORS.clearance,
      title: `Bookrelay: ${clearance.waiting?.site} needs a browser check`,
    };
  }
  const active = items.filter(isActive).length;
  if (active === 0) return { text: '', color: BADGE_COLORS.active, title: 'Bookrelay' };
  return {
    text: String(active),
    color: BADGE_COLORS.active,
    title: `Bookrelay: ${active} download${active === 1 ? '' : 's'} in progress`,
  };
}

/** Shows a badge on the toolbar button, skipping the API calls when nothing changed. */
export function createBadgeWriter(action = browser.action ?? browser.browserAction) {
  let last = '';
  return async (badge: Badge): Promise<void> => {
    const key = `${badge.text}|${badge.color}|${badge.title}`;
    if (key === last) return;
    last = key;
    await Promise.all([
      action.setBadgeText({ text: badge.text }),
      action.setBadgeBackgroundColor({ color: badge.color }),
      action.setTitle({ title: badge.title }),
    ]);
  };
}

/** Keeps the badge in step with the queue and the connection. */
export function showQueueBadge(
  queue: Pick<QueueState, 'list' | 'subscribe'>,
  connection: Pick<CompanionConnection, 'state' | 'subscribe'>,
  write: (badge: Badge) => Promise<void> = createBadgeWriter(),
): void {
  const render = () => void write(computeBadge(queue.list(), connection.state.status)).catch(() => {});
  queue.subscribe(render);
  connection.subscribe(render);
  render();
}
