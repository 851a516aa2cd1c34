import { API_PATHS } from '../../shared/api-paths.js';
import type { BookInfo, SearchFilters } from '../../shared/book.js';
import { pickBestMatch } from '../../shared/match/best-match.js';
import { searchForBook as searchBook } from '../../shared/match/find-best-match.js';
import type { BookIdentity } from '../lib/book-identity/types.js';
import { createBookJobParser } from '../lib/book-job.js';
import type { BookSearchAnswer } from '../lib/book-page-answers.js';
import type { CompanionClient } from '../lib/companion-client.js';
import { findSentBook, recordSentBook } from '../lib/sent-books.js';
import { readEffectivePreferences } from '../lib/settings.js';
import type { CompanionConnection } from './companion-connection.js';
import type { MessageRouter } from './message-router.js';

/** Searches for a page's book with the shared rule (ISBN first, then title + author). */
async function searchForBook(client: CompanionClient, identity: BookIdentity): Promise<BookSearchAnswer> {
  const search = (filters: SearchFilters) => client.search(filters).then((answer) => answer.results as BookInfo[]);
  return searchBook(search, identity, await readEffectivePreferences());
}

/** `book:*` messages of the book-page buttons: search, send the best match, follow a job, remember sent books. */
export function registerBookPageHandlers(router: MessageRouter, connection: CompanionConnection): void {
  const { call } = connection;
  const enqueue = (client: CompanionClient, book: Pick<BookInfo, 'id' | 'title' | 'author' | 'format'>) =>
    client.enqueue({
      id: book.id,
      ...(book.title ? { title: book.title } : {}),
      ...(book.author ? { author: book.author } : {}),
      ...(book.format ? { format: book.format } : {}),
    });

  router.on('book:search', ({ identity }) => call((client) => searchForBook(client, identity)));

  router.on('book:send-best-match', ({ identity }) =>
    call(async (client) => {
      // An AA record page IS the file: queue exactly that md5.
      if (identity.md5) {
        await enqueue(client, { id: identity.md5, title: identity.title ?? identity.md5 });
        await recordSentBook({ md5: identity.md5, title: identity.title ?? identity.md5, identity });
        return { kind: 'queued' as const, md5: identity.md5, title: identity.title ?? identity.md5 };
      }
      const { results, isbnMatchIds } = await searchForBook(client, identity);
      const match = pickBestMatch({
        identity,
        results,
        preferences: await readEffectivePreferences(),
        isbnMatchIds: new Set(isbnMatchIds),
      });
      if (!match.ok) return { kind: 'no-match' as const, reason: match.reason, detail: match.detail };
      await enqueue(client, match.book);
      await recordSentBook({ md5: match.book.id, title: match.book.title, identity });
      return { kind: 'queued' as const, md5: match.book.id, title: match.book.title };
    }),
  );

  router.on('book:send-result', ({ book, identity }) =>
    call(async (client) => {
      await enqueue(client, book);
      await recordSentBook({ md5: book.id, title: book.title, identity });
      return { md5: book.id };
    }),
  );

  router.on('book:job', ({ md5 }) =>
    call(async (client) => {
      const job = await client.request(API_PATHS.status, createBookJobParser(md5.toLowerCase()));
      if (job.status === 'done') await recordSentBook({ md5: job.md5, title: '', done: true });
      return job;
    }),
  );

  router.on('book:sent', async ({ identity }) => (await findSentBook(identity)) ?? null);
}
