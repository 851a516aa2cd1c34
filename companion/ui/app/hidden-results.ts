import { HIDDEN_BY_HEADER, HIDDEN_RESULTS_HEADER } from '../../../shared/web-ui-paths.js';

/** How many results the default filters hid, and by which filter, from `GET /api/search`'s headers. */
export interface HiddenResults {
  count: number;
  byFormat: number;
  byLanguage: number;
}

/** Reads `X-Hidden-Results: n` and `X-Hidden-By: format=n,language=n`; null when nothing was hidden. */
export function readHiddenResults(headers: Pick<Headers, 'get'>): HiddenResults | null {
  const count = Number(headers.get(HIDDEN_RESULTS_HEADER) ?? '0');
  if (!Number.isSafeInteger(count) || count <= 0) return null;
  const by: Record<string, number> = {};
  for (const part of (headers.get(HIDDEN_BY_HEADER) ?? '').split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    const n = Number(value);
    if (name && Number.isSafeInteger(n) && n > 0) by[name] = n;
  }
  return { count, byFormat: by.format ?? 0, byLanguage: by.language ?? 0 };
}

/** "3 results hidden by your default format and language filters". */
export function describeHidden(hidden: HiddenResults): string {
  const filters = [hidden.byFormat > 0 ? 'format' : '', hidden.byLanguage > 0 ? 'language' : ''].filter(Boolean);
  const which = filters.length > 0 ? filters.join(' and ') : 'format/language';
  return `${hidden.count} ${hidden.count === 1 ? 'result' : 'results'} hidden by your default ${which} ${filters.length === 1 ? 'filter' : 'filters'}`;
}
