import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { QueueItemView } from '../../../shared/download.js';
import type { ConnectionState } from '../../lib/messages.js';
import { POPUP_PORT_NAME, type PopupPortMessage } from '../../lib/popup-port.js';

/**
 * Holds the popup's port to the background for as long as the popup is open: the background streams live events
 * while it exists and pushes the queue and the connection state down it.
 */
export function usePopupPort(): { queue: QueueItemView[] | null; connection: ConnectionState | null } {
  const [queue, setQueue] = useState<QueueItemView[] | null>(null);
  const [connection, setConnection] = useState<ConnectionState | null>(null);
  useEffect(() => {
    const port = browser.runtime.connect({ name: POPUP_PORT_NAME });
    port.onMessage.addListener((raw) => {
      const message = raw as PopupPortMessage;
      if (message.type === 'queue') setQueue(message.items);
      else if (message.type === 'connection') setConnection(message.state);
    });
    return () => port.disconnect();
  }, []);
  return { queue, connection };
}
