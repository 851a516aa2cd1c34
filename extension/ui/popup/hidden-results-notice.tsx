import type { HiddenResults } from '../../../shared/api.js';

/** "N results hidden by your format/language filters — Show them"; nothing when nothing was hidden. */
export function HiddenResultsNotice({ hidden, onShow }: { hidden: HiddenResults; onShow(): void }) {
  if (hidden.total <= 0) return null;
  const count = hidden.total === 1 ? '1 result' : `${hidden.total} results`;
  return (
    <p class="hidden-results" role="status">
      {count} hidden by your format/language filters —{' '}
      <button type="button" class="link-button" onClick={onShow}>
        Show them
      </button>
    </p>
  );
}
