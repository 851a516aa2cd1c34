import { useEffect, useState } from 'preact/hooks';
import type { BookInfo } from '../../shared/book.js';
import type { NoMatchReason } from '../../shared/match/best-match.js';
import type { BookIdentity } from '../lib/book-identity/types.js';
import type { BookJob } from '../lib/book-job.js';
import { describeCompanionError, isCompanionError } from '../lib/companion-error.js';
import { sendMessage as defaultSendMessage } from '../lib/send-message.js';
import { SearchPanel } from './search-panel.js';
import type { SendMessage, SendState } from './send-state.js';
import { useFollowedJob } from './use-followed-job.js';

const NO_MATCH_TEXT: Record<NoMatchReason, string> = {
  'no-identity': 'No book found on this page',
  'no-results': 'Not found',
  'different-book': 'No good match',
  'unwanted-format': 'No file in your formats',
  'unwanted-language': 'Not in your languages',
  'implausible-size': 'No plausible file',
};

/** The button's visible text (its accessible name) for a state. */
export function describeSendState(state: SendState): string {
  switch (state.kind) {
    case 'idle':
      return 'Send to library';
    case 'sending':
      return 'Sending…';
    case 'no-match':
      return `${NO_MATCH_TEXT[state.reason]} – search instead`;
    case 'error':
      return `Failed: ${state.message}`;
    case 'following': {
      const job = state.job;
      if (!job || job.status === 'queued') return 'Queued';
      if (job.status === 'downloading') return job.progress === null ? 'Downloading' : `${Math.floor(job.progress)}%`;
      if (job.status === 'done' || job.status === 'available') return 'In library';
      if (job.status === 'cancelled') return 'Failed: cancelled';
      if (job.status === 'unknown') return 'Sent';
      return `Failed: ${job.message ?? 'download failed'}`;
    }
  }
}

export function describeError(err: unknown): string {
  return isCompanionError(err) ? describeCompanionError(err).title : 'something went wrong';
}

export interface BookButtonsProps {
  identity: BookIdentity;
  sendMessage?: SendMessage;
  pollIntervalMs?: number;
}

/** *Search* and *Send to library* for the book on this page, rendered in a shadow root by the site feature. */
export function BookButtons({ identity, sendMessage = defaultSendMessage, pollIntervalMs = 1000 }: BookButtonsProps) {
  const [state, setState] = useState<SendState>({ kind: 'idle' });
  const [panelOpen, setPanelOpen] = useState(false);

  // Already sent (same md5 or ISBN): follow that job at once, which says *In library* when it is done.
  useEffect(() => {
    let live = true;
    sendMessage({ type: 'book:sent', identity })
      .then((sent) => {
        if (live && sent) setState({ kind: 'following', md5: sent.md5, job: sent.done ? doneJob(sent.md5) : null });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [identity, sendMessage]);

  useFollowedJob(state, setState, sendMessage, pollIntervalMs);

  const send = async () => {
    setState({ kind: 'sending' });
    try {
      const answer = await sendMessage({ type: 'book:send-best-match', identity });
      if (answer.kind === 'queued') setState({ kind: 'following', md5: answer.md5, job: null });
      else {
        setState({ kind: 'no-match', reason: answer.reason });
        setPanelOpen(true);
      }
    } catch (err) {
      setState({ kind: 'error', message: describeError(err) });
    }
  };

  const onSendClick = () => {
    if (state.kind === 'no-match') return setPanelOpen(true);
    if (state.kind === 'sending') return;
    if (state.kind === 'following' && !(state.job?.status === 'error' || state.job?.status === 'cancelled')) return;
    // Failed: retry the same file; "Search" picks another edition.
    if (state.kind === 'following') {
      const md5 = state.md5;
      setState({ kind: 'sending' });
      sendMessage({ type: 'book:send-result', book: { id: md5, title: identity.title ?? md5 }, identity })
        .then(() => setState({ kind: 'following', md5, job: null }))
        .catch((err: unknown) => setState({ kind: 'error', message: describeError(err) }));
      return;
    }
    void send();
  };

  const label = describeSendState(state);
  const done = label === 'In library';
  const failed = label.startsWith('Failed');
  return (
    <div class="bookrelay">
      <div class="bookrelay-row">
        <button
          type="button"
          class="bookrelay-search"
          aria-label="Search for this book"
          aria-expanded={panelOpen}
          onClick={() => setPanelOpen(!panelOpen)}
        >
          Search
        </button>
        <button
          type="button"
          class={`bookrelay-send${done ? ' is-done' : ''}${failed ? ' is-failed' : ''}`}
          aria-live="polite"
          title={failed ? 'Click to retry, or use Search to pick another edition' : undefined}
          onClick={onSendClick}
        >
          {label}
        </button>
      </div>
      {panelOpen ? (
        <SearchPanel
          identity={identity}
          sendMessage={sendMessage}
          onClose={() => setPanelOpen(false)}
          onSent={(book: BookInfo) => setState({ kind: 'following', md5: book.id, job: null })}
        />
      ) : null}
    </div>
  );
}

function doneJob(md5: string): BookJob {
  return { md5, status: 'done', progress: null, message: null };
}
