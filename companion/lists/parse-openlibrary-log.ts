import type { ShelfEntry } from '../../shared/lists-api.js';
import { redactUrl, UpstreamLayoutError } from '../errors.js';
import { normalizeEntry } from './normalize-entry.js';

/** One page of Open Library's reading log and whether more pages follow. */
export interface OpenLibraryLogPage {
  entries: ShelfEntry[];
  numFound: number;
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Open Library's reading-log JSON (`/people/<user>/books/<shelf>.json?page=N`): `reading_log_entries[].work` with
 * `key`, `title` and `author_names`; no ISBN (a work, not an edition). Throws {@link UpstreamLayoutError} on any other
 * shape.
 */
export function parseOpenLibraryLog(text: string, url: string): OpenLibraryLogPage {
  let data: Record<string, unknown> | undefined;
  try {
    data = asRecord(JSON.parse(text));
  } catch {
    data = undefined;
  }
  const list = data?.reading_log_entries;
  if (!data || !Array.isArray(list))
    throw new UpstreamLayoutError(`Not an Open Library reading log: ${redactUrl(url)}`);
  const entries: ShelfEntry[] = [];
  for (const item of list) {
    const work = asRecord(asRecord(item)?.work);
    if (!work) continue;
    const names = Array.isArray(work.author_names) ? work.author_names.map(asString) : [];
    const entry = normalizeEntry({
      key: `openlibrary:${asString(work.key) ?? ''}`,
      title: asString(work.title),
      authors: names,
    });
    if (entry && asString(work.key)) entries.push(entry);
  }
  const numFound = typeof data.numFound === 'number' ? data.numFound : entries.length;
  return { entries, numFound };
}
