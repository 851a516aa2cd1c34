import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSearchPage } from '../../companion/sources/annas-archive/parse-search-page.js';
import type { BookIdentity } from '../../extension/lib/book-identity/types.js';
import type { BookInfo } from '../../shared/book.js';
import { pickBestMatch } from '../../shared/match/best-match.js';

// Realistic input: the companion's own parser on real AA search captures (the extension never imports it).
const searches = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/real/aa_search');
function readResults(file: string): BookInfo[] {
  const parsed = parseSearchPage(readFileSync(join(searches, file), 'utf8'), 'https://annas-archive.org/search');
  if (!parsed.ok) throw new Error(`Expected ${file} to parse, got ${parsed.error.kind}`);
  return parsed.value;
}
const chomsky = readResults('dorenwick__search_manufacturing_consent_chomsky_2025-08.html');
const gaiman = readResults('nemonoboru__search_neil_gaiman_2022-12_reformatted.html');

const identity = (fields: Partial<BookIdentity>): BookIdentity => ({
  authors: [],
  site: 'goodreads',
  sourceUrl: 'https://www.goodreads.com/book/show/1',
  ...fields,
});
const english = { formats: ['epub', 'mobi', 'azw3', 'fb2'], languages: ['en'] };
const manufacturingConsent = identity({
  title: 'Manufacturing Consent: The Political Economy of the Mass Media',
  authors: ['Edward S. Herman', 'Noam Chomsky'],
});

