import type { SearchForm as Form } from '../search-params.js';

export const FORMATS = ['epub', 'mobi', 'azw3', 'fb2', 'djvu', 'cbz', 'cbr', 'pdf', 'txt'];
/** Anna's Archive's content types (its `content` filter values). */
export const CONTENT_TYPES: Array<[string, string]> = [
  ['book_nonfiction', 'Book (non-fiction)'],
  ['book_fiction', 'Book (fiction)'],
  ['book_unknown', 'Book (unknown)'],
  ['book_comic', 'Comic book'],
  ['magazine', 'Magazine'],
  ['standards_document', 'Standards document'],
  ['musical_score', 'Musical score'],
  ['other', 'Other'],
];
/** Anna's Archive's sort orders (empty: most relevant). */
export const SORTS: Array<[string, string]> = [
  ['', 'Most relevant'],
  ['newest', 'Newest (publication year)'],
  ['oldest', 'Oldest (publication year)'],
  ['largest', 'Largest file'],
  ['smallest', 'Smallest file'],
  ['newest_added', 'Newest (added)'],
  ['oldest_added', 'Oldest (added)'],
];
export const PRIORITIES: Array<[number, string]> = [
  [-10, 'High'],
  [0, 'Normal'],
  [10, 'Low'],
];

export interface SearchFormProps {
  form: Form;
  onChange: (form: Form) => void;
  onSubmit: () => void;
  priority: number;
  onPriority: (priority: number) => void;
  busy: boolean;
}

/** CWA-BD's basic search (one box) and advanced filters (ISBN, author, title, language, format, content, sort). */
export function SearchForm({ form, onChange, onSubmit, priority, onPriority, busy }: SearchFormProps) {
  const field = (name: keyof Form) => ({
    name,
    value: form[name],
    onInput: (event: Event) => onChange({ ...form, [name]: (event.currentTarget as HTMLInputElement).value }),
  });
  const advancedSet = ['isbn', 'author', 'title', 'lang', 'format', 'content', 'sort'].some(
    (n) => form[n as keyof Form],
  );
  return (
    <search>
      <form
        class="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <div class="search-row">
          <label class="visually-hidden" for="search-q">
            Search Anna’s Archive
          </label>
          <input id="search-q" type="search" placeholder="Title, author or ISBN" {...field('q')} />
          <button type="submit" disabled={busy}>
            Search
          </button>
        </div>
        <details class="advanced" open={advancedSet}>
          <summary>Advanced filters</summary>
          <div class="filter-grid">
            <label>
              ISBN
              <input inputMode="numeric" {...field('isbn')} />
            </label>
            <label>
              Author
              <input {...field('author')} />
            </label>
            <label>
              Title
              <input {...field('title')} />
            </label>
            <label>
              Language
              <input placeholder="e.g. en, de" {...field('lang')} />
            </label>
            <label>
              Format
              <select {...field('format')} onChange={field('format').onInput}>
                <option value="">Any format</option>
                {(FORMATS.includes(form.format) || !form.format ? FORMATS : [form.format, ...FORMATS]).map((format) => (
                  <option key={format} value={format}>
                    {format.toUpperCase()}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Content type
              <select {...field('content')} onChange={field('content').onInput}>
                <option value="">Any content</option>
                {CONTENT_TYPES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Sort
              <select {...field('sort')} onChange={field('sort').onInput}>
                {SORTS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Download priority
              <select
                name="priority"
                value={String(priority)}
                onChange={(event) => onPriority(Number((event.currentTarget as HTMLSelectElement).value))}
              >
                {PRIORITIES.map(([value, label]) => (
                  <option key={value} value={String(value)}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </details>
      </form>
    </search>
  );
}
