import type { QueueItemView } from '../../shared/download.js';
import type { ConnectionState } from './messages.js';

/** The name of the long-lived port the popup holds; while one is open the background streams live events. */
export const POPUP_PORT_NAME = 'popup';

/** What the background pushes down the popup's port: the whole queue on every change, and the connection. */
export type PopupPortMessage =
  | { type: 'queue'; items: QueueItemView[] }
  | { type: 'connection'; state: ConnectionState };
