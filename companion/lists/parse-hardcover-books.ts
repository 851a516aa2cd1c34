import type { ShelfEntry } from '../../shared/lists-api.js';
import { UpstreamLayoutError } from '../errors.js';
import { normalizeEntry } from './normalize-entry.js';

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const asString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Status ids of Hardcover's `user_books`: 1 is *Want to Read*. */
export const HARDCOVER_WANT_TO_READ = 1;

/**
 * The GraphQL query for a user's Want to Read shelf or one of their lists. Both answer rows with `book { id title
 * contributions { author { name } } }` and the chosen `edition { isbn_13 isbn_10 }`.
 */
export function hardcoverQuery(shelf: string): { query: string; variables: Record<string, unknown> } {
  const fields = 'book { id title contributions { author { name } } } edition { isbn_13 isbn_10 }';
  if (shelf.startsWith('list:')) {
    return {
      query: `query ListBooks($user: citext!, $slug: String!) { lists(where: {user: {username: {_eq: $user}}, slug: {_eq: $slug}}, limit: 1) { list_books(limit: 1000) { ${fields} } } }`,
      variables: { slug: shelf.slice('list:'.length) },
    };
  }
  return {
    query: `query WantToRead($user: citext!, $status: Int!) { users(where: {username: {_eq: $user}}, limit: 1) { user_books(where: {status_id: {_eq: $status}}, limit: 1000) { ${fields} } } }`,
    variables: { status: HARDCOVER_WANT_TO_READ },
  };
}

/**
 * Reads Hardcover's GraphQL answer for {@link hardcoverQuery}. GraphQL errors (a bad token, an unknown user) and any
 * other shape throw {@link UpstreamLayoutError} with Hardcover's message, never the request (it holds the token).
 */
export function parseHardcoverBooks(text: string): ShelfEntry[] {
  let data: Record<string, unknown> | undefined;
  try {
    data = asRecord(JSON.parse(text));
  } catch {
    data = undefined;
  }
  const errors = asArray(data?.errors);
  if (errors.length > 0) {
    const message = asString(asRecord(errors[0])?.message)?.slice(0, 200) ?? 'unknown error';
    throw new UpstreamLayoutError(`Hardcover refused the query: ${message}`);
  }
  const body = asRecord(data?.data);
  if (!body) throw new UpstreamLayoutError('Hardcover answered without data');
  const owner = asRecord(asArray(body.users ?? body.lists)[0]);
  if (!owner) throw new UpstreamLayoutError('Hardcover knows no such user or list');
  const rows = asArray(owner.user_books ?? owner.list_books);
  const entries: ShelfEntry[] = [];
  for (const row of rows) {
    const book = asRecord(asRecord(row)?.book);
    const edition = asRecord(asRecord(row)?.edition);
    const id = asString(book?.id);
    if (!book || !id) continue;
    const authors = asArray(book.contributions).map((c) => asString(asRecord(asRecord(c)?.author)?.name));
    const entry = normalizeEntry({
      key: `hardcover:${id}`,
      title: asString(book.title),
      authors,
      isbn: asString(edition?.isbn_10),
      isbn13: asString(edition?.isbn_13),
    });
    if (entry) entries.push(entry);
  }
  return entries;
}
