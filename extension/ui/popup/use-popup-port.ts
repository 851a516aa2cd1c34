import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { QueueItemView } from '../../../shared/download.js';
import type { ConnectionState } from '../../lib/messages.js';
import { POPUP_PORT_NAME, type PopupPortMessage } from '../../lib/popup-port.js';

/** How soon the popup reconnects when the background's worker restarted under it. */
const RECONNECT_DELAY_MS = 500;

/**
 * Holds the popup's port to the background for as long as the popup is open: the background streams live events
 * while it exists and pushes the queue and the connection state down it. Reconnects if the worker restarts.
 */
export function usePopupPort(): { queue: QueueItemView[] | null; connection: ConnectionState | null } {
  const [queue, setQueue] = useState<QueueItemView[] | null>(null);
  const [connection, setConnection] = useState<ConnectionState | null>(null);
  useEffect(() => {
    let closed = false;
    let port: browser.Runtime.Port | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      port = browser.runtime.connect({ name: POPUP_PORT_NAME });
      port.onMessage.addListener((raw) => {
        const message = raw as PopupPortMessage;
        if (message.type === 'queue') setQueue(message.items);
        else if (message.type === 'connection') setConnection(message.state);
      });
      port.onDisconnect.addListener(() => {
        if (!closed) timer = setTimeout(connect, RECONNECT_DELAY_MS);
      });
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(timer);
      port?.disconnect();
    };
  }, []);
  return { queue, connection };
}