describe('pickBestMatch on real AA search results', () => {
  it('takes the closest title by the right authors in the first preferred format', () => {
    const match = pickBestMatch({ identity: manufacturingConsent, results: chomsky, preferences: english });
    expect(match).toMatchObject({ ok: true, isbnMatch: false, book: { id: '25e1f768b0cf97887b36790cf5a6025d' } });
    if (match.ok) expect(match.book).toMatchObject({ format: 'epub', language: 'English [en]' });
  });

  it('follows the format order from the settings', () => {
    const match = pickBestMatch({
      identity: manufacturingConsent,
      results: chomsky,
      preferences: { formats: ['azw3', 'epub'], languages: ['en'] },
    });
    expect(match).toMatchObject({ ok: true, book: { id: 'a188e7d7fd5aec20fad0c44f020ea394', format: 'azw3' } });
  });

  it('puts an exact ISBN match before a closer title', () => {
    const isbnMatchIds = new Set(['9498feea7a3fa068a8254dda118b37ce']);
    const match = pickBestMatch({
      identity: manufacturingConsent,
      results: chomsky,
      preferences: english,
      isbnMatchIds,
    });
    expect(match).toMatchObject({ ok: true, isbnMatch: true, book: { id: '9498feea7a3fa068a8254dda118b37ce' } });
  });

  it('reads an ISBN match from the result info too', () => {
    const results = chomsky.map((book) =>
      book.id === '2678789624c153cd85a814db64f6feb9' ? { ...book, info: { 'ISBN-13': ['978-0-375-71449-8'] } } : book,
    );
    const match = pickBestMatch({
      identity: { ...manufacturingConsent, isbn13: '9780375714498' },
      results,
      preferences: english,
    });
    expect(match).toMatchObject({ ok: true, isbnMatch: true, book: { id: '2678789624c153cd85a814db64f6feb9' } });
  });

  it('never picks the film companion book with the same main title, nor Goethe’s mislabelled file', () => {
    const wrong = chomsky.filter((book) =>
      [
        '5fd67feb46ec388e9a4c548e3500f3ba',
        '1cfaa266b3c9a3396897da451bf931cd',
        '85347d58f08b25e0a196dc82c3dbf920',
        '4f288d5838e7c629e2d268eba6679c26',
      ].includes(book.id),
    );
    expect(wrong).toHaveLength(4);
    expect(pickBestMatch({ identity: manufacturingConsent, results: wrong, preferences: english })).toMatchObject({
      ok: false,
      reason: 'different-book',
    });
  });

  it('picks the film companion book when that is the page’s book', () => {
    const match = pickBestMatch({
      identity: identity({
        title: 'Manufacturing Consent: Noam Chomsky and the Media',
        authors: ['Mark Achbar'],
      }),
      results: chomsky,
      preferences: english,
    });
    expect(match).toMatchObject({ ok: true, book: { id: '1cfaa266b3c9a3396897da451bf931cd', format: 'epub' } });
  });

  it('skips translations in other languages and says so when only those exist', () => {
    const french = identity({ title: 'La Fabrication du consentement', authors: ['Noam Chomsky', 'Edward Herman'] });
    expect(pickBestMatch({ identity: french, results: chomsky, preferences: english })).toMatchObject({
      ok: false,
      reason: 'unwanted-language',
    });
    const match = pickBestMatch({ identity: french, results: chomsky, preferences: { ...english, languages: ['fr'] } });
    expect(match).toMatchObject({ ok: true, book: { language: 'French [fr]', format: 'epub' } });
    if (match.ok) expect(match.book.title).toMatch(/^La Fabrication du consentement/);
  });

  it('chooses among editions of Norse Mythology by page order, never another Gaiman title', () => {
    const match = pickBestMatch({
      identity: identity({ title: 'Norse Mythology', authors: ['Neil Gaiman'] }),
      results: gaiman,
      preferences: english,
    });
    expect(match).toMatchObject({ ok: true, book: { id: expect.stringMatching(/^66e372/), title: 'Norse Mythology' } });
  });

  it('skips audiobooks and implausible sizes', () => {
    const norse = gaiman.filter((book) => book.title === 'Norse Mythology');
    const audio = norse.map((book) => ({ ...book, format: 'mp3' }));
    const wantAudio = { formats: ['mp3', 'epub'], languages: ['en'] };
    const norseIdentity = identity({ title: 'Norse Mythology', authors: ['Neil Gaiman'] });
    expect(pickBestMatch({ identity: norseIdentity, results: audio, preferences: wantAudio })).toMatchObject({
      ok: false,
      reason: 'unwanted-format',
    });
    const labelledAudio = norse.map((book) => ({ ...book, content: 'audiobook' }));
    expect(pickBestMatch({ identity: norseIdentity, results: labelledAudio, preferences: english })).toMatchObject({
      ok: false,
      reason: 'unwanted-format',
    });
    const [first, second] = norse;
    if (!first || !second) throw new Error('Expected two Norse Mythology epubs in the capture');
    const sized = [
      { ...first, size: '2KB' },
      { ...second, size: '900.0MB' },
    ];
    expect(pickBestMatch({ identity: norseIdentity, results: sized, preferences: english })).toMatchObject({
      ok: false,
      reason: 'implausible-size',
    });
    const oneGood = [{ ...first, size: '2KB' }, second];
    expect(pickBestMatch({ identity: norseIdentity, results: oneGood, preferences: english })).toMatchObject({
      ok: true,
      book: { id: second.id },
    });
  });

  it('refuses an ISBN hit whose title and author are both someone else’s', () => {
    const coraline = gaiman.find((book) => book.title === 'Coraline');
    if (!coraline) throw new Error('Expected Coraline in the capture');
    const match = pickBestMatch({
      identity: identity({ title: 'Hyperion', authors: ['Dan Simmons'], isbn13: '9780553283686' }),
      results: [coraline],
      preferences: english,
      isbnMatchIds: new Set([coraline.id]),
    });
    expect(match).toMatchObject({ ok: false, reason: 'different-book' });
  });

  it('says why when there is nothing to pick', () => {
    expect(pickBestMatch({ identity: manufacturingConsent, results: [], preferences: english })).toMatchObject({
      ok: false,
      reason: 'no-results',
    });
    expect(pickBestMatch({ identity: identity({}), results: chomsky, preferences: english })).toMatchObject({
      ok: false,
      reason: 'no-identity',
    });
  });
});
