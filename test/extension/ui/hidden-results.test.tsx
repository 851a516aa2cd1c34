import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HiddenResultsNotice } from '../../../extension/ui/popup/hidden-results-notice.js';
import { buildSearchFilters } from '../../../extension/ui/popup/search-form.js';

afterEach(cleanup);

describe('HiddenResultsNotice', () => {
  it('says how many results the filters hid and offers them with a named button', () => {
    const onShow = vi.fn();
    render(<HiddenResultsNotice hidden={{ total: 3, format: 2, language: 1 }} onShow={onShow} />);
    expect(screen.getByRole('status').textContent).toBe('3 results hidden by your format/language filters — Show them');
    fireEvent.click(screen.getByRole('button', { name: 'Show them' }));
    expect(onShow).toHaveBeenCalledTimes(1);
  });

  it('one result reads in the singular; nothing hidden shows nothing', () => {
    const { unmount } = render(<HiddenResultsNotice hidden={{ total: 1, format: 1, language: 0 }} onShow={() => {}} />);
    expect(screen.getByRole('status').textContent).toMatch(/^1 result hidden by your format\/language filters/);
    unmount();
    render(<HiddenResultsNotice hidden={{ total: 0, format: 0, language: 0 }} onShow={() => {}} />);
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('buildSearchFilters', () => {
  const companion = { formats: ['epub', 'mobi'], languages: ['en'] };
  const request = { query: 'Frankenstein', format: 'preferred', language: 'preferred' };

  it('leaves the companion’s own defaults to the companion, so it counts what they hide', () => {
    expect(buildSearchFilters(request, companion, companion)).toEqual({
      filters: { query: 'Frankenstein' },
      includeHidden: false,
    });
  });

  it('"Show them" lifts the companion’s defaults but keeps the user’s own lists', () => {
    expect(buildSearchFilters(request, companion, companion, true)).toEqual({
      filters: { query: 'Frankenstein' },
      includeHidden: true,
    });
    const own = { formats: ['pdf'], languages: ['en'] };
    expect(buildSearchFilters(request, own, companion, true)).toEqual({
      filters: { query: 'Frankenstein', format: ['pdf'] },
      includeHidden: true,
    });
  });

  it('"any" lifts the defaults, a default still wanted on the other filter is sent, a choice is sent as is', () => {
    expect(buildSearchFilters({ ...request, format: 'any' }, companion, companion)).toEqual({
      filters: { query: 'Frankenstein', lang: ['en'] },
      includeHidden: true,
    });
    expect(buildSearchFilters({ ...request, format: 'pdf', language: 'de' }, companion, companion)).toEqual({
      filters: { query: 'Frankenstein', format: ['pdf'], lang: ['de'] },
      includeHidden: false,
    });
  });
});
