/** Book sites whose shelves can be sent or watched. */
export const SHELF_SITES = ['goodreads', 'storygraph', 'hardcover', 'openlibrary'] as const;
export type ShelfSite = (typeof SHELF_SITES)[number];

/** What to tell the user when a URL is not a shelf page {@link parseShelfUrl} reads (the API and the web UI say it). */
export const NOT_A_SHELF_URL = 'Not a shelf page URL of Goodreads, StoryGraph, Hardcover or Open Library';

/** A user's shelf on a site, read from the shelf page's URL: the same key on both sides (one row per shelf). */
export interface ShelfRef {
  site: ShelfSite;
  /** Goodreads: the numeric user id; the others: the user name. */
  user: string;
  /** `to-read`, `want-to-read`, another shelf name, or `list:<slug>` for a Hardcover list. */
  shelf: string;
  /** The canonical shelf page URL (on the real site). */
  url: string;
}

// shared/ compiles without DOM or Node types; both runtimes have the WHATWG URL, of which this is the part used.
declare const URL: new (
  input: string,
) => { protocol: string; hostname: string; pathname: string; searchParams: { get(name: string): string | null } };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SHELF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const OPEN_LIBRARY_SHELVES = ['want-to-read', 'currently-reading', 'already-read'];

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return '';
  }
}

/**
 * Reads a shelf page URL: Goodreads `review/list/<id>?shelf=`, StoryGraph `to-read/<user>`, Hardcover
 * `@<user>/books/want-to-read` or `@<user>/lists/<slug>`, Open Library `people/<user>/books/<shelf>`. Undefined for
 * anything else (a book page, another site, a malformed name). Pure: the content scripts and the companion share it.
 */
export function parseShelfUrl(input: string): ShelfRef | undefined {
  let url: InstanceType<typeof URL>;
  try {
    url = new URL(input);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const parts = url.pathname.split('/').filter(Boolean).map(safeDecode);
  if (host === 'goodreads.com' && parts[0] === 'review' && parts[1] === 'list' && parts[2]) {
    const user = /^(\d{1,15})(?:-|$)/.exec(parts[2])?.[1];
    const shelf = url.searchParams.get('shelf') ?? 'to-read';
    if (!user || !SHELF.test(shelf)) return undefined;
    return {
      site: 'goodreads',
      user,
      shelf,
      url: `https://www.goodreads.com/review/list/${user}?shelf=${encodeURIComponent(shelf)}`,
    };
  }
  if (host === 'app.thestorygraph.com' && parts[0] === 'to-read' && parts[1] && NAME.test(parts[1])) {
    return {
      site: 'storygraph',
      user: parts[1],
      shelf: 'to-read',
      url: `https://app.thestorygraph.com/to-read/${parts[1]}`,
    };
  }
  if (host === 'hardcover.app' && parts[0]?.startsWith('@')) {
    const user = parts[0].slice(1);
    if (!NAME.test(user)) return undefined;
    if (parts[1] === 'books' && parts[2] === 'want-to-read') {
      return {
        site: 'hardcover',
        user,
        shelf: 'want-to-read',
        url: `https://hardcover.app/@${user}/books/want-to-read`,
      };
    }
    if (parts[1] === 'lists' && parts[2] && SHELF.test(parts[2])) {
      return {
        site: 'hardcover',
        user,
        shelf: `list:${parts[2]}`,
        url: `https://hardcover.app/@${user}/lists/${parts[2]}`,
      };
    }
    return undefined;
  }
  if (host === 'openlibrary.org' && parts[0] === 'people' && parts[1] && parts[2] === 'books' && parts[3]) {
    const shelf = parts[3].replace(/\.json$/, '');
    if (!NAME.test(parts[1]) || !OPEN_LIBRARY_SHELVES.includes(shelf)) return undefined;
    return {
      site: 'openlibrary',
      user: parts[1],
      shelf,
      url: `https://openlibrary.org/people/${parts[1]}/books/${shelf}`,
    };
  }
  return undefined;
}
