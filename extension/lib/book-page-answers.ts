import type { BookInfo } from '../../shared/book.js';
import type { NoMatchReason } from '../../shared/match/best-match.js';

/** `book:search`: results in display order; `isbnMatchIds` came from the ISBN search (exact edition). */
export interface BookSearchAnswer {
  results: BookInfo[];
  isbnMatchIds: string[];
}

/** `book:send-best-match`: queued (the button follows the job) or why nothing fits (it offers the search). */
export type SendBestMatchAnswer =
  | { kind: 'queued'; md5: string; title: string }
  | { kind: 'no-match'; reason: NoMatchReason; detail: string };
