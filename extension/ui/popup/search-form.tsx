import { useState } from 'preact/hooks';
import type { SearchFilters } from '../../../shared/book.js';

/** `preferred` = the user's (or the companion's) list, `any` = no filter, else one value. */
export type FilterChoice = 'preferred' | 'any' | string;

export interface SearchRequest {
  query: string;
  format: FilterChoice;
  language: FilterChoice;
}

const KNOWN_FORMATS = ['epub', 'mobi', 'azw3', 'fb2', 'djvu', 'cbz', 'cbr', 'pdf'];
const KNOWN_LANGUAGES: Record<string, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  pt: 'Portuguese',
  ru: 'Russian',
  nl: 'Dutch',
  pl: 'Polish',
  zh: 'Chinese',
  ja: 'Japanese',
};

export interface SearchFormProps {
  initialQuery: string;
  preferences: { formats: string[]; languages: string[] };
  busy: boolean;
  onSearch: (request: SearchRequest) => void;
}

/** The search box with format and language filters; Enter searches. Defaults are the effective preferences. */
export function SearchForm({ initialQuery, preferences, busy, onSearch }: SearchFormProps) {
  const [query, setQuery] = useState(initialQuery);
  const [format, setFormat] = useState<FilterChoice>('preferred');
  const [language, setLanguage] = useState<FilterChoice>('preferred');
  const formats = [...new Set([...preferences.formats, ...KNOWN_FORMATS])];
  const languages = [...new Set([...preferences.languages, ...Object.keys(KNOWN_LANGUAGES)])];
  return (
    <form
      class="search-form"
      aria-label="Search books"
      onSubmit={(event) => {
        event.preventDefault();
        if (query.trim()) onSearch({ query: query.trim(), format, language });
      }}
    >
      <div class="search-row">
        <input
          type="search"
          aria-label="Title, author or ISBN"
          placeholder="Title, author or ISBN"
          value={query}
          maxLength={500}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          Search
        </button>
      </div>
      <div class="filter-row">
        <label>
          Format
          <select aria-label="Format" value={format} onChange={(event) => setFormat(event.currentTarget.value)}>
            <option value="preferred">Preferred ({preferences.formats.join(', ') || 'any'})</option>
            <option value="any">Any format</option>
            {formats.map((f) => (
              <option key={f} value={f}>
                {f.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Language
          <select aria-label="Language" value={language} onChange={(event) => setLanguage(event.currentTarget.value)}>
            <option value="preferred">Preferred ({preferences.languages.join(', ') || 'any'})</option>
            <option value="any">Any language</option>
            {languages.map((l) => (
              <option key={l} value={l}>
                {KNOWN_LANGUAGES[l] ?? l}
              </option>
            ))}
          </select>
        </label>
      </div>
    </form>
  );
}

/** Turns a choice into the `/api/search` filter list (`undefined` = no filter). */
export function resolveFilter(choice: FilterChoice, preferred: string[]): string[] | undefined {
  if (choice === 'any') return undefined;
  if (choice === 'preferred') return preferred.length ? preferred : undefined;
  return [choice];
}

/**
 * The `/api/search` filters for the form's choices. A "preferred" list that is the companion's own default is not
 * sent, so the companion applies it and says how many results it hid; "any" lifts the companion's defaults
 * (`includeHidden`), and then a default still wanted is sent explicitly. `showHidden` (the "Show them" button)
 * lifts the companion's defaults while the user's own lists still apply.
 */
export function buildSearchFilters(
  request: SearchRequest,
  preferences: { formats: string[]; languages: string[] },
  defaults: { formats: string[]; languages: string[] },
  showHidden = false,
): { filters: SearchFilters; includeHidden: boolean } {
  const axis = (choice: FilterChoice, preferred: string[], companion: string[]) => ({
    isCompanionDefault: choice === 'preferred' && sameList(preferred, companion),
    explicit: resolveFilter(choice, preferred),
    any: choice === 'any' || (choice === 'preferred' && preferred.length === 0),
  });
  const format = axis(request.format, preferences.formats, defaults.formats);
  const language = axis(request.language, preferences.languages, defaults.languages);
  const includeHidden = showHidden || format.any || language.any;
  const pick = (a: ReturnType<typeof axis>) =>
    a.isCompanionDefault ? (includeHidden && !showHidden ? a.explicit : undefined) : a.explicit;
  const formats = pick(format);
  const languages = pick(language);
  return {
    filters: {
      query: request.query,
      ...(formats ? { format: formats } : {}),
      ...(languages ? { lang: languages } : {}),
    },
    includeHidden,
  };
}

function sameList(a: string[], b: string[]): boolean {
  const norm = (list: string[]) => [...new Set(list.map((v) => v.toLowerCase()))].sort().join(',');
  return norm(a) === norm(b);
}
