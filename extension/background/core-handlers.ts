import type { BookInfo } from '../../shared/book.js';
import type { CompanionConnection } from './companion-connection.js';
import type { MessageRouter } from './message-router.js';

/** Connection, search, send and cancel: thin pass-throughs to the companion that report the outcome. */
export function registerCoreHandlers(router: MessageRouter, connection: CompanionConnection): void {
  const { call } = connection;
  router.on('connection:get', () => connection.state);
  router.on('connection:test', () => connection.test());
  router.on('search', ({ filters, includeHidden }) =>
    call(async (client) => {
      const { results, hidden } = await client.search(filters, undefined, { includeHidden: includeHidden === true });
      return { results: results as BookInfo[], hidden };
    }),
  );
  router.on('send', ({ id, title, author, format, priority }) =>
    call((client) =>
      client.enqueue({
        id,
        ...(title ? { title } : {}),
        ...(author ? { author } : {}),
        ...(format ? { format } : {}),
        ...(priority === undefined ? {} : { priority }),
      }),
    ),
  );
  router.on('cancel', ({ id }) =>
    call(async (client) => {
      await client.cancel(id);
      return { status: 'cancelled' as const };
    }),
  );
}
