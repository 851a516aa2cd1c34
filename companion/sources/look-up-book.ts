import type { BookInfo, Md5 } from '../../shared/book.js';
import type { Source } from './source.js';

/**
 * What the source said about an id at queue time: `found` (its record), `unknown` (the source answered that no such
 * record exists: AA's 404 / "not found" page), or `unanswered` (unreachable, challenged, unreadable: the request is
 * still queued with what the client sent, and the worker resolves the rest).
 */
export type BookLookup =
  | { kind: 'found'; book: BookInfo }
  | { kind: 'unknown' }
  | { kind: 'unanswered'; error: unknown };

export async function lookUpBook(source: Source, id: Md5, signal?: AbortSignal): Promise<BookLookup> {
  try {
    // No wait for clearance here: a wall in front of the record page is the worker's to pass, not the client's.
    const book = await source.details(id, signal, { solve: false });
    return book ? { kind: 'found', book } : { kind: 'unknown' };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { kind: 'unanswered', error };
  }
}
