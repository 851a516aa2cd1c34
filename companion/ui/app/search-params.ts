import type { SearchFilters } from '../../../shared/book.js';

/** Shelfmark's URL parameter names (`/?q=…&author=…`), so existing links and bookmarklets land on a search. */
export const URL_PARAMS = ['q', 'author', 'title', 'isbn', 'lang', 'format', 'content', 'sort'] as const;

export interface SearchForm {
  q: string;
  author: string;
  title: string;
  isbn: string;
  lang: string;
  format: string;
  content: string;
  sort: string;
}

export const EMPTY_FORM: SearchForm = {
  q: '',
  author: '',
  title: '',
  isbn: '',
  lang: '',
  format: '',
  content: '',
  sort: '',
};

/** The form as a page URL's parameters say it (repeated parameters are joined with commas). */
export function formFromUrl(search: string): SearchForm {
  const params = new URLSearchParams(search);
  const form = { ...EMPTY_FORM };
  for (const name of URL_PARAMS) form[name] = params.getAll(name).join(', ').trim();
  return form;
}

/** Whether the form asks for anything (an empty form is no search). */
export const hasSearch = (form: SearchForm): boolean => URL_PARAMS.some((name) => name !== 'sort' && form[name] !== '');

/** The page URL's query for `form` (Shelfmark's names, empty fields left out). */
export function formToUrl(form: SearchForm): string {
  const params = new URLSearchParams();
  for (const name of URL_PARAMS) if (form[name]) params.set(name, form[name]);
  const query = params.toString();
  return query ? `?${query}` : '';
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** CWA-BD's filters for `GET /api/search` (its `query` is Shelfmark's `q`; list fields are comma-separated). */
export function formToFilters(form: SearchForm): SearchFilters {
  return {
    ...(form.q ? { query: form.q } : {}),
    isbn: list(form.isbn),
    author: list(form.author),
    title: list(form.title),
    lang: list(form.lang),
    format: list(form.format.toLowerCase()),
    content: list(form.content),
    ...(form.sort ? { sort: form.sort } : {}),
  };
}

/** `GET /api/search`'s query string; `includeHidden` lifts the default format/language filters. */
export function filtersToApiQuery(filters: SearchFilters, includeHidden = false): string {
  const params = new URLSearchParams();
  if (filters.query) params.set('query', filters.query);
  for (const name of ['isbn', 'author', 'title', 'lang', 'format', 'content'] as const) {
    for (const value of filters[name] ?? []) params.append(name, value);
  }
  if (filters.sort) params.set('sort', filters.sort);
  if (includeHidden) params.set('include_hidden', 'true');
  return params.toString();
}
