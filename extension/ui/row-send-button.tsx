import { useState } from 'preact/hooks';
import { sendMessage as defaultSendMessage } from '../lib/send-message.js';
import { describeError, describeSendState } from './book-buttons.js';
import type { SendMessage, SendState } from './send-state.js';
import { useFollowedJob } from './use-followed-job.js';

/** Styles for the per-row shadow roots (AA search results); WXT's `ui` CSS only reaches createShadowRootUi hosts. */
export const ROW_SEND_CSS = `
button{font:600 13px/1.2 system-ui,sans-serif;cursor:pointer;border-radius:6px;padding:4px 10px;margin:4px 0;
border:1px solid #1d4ed8;background:#1d4ed8;color:#fff}
button.is-done{background:#15803d;border-color:#15803d}
button.is-failed{background:#b91c1c;border-color:#b91c1c}`;

export interface RowSendButtonProps {
  md5: string;
  title: string;
  sendMessage?: SendMessage;
  pollIntervalMs?: number;
}

/** A small *Send to library* for one search result row: queues exactly that md5 and follows the job. */
export function RowSendButton({
  md5,
  title,
  sendMessage = defaultSendMessage,
  pollIntervalMs = 1000,
}: RowSendButtonProps) {
  const [state, setState] = useState<SendState>({ kind: 'idle' });
  useFollowedJob(state, setState, sendMessage, pollIntervalMs);
  const label = describeSendState(state);
  const onClick = (event: MouseEvent) => {
    event.preventDefault();
    event.stopPropagation();
    if (state.kind === 'sending' || (state.kind === 'following' && !label.startsWith('Failed'))) return;
    setState({ kind: 'sending' });
    sendMessage({ type: 'book:send-result', book: { id: md5, title } })
      .then(() => setState({ kind: 'following', md5, job: null }))
      .catch((err: unknown) => setState({ kind: 'error', message: describeError(err) }));
  };
  return (
    <button
      type="button"
      class={label === 'In library' ? 'is-done' : label.startsWith('Failed') ? 'is-failed' : ''}
      aria-label={state.kind === 'idle' ? `Send ${title} to library` : `${title}: ${label}`}
      onClick={onClick}
    >
      {state.kind === 'idle' ? 'Send to library' : label}
    </button>
  );
}
