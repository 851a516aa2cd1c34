import type { NoMatchReason } from '../../shared/match/best-match.js';
import type { BookJob } from '../lib/book-job.js';
import type { MessageRequest, MessageResponse, MessageType } from '../lib/messages.js';

/** How the book-page UI talks to the background (injectable, so component tests pass their own). */
export type SendMessage = <T extends MessageType>(message: MessageRequest<T>) => Promise<MessageResponse<T>>;

/** The Send button's life: idle → sending → following a job (queued → % → In library | Failed) or no match. */
export type SendState =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'following'; md5: string; job: BookJob | null }
  | { kind: 'no-match'; reason: NoMatchReason }
  | { kind: 'error'; message: string };
